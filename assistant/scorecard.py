"""The scorecard: one unit's findings in the cli-contract `scorecard.json` shape.

`ScoreItem`/`Scorecard` serialise to exactly the contract's fields (`to_json`); the catalog context
the exports need (the three indicator levels, the 考核要点) and the reviewer's decisions travel in
fields excluded from JSON.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field, field_serializer, field_validator

from core.findings import Citation, Finding, Flag, Source, Verdict
from indicators.catalog import DEFAULT_STEP, Catalog, ScoredUnit
from indicators.scoring import round_points


class ReviewDecision(BaseModel):
    """A reviewer's decision on one item (from the UI), carried beside the suggestion."""

    id: str
    sub: int | None = None
    confirmed_points: float | None = None  # confirmed or overridden: the points that count
    comment: str = ""
    reviewer: str = ""


class Totals(BaseModel):
    """A unit's points as `totals_of` computes them: the one total of the UI header, 总览 and every export."""

    max_points: float
    suggested: float
    reviewed: float = Field(description="复核后得分: the reviewer's points where decided (an override counts "
                                        "the moment it is saved), the suggestion elsewhere")
    decided: int
    items: int

    @property
    def remaining(self) -> int:
        return self.items - self.decided

    @property
    def complete(self) -> bool:
        return self.items > 0 and self.decided == self.items


class ScoreItem(BaseModel):
    id: str
    sub: int | None = None
    name: str
    max_points: float
    suggested_points: float
    verdict: Verdict
    citations: list[Citation] = Field(default_factory=list)
    rationale: str = ""
    source: Source = Source.none
    flags: list[str] = Field(default_factory=list)
    # --- internal: not in scorecard.json -----------------------------------------------------------
    level1: str = Field("", exclude=True)
    level2: str = Field("", exclude=True)
    level3: str = Field("", exclude=True)
    requirement: str = Field("", exclude=True, description="考核要点 of this item")
    confidence: float = Field(0.5, exclude=True)
    step: float = Field(DEFAULT_STEP, exclude=True, description="评分步长 of this item (the catalog's)")
    decision: ReviewDecision | None = Field(None, exclude=True)

    @field_validator("suggested_points", "max_points")
    @classmethod
    def _one_decimal(cls, v: float) -> float:
        return round_points(v)

    @field_serializer("citations")
    def _public_citations(self, citations: list[Citation]) -> list[dict]:
        return [c.public() for c in citations]

    @property
    def key(self) -> tuple[str, int | None]:
        return self.id, self.sub

    @property
    def decided(self) -> bool:
        return self.decision is not None and self.decision.confirmed_points is not None

    @property
    def final_points(self) -> float:
        """The points that count: the reviewer's where decided, else the suggestion."""
        return self.decision.confirmed_points if self.decided else self.suggested_points

    @property
    def label(self) -> str:
        name = self.level3 or self.level2 or self.name
        return f"{self.id} {name}" + (f"（第{self.sub}项）" if self.sub is not None else "")

    @classmethod
    def from_finding(cls, f: Finding, catalog: Catalog, su: ScoredUnit | None = None) -> ScoreItem:
        """Finding -> ScoreItem: the finding plus its place in the catalog (three levels, 考核要点).

        With `to_finding` the one conversion between the two; the UI, the exports and the eval all
        go through it (via `Scorecard.from_findings` / `Scorecard.findings`).
        """
        ind = catalog.indicator(f.indicator_id)
        su = su or catalog.unit(f.indicator_id, f.sub)  # the caller's, when it has it (thousands per screen)
        level3 = ind.level3 or ""
        return cls(
            id=f.indicator_id, sub=f.sub, name=f.name or level3 or ind.level2, max_points=f.max_points,
            suggested_points=f.suggested_points, verdict=f.verdict, citations=list(f.citations),
            rationale=f.rationale, source=f.source, flags=list(f.flags), level1=ind.level1, level2=ind.level2,
            level3=level3, requirement=su.text, confidence=f.confidence, step=su.step,
        )

    def to_finding(self) -> Finding:
        """ScoreItem -> Finding: the item without its catalog context and reviewer decision."""
        return Finding(
            indicator_id=self.id, sub=self.sub, name=self.name, max_points=self.max_points, verdict=self.verdict,
            suggested_points=self.suggested_points, citations=list(self.citations), rationale=self.rationale,
            source=self.source, confidence=self.confidence, flags=list(self.flags),
        )


@functools.lru_cache(maxsize=4096)
def _decimal(points: float) -> Decimal:
    # the exact decimal a point value was written as; points take few distinct values, and converting
    # each anew was most of the cost of a summary of a hundred units (issue 15)
    return Decimal(str(points))


def totals_of(items: Iterable[ScoreItem]) -> Totals:
    """THE total of a unit (or of a group of its items): every screen and export shows this one.

    Sums are exact decimals, rounded once (0.1 + 0.2 is 0.3, not 0.30000000000000004)."""
    items = list(items)

    def add(values) -> float:
        return round_points(sum(map(_decimal, values), Decimal(0)))

    return Totals(max_points=add(i.max_points for i in items), suggested=add(i.suggested_points for i in items),
                  reviewed=add(i.final_points for i in items), decided=sum(1 for i in items if i.decided),
                  items=len(items))


class Scorecard(BaseModel):
    unit: str
    catalog: str
    year: int | None = None
    total_max: float = 100
    total_suggested: float = 0.0
    items: list[ScoreItem] = Field(default_factory=list)
    catalog_title: str = Field("", exclude=True)

    @classmethod
    def build(cls, unit: str, catalog: str, year: int | None, items: Iterable[ScoreItem],
              catalog_title: str = "") -> Scorecard:
        items = list(items)
        totals = totals_of(items)
        return cls(unit=unit, catalog=catalog, year=year, items=items, catalog_title=catalog_title,
                   total_max=totals.max_points, total_suggested=totals.suggested)

    @classmethod
    def from_findings(cls, catalog: Catalog, unit: str, year: int | None, findings: Iterable[Finding], *,
                      catalog_id: str | None = None, only: set[str] | None = None) -> Scorecard:
        """One item per scored unit of the catalog, in catalog order (the contract's `items`).

        A unit without a finding is still listed, as 材料不足 with 0 points, so the sheet adds up to the
        catalog's total and the gap is visible to the reviewer. `only` keeps the items of some
        indicator ids (the eval and chat review a few); findings of units not in the catalog are ignored.
        `catalog_id` is the id the caller loaded the catalog by (a path, say), else the catalog's own.
        """
        by_key = {(f.indicator_id, f.sub): f for f in findings}
        items = []
        for u in catalog.scored_units():
            if only is not None and u.id not in only:
                continue
            f = by_key.get((u.id, u.sub)) or Finding(
                indicator_id=u.id, sub=u.sub, name=u.name, max_points=u.max_points,
                verdict=Verdict.insufficient_evidence, suggested_points=0.0, rationale="本项未经评审。",
                flags=[Flag.no_evidence, Flag.needs_human],
            )
            items.append(ScoreItem.from_finding(f, catalog, u))
        return cls.build(unit, catalog_id or catalog.id, year, items, catalog_title=catalog.title)

    def findings(self) -> list[Finding]:
        return [i.to_finding() for i in self.items]

    def with_decisions(self, decisions: Iterable[ReviewDecision]) -> Scorecard:
        """A copy carrying reviewer decisions on the matching items (unknown keys are ignored)."""
        by_key = {(d.id, d.sub): d for d in decisions}
        copy = self.model_copy(deep=True)
        for item in copy.items:
            item.decision = by_key.get(item.key, item.decision)
        return copy

    def totals(self) -> Totals:
        return totals_of(self.items)

    def level1_totals(self) -> dict[str, Totals]:
        """Per 一级指标, in catalog order, by the same computation as the unit's total."""
        groups: dict[str, list[ScoreItem]] = {}
        for i in self.items:
            groups.setdefault(i.level1, []).append(i)
        return {name: totals_of(items) for name, items in groups.items()}

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2)

    def write_json(self, path: Path) -> Path:
        from core.files import atomic_write_bytes  # temp + rename: never a half-written file

        atomic_write_bytes(path, (self.to_json() + "\n").encode("utf-8"))
        return path
