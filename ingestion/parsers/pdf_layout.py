"""PDF page layout: text runs and ruled tables ordered top to bottom, and tables across pages.

Tables come from pdfplumber's `find_tables()` (ruling lines). Merged cells come from the cell boxes:
a box covering several column/row lines gets colspan/rowspan. Cell text is pdfplumber's, joined
into one line. A table that opens a page right after a table closing the previous page is the same
table continued: with the same number of columns it is joined into one logical table (a repeated
header row is dropped), otherwise it is kept and marked `continued_from_previous`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.builder import CellSpec, clean_cell
from ingestion.parsers.paragraphs import BARE_NUMBER, is_page_number
from ingestion.parsers.tabular import detect_header_rows


@dataclass
class TableItem:
    top: float
    cells: list[CellSpec]
    n_cols: int
    header_rows: int
    continued: bool = False


@dataclass
class PageContent:
    items: list[tuple[float, list[str] | TableItem]] = field(default_factory=list)
    ocr: bool = False


def _snap(values: list[float], tol: float = 1.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(grid: list[float], v: float) -> int:
    return min(range(len(grid)), key=lambda i: abs(grid[i] - v)) if grid else 0


def table_item(table, page_no: int) -> TableItem | None:
    texts = table.extract()
    boxes = table.cells
    if not boxes:
        return None
    tops = sorted(set(b[1] for b in boxes))
    lefts = sorted(set(b[0] for b in boxes))
    xs = _snap(lefts)
    ys = _snap(tops)
    cells: list[CellSpec] = []
    for box in boxes:
        x0, top, x1, bottom = box
        r, c = tops.index(top), lefts.index(x0)
        text = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
        row, col = _index(ys, top), _index(xs, x0)
        colspan = max(1, sum(1 for x in xs if x0 - 1 <= x < x1 - 1))
        rowspan = max(1, sum(1 for y in ys if top - 1 <= y < bottom - 1))
        cells.append(CellSpec(row=row, col=col, text=clean_cell(text), rowspan=rowspan, colspan=colspan,
                              page=page_no))
    n_cols = max(c.col + c.colspan for c in cells)
    return TableItem(top=table.bbox[1], cells=cells, n_cols=n_cols,
                     header_rows=detect_header_rows(cells, n_cols, max_scan=3))


def layout_page(plumber_page, page_no: int) -> PageContent:
    """Text lines outside tables plus the tables, ordered top to bottom."""
    # (pdfplumber itself drops single-cell "tables": a page frame or a boxed note stays text)
    tables = plumber_page.find_tables()
    content = PageContent()
    boxes = [t.bbox for t in tables]
    for table in tables:
        item = table_item(table, page_no)
        if item is not None:
            content.items.append((item.top, item))
    for line in plumber_page.extract_text_lines(return_chars=False):
        mid_y = (line["top"] + line["bottom"]) / 2
        mid_x = (line["x0"] + line["x1"]) / 2
        if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes) or is_page_number(line["text"]):
            continue
        content.items.append((line["top"], [line["text"]]))
    content.items.sort(key=lambda it: it[0])
    for end in (-1, 0):  # a bare page number at the bottom or top of the page
        if content.items and isinstance(content.items[end][1], list) and BARE_NUMBER.match(content.items[end][1][0]):
            content.items.pop(end)
    return _merge_text_runs(content)


def _merge_text_runs(content: PageContent) -> PageContent:
    merged: list[tuple[float, list[str] | TableItem]] = []
    for top, item in content.items:
        if isinstance(item, list) and merged and isinstance(merged[-1][1], list):
            merged[-1][1].extend(item)
        else:
            merged.append((top, list(item) if isinstance(item, list) else item))
    content.items = merged
    return content


def join_continued(pages: list[PageContent]) -> None:
    """Join or mark tables that continue from the bottom of one page to the top of the next."""
    open_table: TableItem | None = None  # the table that closes the previous page, if any
    for content in pages:
        first = content.items[0][1] if content.items else None
        if open_table is not None and isinstance(first, TableItem):
            if first.n_cols == open_table.n_cols:
                _append_rows(open_table, first)
                content.items.pop(0)
            else:
                first.continued = True
        if content.items:
            last = content.items[-1][1]
            open_table = last if isinstance(last, TableItem) else None


def _append_rows(target: TableItem, part: TableItem) -> None:
    skip = 0
    if target.header_rows and _rows(part, target.header_rows) == _rows(target, target.header_rows):
        skip = target.header_rows  # the header repeated on the new page
    offset = max(c.row + c.rowspan for c in target.cells)
    target.cells.extend(
        CellSpec(row=c.row - skip + offset, col=c.col, text=c.text, rowspan=c.rowspan, colspan=c.colspan,
                 page=c.page)
        for c in part.cells if c.row >= skip
    )


def _rows(item: TableItem, n: int) -> list[tuple[int, int, str]]:
    return sorted((c.row, c.col, c.text) for c in item.cells if c.row < n)
