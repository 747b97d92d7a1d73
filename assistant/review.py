"""Per-item review of one unit: retrieval -> rules -> evidence coverage -> points -> (LLM) -> Finding.

Rules win on computed facts; an item no rule covers still gets an evidence-based finding from the
coverage of its required elements (low confidence); an item without any evidence is
insufficient_evidence with 0 points, flagged - never silently "not met". Every citation shown is
verified against its document (assistant.citations) before it leaves this module.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ceiling import CeilingBasis, evidence_types_of, is_decisive
from assistant.checklist import ChecklistItem
from assistant.checkpoints import CheckpointStore, fingerprint
from assistant.coverage import Coverage, element_coverage
from assistant.evidence import build_evidence
from assistant.injection import InjectionIndex
from assistant.judge import ItemInput, iter_review_items
from assistant.llm.backend import LLMBackend
from assistant.roster import RosterStore
from assistant.scorecard import Scorecard
from core.document import DOC_TYPE_LABELS, Chunk, Document
from core.findings import Citation, Finding, Flag, Source, Verdict, unique_citations
from core.textnorm import normalize
from indicators.catalog import Catalog, ScoredUnit
from indicators.rules.base import Check, Evidence, Outcome, Registry, load_all_rules
from indicators.scoring import checks_for, score_unit
from indicators.units import Roster
from prompts import prompts_version

log = logging.getLogger(__name__)

MAX_CITATIONS = 6


# the assistant's own scoring code: what a finding is made of besides the rules (coverage, merge with
# the model, the points ceiling, planted-instruction patterns)
_SCORING_FILES = ("review.py", "coverage.py", "judge.py", "ceiling.py", "citations.py", "injection.py",
                  "injection_patterns.yaml")


def rules_version() -> str:
    """A hash of the rule and scoring code: checkpoints of older code are not reused."""
    import indicators

    h = hashlib.sha256()
    for path in sorted(Path(indicators.__file__).parent.rglob("*.py")):
        h.update(path.read_bytes())
    here = Path(__file__).parent
    for name in _SCORING_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def run_rules(registry: Registry, evidence: Evidence) -> list[Check]:
    """Every registered rule on the unit's evidence. A rule that crashes becomes a flagged unknown."""
    checks: list[Check] = []
    for r in registry.rules.values():
        try:
            checks.extend(r.run(evidence))
        except Exception as exc:  # one broken rule must not sink the unit's review
            log.exception("rule %s failed", r.id)
            checks.append(Check(rule_id=r.id, indicator_id=r.indicator_id, sub=r.sub, title=f"规则 {r.id}",
                                outcome=Outcome.unknown, flags=[Flag.needs_human],
                                rationale=f"规则运行出错（{type(exc).__name__}），需人工复核。"))
    return checks


def element_list(unit: ScoredUnit) -> list[str]:
    """What the evidence must show for this item; the keywords stand in when the catalog names none."""
    return list(unit.required_elements) or list(unit.keywords[:5])


def query_for(unit: ScoredUnit) -> str:
    return " ".join([unit.text, *unit.search_terms()])


def _relevant(chunk: Chunk, terms: Sequence[str]) -> bool:
    text = normalize(chunk.text)
    return any(t in text for t in terms)


def retrieve(workspace, unit: ScoredUnit, unit_name: str, doc_ids: list[str], k: int = 6) -> list[Chunk]:
    """The best passages of the year's evidence for this item, keeping only those that mention it."""
    if not doc_ids:
        return []
    hits = workspace.search(query_for(unit), unit=unit_name, doc_ids=doc_ids, k=k * 2)
    terms = [t for t in (normalize(x) for x in unit.search_terms()) if len(t) >= 2]
    relevant = [h.chunk for h in hits if _relevant(h.chunk, terms)]
    return relevant[:k]


def split_by_evidence_type(unit: ScoredUnit, passages: Sequence[Chunk]) -> tuple[list[Chunk], list[Chunk]]:
    """Passages from the kinds of evidence the item is assessed on (核查资料及网页截图, 台账...) vs context.

    A county's annual report saying "办理行政许可1523件" mentions 双公示 but does not show it: such
    passages are shown to the reviewer, never counted as the item's evidence.
    """
    wanted = evidence_types_of(unit)  # a guide, org page, column page or list is a web page of its kind
    if not wanted:
        return list(passages), []
    direct = [p for p in passages if p.doc_type in wanted]
    return direct, [p for p in passages if p.doc_type not in wanted]


def _verdict_share_text(cov: Coverage) -> str:
    found = "、".join(h.element for h in cov.found) or "无"
    missing = "、".join(cov.missing) or "无"
    return f"材料中可见的要素：{found}；未见的要素：{missing}"


def baseline_finding(unit: ScoredUnit, checks: Sequence[Check], passages: Sequence[Chunk],
                     documents: dict[str, Document]) -> Finding:
    """Rules + evidence coverage + the catalog's scoring rule, before any LLM."""
    return assess_baseline(unit, checks, passages, documents)[0]


def assess_baseline(unit: ScoredUnit, checks: Sequence[Check], passages: Sequence[Chunk],
                    documents: dict[str, Document],
                    injections: InjectionIndex | None = None) -> tuple[Finding, CeilingBasis]:
    """The baseline finding, and what its points ceiling is computed from (assistant/ceiling.py).

    Sentences holding planted instructions (`injections`) are not evidence: coverage skips them."""
    mine = checks_for(unit, checks)
    decisive = [c for c in mine if is_decisive(c)]
    elements = element_list(unit)
    forms = {e: unit.terms_for(e) for e in unit.required_elements}
    direct, context = split_by_evidence_type(unit, passages)
    blocked = injections.overlaps if injections else None
    cov = element_coverage(elements, direct, documents, forms, blocked) if direct else None
    result = score_unit(unit, mine, cov.share if cov is not None else None)
    context_cov = element_coverage(elements, context, documents, forms, blocked) if context and not direct else None
    basis = CeilingBasis(unit=unit, checks=mine, elements=elements, forms=forms, coverage_measured=cov is not None,
                         shown=frozenset(h.element for h in cov.found) if cov is not None else frozenset())

    citations: list[Citation] = []
    # what went wrong first (the reviewer checks these), then what was found in order, then what could
    # not be decided (an excerpt's last heading says less than the date the deadline was held to)
    def rank(c: Check) -> int:
        return 0 if c.outcome == Outcome.failed or c.deduction else 1 if c.outcome == Outcome.passed else 2
    # within a rank a check that points at one passage before a check listing many (six headings)
    for c in sorted(mine, key=lambda c: (rank(c), len(c.citations) > 2)):
        citations.extend(c.citations)
    if cov is not None:
        citations.extend(h.citation for h in cov.found if h.citation)
    if context_cov is not None:
        citations.extend([h.citation for h in context_cov.found if h.citation][:2])

    parts = [result.rationale]
    for c in mine:
        if (c.outcome in (Outcome.failed, Outcome.unknown) or c.shown) and c.rationale:
            parts.append(f"【{c.title}】{c.rationale}")
    if cov is not None and not decisive:
        parts.append(_verdict_share_text(cov))
    if context_cov is not None and not decisive and context_cov.found:
        seen_in = "、".join(dict.fromkeys(DOC_TYPE_LABELS[c.doc_type] for c in context))
        wanted = "、".join(DOC_TYPE_LABELS[t] for t in unit.evidence_types)
        parts.append(f"仅在{seen_in}中见到相关表述，缺少本项考评所需的{wanted}等直接材料，请人工核对")
    rationale = "".join(p if p.endswith(("。", "）")) else p + "。" for p in parts if p)

    if decisive:
        source, confidence = Source.rule, 0.9
    elif result.verdict == Verdict.insufficient_evidence:
        source, confidence = Source.none, 0.2
    else:
        source, confidence = Source.none, 0.4
    finding = Finding(
        indicator_id=unit.id, sub=unit.sub, name=unit.name, max_points=unit.max_points,
        verdict=result.verdict, suggested_points=result.points, citations=unique_citations(citations)[:MAX_CITATIONS],
        rationale=rationale, source=source, confidence=confidence, flags=list(result.flags),
    )
    if any(c.outcome == Outcome.unknown for c in mine):
        finding.add_flag(Flag.needs_human)
    if finding.verdict == Verdict.insufficient_evidence and not decisive:
        gate_uncertain_types(finding, unit, documents.values())
    return finding, basis


def gate_uncertain_types(finding: Finding, unit: ScoredUnit, documents: Iterable[Document]) -> None:
    """No evidence for the item, but some material's type is uncertain: the item may have gone
    without evidence only because that material was read as another type. Ask the reviewer to
    confirm the type (materials tab) instead of reporting "无相关材料"."""
    uncertain = [d for d in documents if d.doc_type_uncertain]
    if not uncertain:
        return
    named = "、".join(f"《{d.file}》（识别为{DOC_TYPE_LABELS[d.doc_type]}，把握{d.doc_type_confidence:.0%}）"
                     for d in uncertain[:3]) + ("等" if len(uncertain) > 3 else "")
    needed = "、".join(DOC_TYPE_LABELS[t] for t in unit.evidence_types) or "相关材料"
    finding.rationale += (f"材料{named}的类型识别把握不大，本项所需的{needed}可能因此未被采用；"
                          "请在“材料”页确认材料类型后重新预审。")
    finding.flags = [f for f in finding.flags if f != Flag.no_evidence]
    finding.add_flag(Flag.doc_type_uncertain)
    finding.add_flag(Flag.needs_human)


@dataclass
class UnitReviewer:
    """Reviews the units of one workspace against one catalog with one LLM backend."""

    workspace: object  # ingestion.workspace.Workspace (kept duck-typed: tests may pass a fake)
    catalog: Catalog
    catalog_id: str
    backend: LLMBackend
    checkpoints: CheckpointStore | None = None
    registry: Registry | None = None  # default: every rule (loaded on the first unit that needs them)
    code_version: str = field(default_factory=rules_version)
    _catalog_fp: str | None = field(default=None, init=False, repr=False)

    def review(self, unit: str, year: int | None = None,
               on_item: Callable[[ScoredUnit], None] | None = None,
               only: set[str] | None = None) -> Scorecard:
        """The unit's scorecard; `only` restricts it to some indicator ids (chat asks about one)."""
        units = [su for su in self.catalog.scored_units() if only is None or su.id in only]
        unit_fp = self.unit_fingerprint(unit, year, units) if self.checkpoints and only is None else None
        if unit_fp is not None and (stored := self.checkpoints.result_if(unit, self.catalog_id, unit_fp)):
            if on_item:
                for su in units:
                    on_item(su)
            return Scorecard.from_findings(self.catalog, unit, stored[0], stored[1], catalog_id=self.catalog_id)

        documents = self.workspace.documents(unit)
        evidence = build_evidence(unit, documents, year, self.roster())
        by_id = {d.doc_id: d for d in documents}
        current = [d.doc_id for d in documents if evidence.year is None or d.year in (evidence.year, None)]
        # a document's type (set by a reviewer, or re-classified) changes what every item reads
        types = sorted((d.doc_id, str(d.doc_type)) for d in documents)
        base_fp = fingerprint(types, evidence.year, evidence.body_level, evidence.body_level_source,
                              *self.setup_identity())

        checks: list[Check] | None = None  # computed lazily: a fully checkpointed unit costs nothing
        injections: InjectionIndex | None = None
        findings: dict[str, Finding] = {}
        pending: list[tuple[ScoredUnit, str, ItemInput]] = []
        for su in units:
            fp = fingerprint(base_fp, su.key)
            cached = self.checkpoints.get(unit, self.catalog_id, su.id, su.sub, fp) if self.checkpoints else None
            if cached is not None:
                findings[su.key] = cached
                if on_item:
                    on_item(su)
                continue
            if checks is None or injections is None:
                if self.registry is None:
                    self.registry = load_all_rules()
                checks = run_rules(self.registry, evidence)
                injections = InjectionIndex.of(documents)  # planted instructions are never evidence
            passages = retrieve(self.workspace, su, unit, current)
            base, ceiling = assess_baseline(su, checks, passages, by_id, injections)
            pending.append((su, fp, ItemInput(item=ChecklistItem.from_unit(self.catalog.indicator(su.id), su),
                                              baseline=base, checks=checks_for(su, checks), passages=passages,
                                              ceiling=ceiling)))
        # the LLM step runs over all pending items at once (bounded concurrency in the backend); each
        # finding is checkpointed as its answer arrives, so an interrupted run keeps what is done
        for i, finding in iter_review_items(self.backend, [p[2] for p in pending], by_id, unit=unit,
                                            year=evidence.year, injections=injections):
            su, fp, _ = pending[i]
            findings[su.key] = finding
            # a failed model call is not remembered: the next run asks again
            if self.checkpoints and Flag.llm_error not in finding.flags:
                self.checkpoints.put(unit, self.catalog_id, evidence.year, finding, fp)
            if on_item:
                on_item(su)

        sc = Scorecard.from_findings(self.catalog, unit, evidence.year, findings.values(),
                                     catalog_id=self.catalog_id, only=only)
        if self.checkpoints and only is None:  # a complete review: the unit's current result
            failed = any(Flag.llm_error in f.flags for f in findings.values())  # asked again next run
            self.checkpoints.save_result(unit, self.catalog_id, sc.year, sc.findings(), None if failed else unit_fp)
        return sc

    def catalog_fingerprint(self) -> str:
        if self._catalog_fp is None:  # a dump of the whole catalog per unit cost more than the unit's look-ups
            self._catalog_fp = fingerprint(self.catalog.model_dump(mode="json"))
        return self._catalog_fp

    def unit_fingerprint(self, unit: str, year: int | None, units: Sequence[ScoredUnit]) -> str:
        """Everything a whole review of the unit depends on, from the workspace's rows alone (no document is
        read): its documents (name, content id, type, year), the year asked, the roster, the rules' code, the
        catalog, the LLM configuration, the prompts and the retrieval (BM25 library, tokenizer, dense model
        when on). Equal fingerprints, equal scorecards."""
        rows = sorted((r.file, r.doc_id, r.doc_type, r.year) for r in self.workspace.document_rows(unit, "ok")
                      if r.doc_id)
        store = self._roster_store()
        roster_fp = hashlib.sha256(store.path.read_bytes()).hexdigest() if store and store.path.is_file() else ""
        return fingerprint("unit", rows, year, roster_fp, *self.setup_identity(), [su.key for su in units])

    def setup_identity(self) -> list[str]:
        """What every review depends on besides the unit's own material: the rules' code, the catalog, the LLM
        configuration, the prompts and the retrieval. Part of both the per-item and the per-unit fingerprints."""
        return [self.code_version, self.catalog_fingerprint(), self.backend_identity(), prompts_version(),
                self.retrieval_identity()]

    def roster(self) -> Roster | None:
        """The workspace's unit roster (re-read per unit: the reviewer may edit it between runs)."""
        store = self._roster_store()
        return store.load() if store is not None else None

    def _roster_store(self) -> RosterStore | None:
        path = getattr(self.workspace, "path", None)  # an in-memory stand-in for a workspace has no roster
        return RosterStore(path, self.catalog) if path is not None else None

    def retrieval_identity(self) -> str:
        identity = getattr(self.workspace, "retrieval_identity", None)  # a stand-in workspace may have none
        return identity() if identity is not None else ""

    def backend_identity(self) -> str:
        return getattr(self.backend, "identity", None) or type(self.backend).__name__
