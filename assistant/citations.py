"""Citation verification: nothing is shown to a reviewer unless it is verbatim in the source.

Every citation, the rules' and the model's, passes through `verify_citation` before output: the
quote is located in the cited document's text (whitespace/width-insensitive, `Document.find`), and
the offsets, page and quote are recomputed from the source. Model citations name a passage [n]; the
passage gives the document and a starting point for the search. A quote that is not there, a passage
number that does not exist, or a quote too short to be evidence is dropped and the finding flagged
`citation_dropped`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from core.document import Chunk, Document
from core.findings import Citation, Finding, Flag, cite, unique_citations
from core.textnorm import normalize

MIN_QUOTE_CHARS = 4  # normalised characters; "符合" or a bare date fragment proves nothing


class PassageQuoteLike(Protocol):
    passage: int
    quote: str


@dataclass(frozen=True)
class DroppedCitation:
    passage: int | None
    file: str | None
    quote: str
    reason: str  # Chinese, shown to the reviewer


@dataclass
class VerifiedCitations:
    citations: list[Citation] = field(default_factory=list)
    dropped: list[DroppedCitation] = field(default_factory=list)

    def apply_to(self, finding: Finding) -> Finding:
        """Put the verified citations on a finding and flag it when anything was dropped."""
        finding.citations = self.citations
        if self.dropped:
            finding.add_flag(Flag.citation_dropped)
        return finding


def _exact_span(citation: Citation, doc: Document) -> tuple[int, int] | None:
    """The citation's own offsets, if they still hold the quote (the common case for rule citations)."""
    inside = 0 <= citation.start < citation.end <= len(doc.text)
    if inside and normalize(doc.text[citation.start : citation.end]) == normalize(citation.quote):
        return citation.start, citation.end
    return None


def verify_citation(citation: Citation, document: Document) -> Citation | None:
    """The citation re-derived from the source document, or None when its quote is not in it."""
    if citation.doc_id is not None and citation.doc_id != document.doc_id:
        return None
    span = _exact_span(citation, document)
    if span is None:
        # Searching for a short quote proves nothing ("符合", a bare number); an exact span does
        # (a rule citing one table cell), so the length floor applies to searched quotes only.
        if len(normalize(citation.quote)) < MIN_QUOTE_CHARS:
            return None
        hit = document.find(citation.quote, near=citation.start)
        if hit is None:
            return None
        span = (hit.start, hit.end)
    return cite(document, *span)


def _document_for(citation: Citation, documents: Mapping[str, Document]) -> Document | None:
    if citation.doc_id is not None:
        return documents.get(citation.doc_id)
    matches = [d for d in documents.values() if d.file == citation.file]
    return matches[0] if len(matches) == 1 else None


def verify_citations(citations: Iterable[Citation], documents: Mapping[str, Document]) -> VerifiedCitations:
    """Verify citations against documents keyed by doc_id (a citation without doc_id is matched by file)."""
    out = VerifiedCitations()
    for c in citations:
        doc = _document_for(c, documents)
        verified = verify_citation(c, doc) if doc is not None else None
        if verified is None:
            reason = "引用的文件不在材料中" if doc is None else "引文在原文中未找到"
            out.dropped.append(DroppedCitation(None, c.file, c.quote, reason))
        else:
            out.citations.append(verified)
    out.citations = unique_citations(out.citations)
    return out


def verify_finding(finding: Finding, documents: Mapping[str, Document]) -> Finding:
    """The last gate before output: a copy of the finding holding only verified citations."""
    return verify_citations(finding.citations, documents).apply_to(finding.model_copy(deep=True))


def resolve_passage_quotes(
    quotes: Iterable[PassageQuoteLike],
    passages: Sequence[Chunk],
    documents: Mapping[str, Document],
) -> VerifiedCitations:
    """Turn the model's {passage, quote} pairs into verified citations.

    Passage n is `passages[n - 1]`. The quote is searched in the whole cited document, nearest to
    the passage's start (a model may quote across a chunk boundary), never in another document.
    """
    out = VerifiedCitations()
    for q in quotes:
        if not 1 <= q.passage <= len(passages):
            out.dropped.append(DroppedCitation(q.passage, None, q.quote, f"材料编号[{q.passage}]不存在"))
            continue
        chunk = passages[q.passage - 1]
        doc = documents.get(chunk.doc_id)
        if doc is None:
            out.dropped.append(DroppedCitation(q.passage, chunk.file, q.quote, "材料所属文件未载入"))
            continue
        claimed = Citation(file=chunk.file, doc_id=chunk.doc_id, page=chunk.page, start=chunk.start,
                           end=chunk.start, quote=q.quote)
        verified = verify_citation(claimed, doc)
        if verified is None:
            reason = "引文过短，不足以作为依据" if len(normalize(q.quote)) < MIN_QUOTE_CHARS else "引文在原文中未找到"
            out.dropped.append(DroppedCitation(q.passage, chunk.file, q.quote, reason))
        else:
            out.citations.append(verified)
    out.citations = unique_citations(out.citations)
    return out
