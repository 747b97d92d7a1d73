"""One mechanism, many rules.

A rule is a function `(Evidence) -> Iterable[Check]`, registered with the `@rule(...)` decorator
that declares the indicator (and sub-item) it informs and the document types it reads. The
assistant runs every registered rule whose indicator it is scoring; adding a rule is one module
in `indicators/rules/` plus its tests, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from core.document import DocType, Document
from core.findings import Citation, Flag
from indicators.units import BodyLevel, LevelSource


class Outcome(StrEnum):
    passed = "pass"
    failed = "fail"
    unknown = "unknown"  # the rule could not decide: a human must look (flagged needs_human)
    info = "info"  # a computed fact shown to the reviewer, no effect on points


class Check(BaseModel):
    """One atomic, computed outcome of a rule, with the evidence that decided it."""

    rule_id: str
    indicator_id: str
    sub: int | None = None
    title: str = Field(description="short Chinese name of what was checked, e.g. 表三勾稽关系（T3-A）")
    outcome: Outcome
    rationale: str = Field("", description="Chinese explanation, with the arithmetic or the day count")
    citations: list[Citation] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    deduction: float = Field(0.0, ge=0.0, description="points to deduct (deduction-type indicators)")
    measure: float | None = Field(None, description="a measured quantity for tiered/threshold rules")
    data: dict = Field(default_factory=dict, description="computed facts (JSON-serialisable)")
    shown: bool = Field(False, description="state the rationale in the finding even when the check passed "
                                           "(e.g. which body level a deadline was judged on, and why)")


@dataclass
class Evidence:
    """Everything a rule may read for one unit: the year under review, its documents, and the body's
    level with where it came from (the workspace's unit roster, or the name rule)."""

    unit: str | None
    year: int | None
    documents: list[Document]
    body_level: BodyLevel = BodyLevel.unknown
    body_level_source: LevelSource | None = None

    def __post_init__(self) -> None:
        self.body_level = BodyLevel(self.body_level)
        if self.body_level_source is not None:
            self.body_level_source = LevelSource(self.body_level_source)

    def of_type(self, *types: DocType, year: int | Literal["current", "any"] | None = "current") -> list[Document]:
        wanted = set(types)
        docs = [d for d in self.documents if d.doc_type in wanted]
        if year == "any":
            return docs
        target = self.year if year == "current" else year
        if target is None:
            return docs
        # documents without a detected year are kept: better to look than to ignore
        return [d for d in docs if d.year in (target, None)]

    def previous_year(self, *types: DocType) -> list[Document]:
        if self.year is None:
            return []
        return [d for d in self.documents if d.doc_type in set(types) and d.year == self.year - 1]


RuleFunc = Callable[[Evidence], Iterable[Check]]


@dataclass(frozen=True)
class Rule:
    id: str
    indicator_id: str
    sub: int | None
    doc_types: tuple[DocType, ...]
    func: RuleFunc
    description: str = ""
    decided_by: str = ""  # Chinese: the material that can decide it (absent from other material: abstain)

    def run(self, evidence: Evidence) -> list[Check]:
        checks = list(self.func(evidence))
        for c in checks:  # the declaration is the single source of truth for where a check belongs
            if c.rule_id != self.id or c.indicator_id != self.indicator_id:
                raise ValueError(f"rule {self.id} returned a check labelled {c.rule_id}/{c.indicator_id}")
        return checks


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, r: Rule) -> None:
        if r.id in self.rules:
            raise ValueError(f"duplicate rule id {r.id}")
        self.rules[r.id] = r


REGISTRY = Registry()


def rule(
    id: str,
    indicator: str,
    doc_types: Iterable[DocType],
    sub: int | None = None,
    description: str = "",
    decided_by: str = "",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function. The function builds Checks with `make_check` below.

    `decided_by` declares, in Chinese, what material can decide the rule: where the evidence is not
    such material, a missing mention is no failure and the rule emits `abstain_check` instead."""

    def deco(func: RuleFunc) -> RuleFunc:
        REGISTRY.add(Rule(id, indicator, sub, tuple(doc_types), func, description or (func.__doc__ or "").strip(),
                          decided_by))
        return func

    return deco


def make_check(rule_id: str, indicator_id: str, sub: int | None = None, **kwargs) -> Check:
    return Check(rule_id=rule_id, indicator_id=indicator_id, sub=sub, **kwargs)


def abstain_check(rule_id: str, indicator_id: str, sub: int | None = None, *, title: str, note: str,
                  rationale: str = "", citations: list[Citation] | None = None, data: dict | None = None) -> Check:
    """The material cannot show this (absence on the saved pages is not evidence of absence): outcome
    unknown, `data["abstain"]` = the Chinese note on what material would decide it. Scoring turns the
    unit into insufficient_evidence (0 points) unless the material shows it met."""
    return Check(rule_id=rule_id, indicator_id=indicator_id, sub=sub, title=title, outcome=Outcome.unknown,
                 rationale=rationale or f"所提供材料无法判断：{note}", citations=citations or [],
                 flags=[Flag.needs_human], data={**(data or {}), "abstain": note})


def load_all_rules() -> Registry:
    """Import every rule module so that its @rule decorators run."""
    import importlib
    import pkgutil

    import indicators.rules as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in {"base"} and not mod.name.startswith("_"):
            importlib.import_module(f"indicators.rules.{mod.name}")
    return REGISTRY
