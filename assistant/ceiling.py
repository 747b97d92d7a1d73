"""The points ceiling of an item: the most the rules and the verified evidence support.

A model can cite a real sentence and claim the maximum; verbatim checking does not stop that. So
the scoring core, not the model adapter, decides how far a model's suggestion may go:

- The ceiling is the catalog's own scoring of the item (indicators.scoring.score_unit) with the
  item's rule checks and an element coverage measured on *verified evidence only*: the elements the
  rules' coverage found in the item's own kind of evidence, plus the elements the model's verified
  quotes show, quote sentence by quote sentence, when they come from that kind of evidence and not
  from a sentence holding planted instructions.
- Where rules decided the item (a ladder rung, a deadline, a deduction), coverage does not enter the
  catalog's scoring, so the ceiling is the rules' points. Where the rules abstained (the material
  cannot decide) or the item's scoring needs a rule (deadline, arithmetic, ledgers), the ceiling is
  what the rules gave: a quote cannot stand in for a computation. Where only coverage spoke, the
  ceiling is the coverage score over the elements that verified citations show.
- No verified citation of the item's own evidence type adds nothing: the ceiling is then the rules'
  suggestion.

A suggestion above the ceiling is cut to it, flagged points_capped + needs_human, and the finding
says why ("模型建议满分，核实的引文仅支持 1 分").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.coverage import ElementMatcher
from assistant.passages import sentences
from core.document import WEB_PAGE_KINDS, DocType, Document
from core.findings import Citation, Verdict
from indicators.catalog import ScoredUnit
from indicators.rules.base import Check, Outcome
from indicators.scoring import ScoreResult, score_unit

_EPS = 1e-9


def points_text(points: float) -> str:
    """1.0 -> "1", 0.5 -> "0.5" (as a reviewer writes points in a sentence)."""
    return f"{points:.1f}".removesuffix(".0")


def evidence_types_of(unit: ScoredUnit) -> frozenset[DocType]:
    """The kinds of document the item is assessed on (empty: any). A web page of a kind counts as a
    web page (a guide, an org page, a column page or a list)."""
    wanted = set(unit.evidence_types)
    if DocType.web_page in wanted:
        wanted |= WEB_PAGE_KINDS
    return frozenset(wanted)


def is_decisive(check: Check) -> bool:
    return check.outcome in (Outcome.passed, Outcome.failed) or bool(check.deduction) or check.measure is not None


@dataclass(frozen=True)
class Ceiling:
    points: float
    verdict: Verdict
    basis: str  # Chinese: what supports these points
    result: ScoreResult | None = None  # the catalog's scoring behind it (None: a plain cap)
    raised_by_model: bool = False  # the model's quotes showed elements the rules' coverage had not found

    def cut_note(self, suggested: float, max_points: float, applied: float | None = None) -> str:
        """"模型建议满分，核实的引文仅支持 1 分（…），已按 1 分计"."""
        asked = "满分" if suggested >= max_points - _EPS else f"{points_text(suggested)} 分"
        kept = points_text(self.points if applied is None else applied)
        return f"模型建议{asked}，核实的引文仅支持 {kept} 分（{self.basis}），已按 {kept} 分计"


@dataclass
class CeilingBasis:
    """What the ceiling of one item is computed from, before the model's citations are known."""

    unit: ScoredUnit
    checks: Sequence[Check]  # the unit's own checks
    elements: list[str]  # what coverage looks for (required elements, else keywords)
    shown: frozenset[str]  # elements the rules' coverage found in the item's own evidence
    coverage_measured: bool  # the item's own kind of evidence was among the passages
    forms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def decisive(self) -> bool:
        return any(is_decisive(c) for c in self.checks)

    def ceiling(self, citations: Sequence[Citation], documents: Mapping[str, Document],
                blocked: Callable[[str | None, int, int], bool] | None = None) -> Ceiling:
        """The ceiling once `citations` (verified; typically the model's) are known."""
        shown = set(self.shown)
        if self.coverage_measured and not self.decisive:
            shown |= self._shown_by(citations, documents, blocked)
        share = (sum(1 for e in self.elements if e in shown) / len(self.elements) if self.elements else 0.0) \
            if self.coverage_measured else None
        result = score_unit(self.unit, self.checks, share)
        if self.decisive:
            basis = f"规则依据材料计得 {points_text(result.points)} 分"
        elif share is None:
            basis = "未见本项所需类型的材料"
        elif result.verdict == Verdict.insufficient_evidence:
            basis = "规则认定现有材料不足以评分"
        else:
            named = "、".join(f"“{e}”" for e in dict.fromkeys(self.elements) if e in shown)
            basis = (f"核实的材料显示 {sum(1 for e in self.elements if e in shown)}/{len(self.elements)} 项要素"
                     + (f"：{named}" if named else ""))
        return Ceiling(result.points, result.verdict, basis, result, raised_by_model=len(shown) > len(self.shown))

    def _shown_by(self, citations: Sequence[Citation], documents: Mapping[str, Document],
                  blocked: Callable[[str | None, int, int], bool] | None) -> set[str]:
        wanted = evidence_types_of(self.unit)
        missing = [ElementMatcher.of(e, self.forms) for e in dict.fromkeys(self.elements) if e not in self.shown]
        found: set[str] = set()
        for c in citations:
            doc = documents.get(c.doc_id or "")
            if doc is None or (wanted and doc.doc_type not in wanted):
                continue
            # sentence by sentence, as coverage reads evidence: two half-sentences never add up to one
            for s, e in sentences(doc, c.start, c.end):
                if blocked is not None and blocked(doc.doc_id, s, e):
                    continue
                found |= {m.element for m in missing if m.element not in found and m.shown_by(doc.text[s:e])}
        return found


def plain_ceiling(points: float, verdict: Verdict) -> Ceiling:
    """For callers with no catalog unit: the rules' suggestion is the most a model may reach."""
    return Ceiling(points, verdict, "无目录依据，不得超过规则建议")
