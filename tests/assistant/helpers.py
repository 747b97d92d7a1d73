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
