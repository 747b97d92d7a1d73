"""Small builders shared by the assistant tests: passages cut from DocBuilder documents."""

from __future__ import annotations

from core.document import Chunk, Document


def chunk_of(doc: Document, start: int, end: int, n: int = 0) -> Chunk:
    return Chunk(
        chunk_id=f"{doc.doc_id}:{n}", doc_id=doc.doc_id, file=doc.file, unit=doc.unit, doc_type=doc.doc_type,
        year=doc.year, text=doc.text[start:end], start=start, end=end, page=doc.page_of(start),
    )


def chunks_by_block(doc: Document) -> list[Chunk]:
    """One passage per block, as a simple chunker would cut them."""
    return [chunk_of(doc, b.start, b.end, i) for i, b in enumerate(doc.blocks)]


def additive_unit(indicator_id: str, sub: int | None, max_points: float, elements: list[str],
                  forms: dict[str, list[str]] | None = None, evidence_types=()):
    """A catalog unit scored by the share of its required elements (for ceiling tests)."""
    from indicators.catalog import AdditiveRule, ScoredUnit

    return ScoredUnit(id=indicator_id, sub=sub, name="测试项目", max_points=max_points, text="考核要点",
                      required_elements=elements, element_terms=forms or {}, keywords=[],
                      evidence_types=list(evidence_types), notes=[], scoring=AdditiveRule())


def coverage_ceiling(unit, shown=(), checks=()):
    """The ceiling basis of a coverage-scored unit whose rules' coverage found `shown`."""
    from assistant.ceiling import CeilingBasis

    return CeilingBasis(unit=unit, checks=list(checks), elements=list(unit.required_elements),
                        shown=frozenset(shown), coverage_measured=True,
                        forms={e: unit.terms_for(e) for e in unit.required_elements})
