"""Ledger reading over the Document model: table blocks -> kind, column map, typed rows with spans.

A ledger is a Document (normally DocType.ledger) whose table blocks come from the XLSX/CSV parser
with `header_rows` set. Parsers may leave a title row above the headers or miss the header row, so
the header is taken as the row among the first few that matches a kind best; rows above it are
title context. Each data row keeps the span from its first to its last non-empty cell: that is the
row's citation. A row with a single filled cell in a wider table is a footer line (填报单位：…,
说明：…) and is kept as a note, not a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.document import Block, BlockKind, DocType, Document, Table
from core.findings import Citation, cite
from core.textnorm import normalize
from indicators.ledgers.columns import COLUMNS, Col, ColType
from indicators.ledgers.kinds import KINDS, KindMatch, LedgerKind, detect_kind
from indicators.ledgers.values import parse_count, parse_date, parse_flag
from indicators.rules.base import Evidence

Value = dt.date | int | bool | str | None

_MAX_HEADER_SCAN = 6  # title rows a ledger may carry above its header
_MAX_HEADER_COLUMNS = 200  # headers further right are not matched (a 20 000-column sheet took minutes)
_TOTAL_ROW_WORDS = ("合计", "小计", "总计")


@dataclass
class LedgerRow:
    """One data row: raw cell text and typed values per known column, and its span in the document."""

    row: int  # row index within the table
    raw: dict[Col, str]
    values: dict[Col, Value]
    start: int
    end: int
    citation: Citation  # the row's span: first to last non-empty cell

    def get(self, col: Col) -> Value:
        return self.values.get(col)

    def text(self, col: Col) -> str:
        return self.raw.get(col, "").strip()

    def date(self, col: Col) -> dt.date | None:
        v = self.values.get(col)
        return v if isinstance(v, dt.date) else None

    def count(self, col: Col) -> int | None:
        v = self.values.get(col)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    def flag(self, col: Col) -> bool | None:
        v = self.values.get(col)
        return v if isinstance(v, bool) else None


@dataclass
class LedgerTable:
    doc: Document
    kind: LedgerKind
    columns: dict[Col, int]
    headers: list[str]
    header_row: int
    header_span: tuple[int, int]
    rows: list[LedgerRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # footer lines: 填报单位：…, 说明：…
    context: str = ""
    score: int = 0  # how well the headers fit the kind (kinds.py)

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    def cite_row(self, row: LedgerRow) -> Citation:
        return row.citation

    def cite_header(self) -> Citation:
        return cite(self.doc, *self.header_span)

    def header_of(self, col: Col) -> str:
        return self.headers[self.columns[col]] if col in self.columns else COLUMNS[col].label


def _row_span(table: Table, r: int) -> tuple[int, int] | None:
    cells = sorted((c for c in table.cells if c.row == r and c.text.strip()), key=lambda c: c.col)
    if not cells:
        return None
    return cells[0].start, cells[-1].end


def _header_texts(grid: list[list[str]], header_row: int) -> list[str]:
    """Headers of a possibly two-level header: each column's text in the header row, or, where that
    cell is empty (a group header's column without sub-headers), the nearest text above it."""
    out = []
    for col in range(min(len(grid[header_row]), _MAX_HEADER_COLUMNS)):
        text = grid[header_row][col].strip()
        if not text:
            above = [grid[r][col].strip() for r in range(header_row - 1, -1, -1) if grid[r][col].strip()]
            text = above[0] if above else ""
        out.append(text)
    return out


def _title_rows(grid: list[list[str]], header_row: int) -> str:
    """Title lines above the header: rows with one distinct text (a merged "2023年××台账" line), not
    the group headers of a two-level header (their 留言日期 would tell nothing about the ledger)."""
    lines = []
    for k in range(header_row):
        texts = {t.strip() for t in grid[k] if t.strip()}
        if len(texts) == 1:
            lines.append(texts.pop())
    return " ".join(lines)


_INSTRUCTIONS = ("填写说明", "填表说明", "使用说明")


def _nearest_label(doc: Document, block: Block) -> str:
    """The nearest non-table block before the table: the sheet name for XLSX, a caption otherwise."""
    before = [b for b in doc.blocks if b.end <= block.start and b.kind != BlockKind.table]
    return doc.text[before[-1].start:before[-1].end] if before else ""


def _context_for(doc: Document, block: Block) -> str:
    """Title context: document title, file name and the nearest label before the table."""
    return " ".join(x for x in (doc.title or "", doc.file, _nearest_label(doc, block)) if x)


def read_table(doc: Document, block: Block) -> LedgerTable | None:
    """Read one table block as a ledger; None when no ledger kind fits its headers."""
    table = block.table
    if table is None or table.n_rows == 0:
        return None
    if any(w in normalize(_nearest_label(doc, block)) for w in _INSTRUCTIONS):
        return None  # a "填表说明" sheet lists the headers but is no ledger
    grid = table.grid()
    context = _context_for(doc, block)
    first = min(max(table.header_rows - 1, 0), table.n_rows - 1)
    best: tuple[KindMatch, int] | None = None
    # top to bottom, so that on equal scores the upper row (the real header) wins over a data row
    for r in sorted({first, *range(min(_MAX_HEADER_SCAN, table.n_rows))}):
        headers = _header_texts(grid, r)
        match = detect_kind(headers, context + " " + _title_rows(grid, r))
        if match and (best is None or match.score > best[0].score):
            best = (match, r)
    if best is None:
        return None
    match, header_row = best
    headers = _header_texts(grid, header_row)
    span = _row_span(table, header_row) or (block.start, block.start)
    title_rows = _title_rows(grid, header_row)
    ledger = LedgerTable(doc, match.kind, match.columns, headers, header_row, span,
                         context=(context + " " + title_rows).strip(), score=match.score)
    default_year = doc.year
    header_norm = [normalize(h) for h in headers]
    for r in range(header_row + 1, table.n_rows):
        row_text = grid[r]
        if not any(t.strip() for t in row_text):
            continue
        if [normalize(t) for t in row_text] == header_norm:  # header repeated (page breaks, stacked sheets)
            continue
        if any(normalize(t) in _TOTAL_ROW_WORDS for t in row_text[:2]):
            continue
        filled = [t for t in row_text if t.strip()]
        if len(filled) == 1 and len(headers) >= 3:  # a merged footer line, not a record
            ledger.notes.append(filled[0].strip())
            continue
        span = _row_span(table, r)
        if span is None:
            continue
        raw = {col: row_text[pos] for col, pos in match.columns.items() if pos < len(row_text)}
        values = {col: _typed(col, text, default_year) for col, text in raw.items()}
        ledger.rows.append(LedgerRow(r, raw, values, *span, citation=cite(doc, *span)))
    return ledger


def _typed(col: Col, text: str, default_year: int | None) -> Value:
    kind = COLUMNS[col].type
    if kind == ColType.date:
        return parse_date(text, default_year)
    if kind == ColType.count:
        return parse_count(text)
    if kind == ColType.flag:
        return parse_flag(text)
    return text.strip() or None


def read_ledgers(doc: Document) -> list[LedgerTable]:
    """The document's tables read as ledgers; once per document (several ledger rules ask)."""
    if doc.doc_id is None:
        return _read_ledgers(doc)
    key = (doc.doc_id, len(doc.text), len(doc.blocks))
    if key not in _READ:
        if len(_READ) >= _READ_MAX:
            _READ.pop(next(iter(_READ)))
        _READ[key] = _read_ledgers(doc)
    return _READ[key]


def _read_ledgers(doc: Document) -> list[LedgerTable]:
    return [t for b in doc.blocks if b.table is not None and (t := read_table(doc, b)) is not None]


_READ: dict[tuple[str, int, int], list[LedgerTable]] = {}
_READ_MAX = 64  # documents: the ones of the unit under review, not the whole batch

# what a ledger rule reads: 台账 files, and clear ledger tables inside other documents (`ledgers_of`);
# never the statistical tables of an annual report or a reply letter's (issue 15: an annual report's
# tables were read as ledgers by every ledger rule)
NOT_LEDGER_SOURCES = frozenset({DocType.annual_report, DocType.request_reply, DocType.request_notice})
LEDGER_SOURCES: tuple[DocType, ...] = tuple(t for t in DocType if t not in NOT_LEDGER_SOURCES)

# A table inside a report or a page must fit a kind clearly (e.g. a keyword and a distinctive header)
# before it is read as a ledger; a table in a 台账 file needs only the kind's required columns.
MIN_SCORE_OUTSIDE_LEDGERS = 6


def ledgers_of(evidence: Evidence, *kinds: LedgerKind) -> list[LedgerTable]:
    """Every ledger table of the wanted kinds in the unit's evidence: ledger documents, and clear
    ledger tables inside other documents (a DOCX 台账, a table in a 工作总结)."""
    wanted = set(kinds)
    tables = [t for d in evidence.of_type(DocType.ledger) for t in read_ledgers(d)]
    tables += [
        t for d in evidence.of_type(*(x for x in LEDGER_SOURCES if x != DocType.ledger)) if d.tables()
        for t in read_ledgers(d) if t.score >= MIN_SCORE_OUTSIDE_LEDGERS
    ]
    return [t for t in tables if t.kind in wanted]
