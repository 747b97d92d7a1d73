"""Split a parsed Document into retrievable chunks that respect Chinese document structure.

Boundaries, in order of preference: headings (一、（一）1. …), paragraph ends, sentence ends
(。！？；), then commas, then a hard cut. Chunks stay within `max_chars` and start a new chunk at
every heading, so a chunk never mixes two sections. Consecutive chunks of one section share a
short tail of sentences (`overlap_chars`) so a passage cut at a boundary is still found whole.

Tables become their own chunks: rows are grouped to fit the size bound, and every group repeats
the header row(s) in its text, so a row of a 30-row table is still readable as "列名: 值". The
text of such a chunk therefore differs from doc.text[start:end], but start/end point at the real
rows (citations are verified against doc.text, never against chunk text).

A saved web page's site navigation (BlockKind.navigation, after the main text) is chunked on its
own: its chunks have kind `navigation` and the heading 网站导航, and never share a chunk with the
article, so retrieval can find a site's columns and tell them from the page's content.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from core.document import Block, BlockKind, Chunk, Document, Table

MAX_CHARS = 600
MIN_CHARS = 400  # at a paragraph end, a chunk this long is closed rather than grown
OVERLAP_CHARS = 100
HEADING_PATH_SEP = " > "
NAVIGATION_HEADING = "网站导航"

# A sentence ends after 。！？； (and ASCII !?;), plus any closing quotes/brackets, or at a newline.
_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)\]]*|\n+")
_SOFT_BREAK = re.compile(r"[，、：,:]")


@dataclass
class _Piece:
    start: int
    end: int


def content_hash(text: str) -> str:
    """Hash of a chunk's text: the key of the vector cache (same text -> same vector)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def chunk_id_for(doc_id: str, ordinal: int, text: str) -> str:
    return f"{doc_id}-{ordinal:04d}-{content_hash(text)[:8]}"


def split_sentences(text: str, start: int, end: int, max_chars: int = MAX_CHARS) -> list[_Piece]:
    """Sentence spans of text[start:end], trimmed of whitespace; over-long sentences are cut
    at commas and finally at max_chars."""
    pieces: list[_Piece] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        pieces.extend(_bound(text, pos, m.end(), max_chars))
        pos = m.end()
    pieces.extend(_bound(text, pos, end, max_chars))
    return pieces


def _trim(text: str, start: int, end: int) -> _Piece | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _Piece(start, end) if end > start else None


def _bound(text: str, start: int, end: int, max_chars: int) -> list[_Piece]:
    piece = _trim(text, start, end)
    if piece is None:
        return []
    if piece.end - piece.start <= max_chars:
        return [piece]
    out: list[_Piece] = []
    pos = piece.start
    while piece.end - pos > max_chars:
        window_end = pos + max_chars
        soft = [m.end() for m in _SOFT_BREAK.finditer(text, pos + max_chars // 2, window_end)]
        cut = soft[-1] if soft else window_end
        out.append(_Piece(pos, cut))
        pos = cut
    out.append(_Piece(pos, piece.end))
    return out


class _Chunker:
    def __init__(self, doc: Document, max_chars: int, min_chars: int, overlap_chars: int):
        self.doc = doc
        self.max_chars, self.min_chars, self.overlap_chars = max_chars, min_chars, overlap_chars
        self.headings: dict[int, str] = {}  # level -> heading text
        self.buf: list[_Piece] = []
        self.buf_heading_only = False  # buf holds only heading line(s) so far
        self.out: list[tuple[int, int, str, str | None, BlockKind]] = []
        self.kind = BlockKind.paragraph  # of the text chunks; navigation once the site navigation begins

    # --- state ---------------------------------------------------------------------------
    def heading_path(self) -> str | None:
        if not self.headings:
            return None
        return HEADING_PATH_SEP.join(self.headings[k] for k in sorted(self.headings))

    def _buf_len(self) -> int:
        return self.buf[-1].end - self.buf[0].start if self.buf else 0

    def flush(self, carry: bool) -> None:
        if not self.buf or self.buf_heading_only:
            return
        start, end = self.buf[0].start, self.buf[-1].end
        self.out.append((start, end, self.doc.text[start:end], self.heading_path(), self.kind))
        tail: list[_Piece] = []
        if carry:
            for piece in reversed(self.buf):
                if end - piece.start > self.overlap_chars:
                    break
                tail.insert(0, piece)
            if len(tail) == len(self.buf):  # never carry the whole chunk over
                tail = tail[1:]
        self.buf = tail

    def add(self, piece: _Piece) -> None:
        if self.buf and piece.end - self.buf[0].start > self.max_chars:
            self.flush(carry=True)
            if self.buf and piece.end - self.buf[0].start > self.max_chars:
                self.buf = []
        self.buf.append(piece)
        self.buf_heading_only = False

    # --- blocks --------------------------------------------------------------------------
    def heading(self, block: Block) -> None:
        text = " ".join(self.doc.text[block.start : block.end].split())
        if not text:
            return
        if not self.buf_heading_only:
            self.flush(carry=False)
            self.buf = []
        level = block.level or 1
        self.headings = {k: v for k, v in self.headings.items() if k < level}
        self.headings[level] = text[:80]
        piece = _trim(self.doc.text, block.start, block.end)
        if piece is not None:
            self.buf.append(piece)
            self.buf_heading_only = True

    def paragraph(self, block: Block) -> None:
        if self.buf and not self.buf_heading_only and self._buf_len() >= self.min_chars:
            self.flush(carry=False)
        for piece in split_sentences(self.doc.text, block.start, block.end, self.max_chars):
            self.add(piece)

    def navigation(self, block: Block) -> None:
        if self.kind is not BlockKind.navigation:  # the main text ends here
            self.buf_heading_only = False  # a trailing heading alone is still content
            self.flush(carry=False)
            self.buf, self.kind = [], BlockKind.navigation
            self.headings = {1: NAVIGATION_HEADING}
        self.paragraph(block)

    def table(self, block: Block, table: Table) -> None:
        lead = self.buf[0].start if self.buf and self.buf_heading_only else None
        lead_text = self.doc.text[lead : self.buf[-1].end] + "\n" if lead is not None else ""
        self.flush(carry=False)
        self.buf, self.buf_heading_only = [], False
        grid = table.grid()
        n_header = min(max(table.header_rows, 1), table.n_rows) if table.n_rows > 1 else 0
        header_text = "\n".join(_row_text(row) for row in grid[:n_header])
        spans = _row_spans(table)
        rows = [(r, _row_text(grid[r]), spans.get(r)) for r in range(n_header, table.n_rows)]
        rows = [row for row in rows if row[1]]
        if not rows:  # a header-only table: one chunk of its text
            rows = [(0, header_text, (block.start, block.end))]
            header_text = ""
        group: list[tuple[int, str, tuple[int, int] | None]] = []
        budget = self.max_chars - len(header_text) - len(lead_text)
        first = True

        def emit() -> None:
            nonlocal first, lead_text
            spans = [span for _, _, span in group if span is not None]
            start = block.start if first else (spans[0][0] if spans else block.start)
            end = spans[-1][1] if spans else block.end
            if first and lead is not None:
                start = lead
            body = "\n".join(text for _, text, _ in group)
            text = lead_text + (header_text + "\n" if header_text else "") + body
            self.out.append((start, max(end, start), text, self.heading_path(), BlockKind.table))
            first, lead_text = False, ""

        size = 0
        for row in rows:
            if group and size + len(row[1]) + 1 > budget:
                emit()
                group, size = [], 0
                budget = self.max_chars - len(header_text)
            group.append(row)
            size += len(row[1]) + 1
        if group:
            emit()


def _row_text(row: list[str]) -> str:
    cells = [" ".join(c.split()) for c in row]
    # merged cells repeat their text over the area; show each distinct run once
    out: list[str] = []
    for c in cells:
        if not out or c != out[-1]:
            out.append(c)
    return " | ".join(out).strip(" |")


def _row_spans(table: Table) -> dict[int, tuple[int, int]]:
    """Row -> the text span its non-empty cells cover, in one pass over the cells (a row-by-row
    scan of every cell was quadratic: minutes for a 20,000-row ledger)."""
    spans: dict[int, tuple[int, int]] = {}
    for c in table.cells:
        if c.end > c.start:
            old = spans.get(c.row)
            spans[c.row] = (c.start, c.end) if old is None else (min(old[0], c.start), max(old[1], c.end))
    return spans


def _with_gaps(text: str, blocks: list[Block]) -> list[Block]:
    """Text no block covers (a parser that only marks some structure) becomes paragraphs, so
    nothing of the document is unsearchable."""
    out: list[Block] = []
    pos = 0
    for block in [*blocks, None]:
        end = block.start if block is not None else len(text)
        if end > pos and text[pos:end].strip():
            out.append(Block(kind=BlockKind.paragraph, start=pos, end=end, page=None))
        if block is not None:
            out.append(block)
            pos = max(pos, block.end)
    return out


def chunk_document(
    doc: Document,
    *,
    max_chars: int = MAX_CHARS,
    min_chars: int = MIN_CHARS,
    overlap_chars: int = OVERLAP_CHARS,
) -> list[Chunk]:
    """The chunks of one document, in reading order, with stable ids."""
    blocks = _with_gaps(doc.text, sorted(doc.blocks, key=lambda b: (b.start, b.end)))
    chunker = _Chunker(doc, max_chars, min_chars, overlap_chars)
    for block in blocks:
        if block.kind == BlockKind.navigation:
            chunker.navigation(block)
        elif block.kind == BlockKind.heading:
            chunker.heading(block)
        elif block.kind == BlockKind.table and block.table is not None and block.table.cells:
            chunker.table(block, block.table)
        else:
            chunker.paragraph(block)
    chunker.buf_heading_only = False  # a trailing heading alone is still content
    chunker.flush(carry=False)

    chunks: list[Chunk] = []
    for start, end, text, heading, kind in chunker.out:
        if not text.strip():
            continue
        ordinal = len(chunks)
        chunks.append(
            Chunk(
                chunk_id=chunk_id_for(doc.doc_id, ordinal, text),
                doc_id=doc.doc_id,
                file=doc.file,
                unit=doc.unit,
                doc_type=doc.doc_type,
                year=doc.year,
                text=text,
                start=start,
                end=end,
                page=doc.page_of(start),
                heading=heading,
                kind=kind,
            )
        )
    return chunks
