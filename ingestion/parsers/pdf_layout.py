"""PDF page layout: text runs and ruled tables ordered top to bottom, and tables across pages.

Tables come from pdfplumber's `find_tables()` (ruling lines). Merged cells come from the cell boxes:
a box covering several column/row lines gets colspan/rowspan. Cell text is pdfplumber's, joined
into one line. A table that opens a page right after a table closing the previous page is the same
table continued: with the same number of columns it is joined into one logical table (a repeated
header row is dropped), otherwise it is kept and marked `continued_from_previous`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from ingestion.builder import CellSpec, clean_cell
from ingestion.parsers.paragraphs import BARE_NUMBER, is_page_number
from ingestion.parsers.pdf_ruling import CellText, display_transform, table_cell_groups, text_lines
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
    """The index of the grid line nearest to v (grid sorted)."""
    if not grid:
        return 0
    i = bisect_left(grid, v)
    if i == len(grid) or (i > 0 and v - grid[i - 1] <= grid[i] - v):
        return i - 1
    return i


def _count_between(grid: list[float], low: float, high: float) -> int:
    """How many grid lines g satisfy low <= g < high (grid sorted)."""
    return max(0, bisect_left(grid, high) - bisect_left(grid, low))


def table_item(boxes: list[tuple[float, float, float, float]], text_of, page_no: int, top: float) -> TableItem | None:
    """Cell boxes (x0, top, x1, bottom) -> a grid: a box covering several column/row lines spans them."""
    if not boxes:
        return None
    xs = _snap([b[0] for b in boxes])
    ys = _snap([b[1] for b in boxes])
    cells: list[CellSpec] = []
    for box in boxes:
        x0, btop, x1, bottom = box
        colspan = max(1, _count_between(xs, x0 - 1, x1 - 1))
        rowspan = max(1, _count_between(ys, btop - 1, bottom - 1))
        cells.append(CellSpec(row=_index(ys, btop), col=_index(xs, x0), text=clean_cell(text_of(box)),
                              rowspan=rowspan, colspan=colspan, page=page_no))
    n_cols = max(c.col + c.colspan for c in cells)
    return TableItem(top=top, cells=cells, n_cols=n_cols, header_rows=detect_header_rows(cells, n_cols, max_scan=3))


def _plumber_text_of(table):
    """Cell text from pdfplumber's extract(), looked up by the cell's box."""
    texts = table.extract()
    tops = sorted(set(b[1] for b in table.cells))
    lefts = sorted(set(b[0] for b in table.cells))

    def text_of(box):
        r, c = tops.index(box[1]), lefts.index(box[0])
        return (texts[r][c] or "") if r < len(texts) and c < len(texts[r]) else ""

    return text_of


def _assemble(tables: list[TableItem], lines: list[tuple[float, float, float, float, str]],
              boxes: list[tuple[float, float, float, float]]) -> PageContent:
    """Tables and the text lines outside them, top to bottom; page numbers dropped."""
    content = PageContent(items=[(t.top, t) for t in tables])
    for x0, top, x1, bottom, text in lines:
        mid_x, mid_y = (x0 + x1) / 2, (top + bottom) / 2
        if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes) or is_page_number(text):
            continue
        content.items.append((top, [text]))
    content.items.sort(key=lambda it: it[0])
    for end in (-1, 0):  # a bare page number at the bottom or top of the page
        if content.items and isinstance(content.items[end][1], list) and BARE_NUMBER.match(content.items[end][1][0]):
            content.items.pop(end)
    return _merge_text_runs(content)


def layout_page(plumber_page, page_no: int) -> PageContent:
    """pdfplumber's full path (pdfminer): tables and text lines outside them."""
    tables = plumber_page.find_tables()  # (pdfplumber drops single-cell "tables": a page frame stays text)
    items = [table_item(t.cells, _plumber_text_of(t), page_no, t.bbox[1]) for t in tables]
    lines = [(ln["x0"], ln["top"], ln["x1"], ln["bottom"], ln["text"])
             for ln in plumber_page.extract_text_lines(return_chars=False)]
    return _assemble([t for t in items if t], lines, [t.bbox for t in tables])


def ruled_layout(page, textpage, raw: str, page_no: int, objects=None) -> PageContent | None:
    """The fast path: ruling edges from pdfium, pdfplumber's cell algorithm, pdfium text.
    None when the page needs pdfplumber's full path (see ingestion.parsers.pdf_ruling)."""
    groups = table_cell_groups(page, objects)
    to_display = display_transform(page)
    lines = text_lines(textpage, raw, to_display) if groups is not None else None
    if groups is None or lines is None:
        return None
    cells = CellText(page, textpage)
    boxes = [(min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g))
             for g in groups]
    items = [table_item(g, cells.text_in, page_no, box[1])
             for g, box in zip(groups, boxes, strict=True)]
    return _assemble([t for t in items if t], lines, boxes)


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


def scanned_content(groups: list[list[tuple[float, float, float, float]]],
                    boxes: list[tuple[float, float, float, float, str]], page_no: int) -> PageContent:
    """A scanned page: ruled tables whose cells hold the OCR boxes centred in them, and the other OCR
    boxes as lines (ingestion.parsers.scan_tables gives both, in image pixels)."""
    from ingestion.ocr import group_lines

    def inside(box, cell) -> bool:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]

    def text_of(cell) -> str:
        found = sorted((b for b in boxes if inside(b, cell)), key=lambda b: (b[1], b[0]))
        return "\n".join(b[4] for b in found)

    bounds = [(min(c[0] for c in g), min(c[1] for c in g), max(c[2] for c in g), max(c[3] for c in g))
              for g in groups]
    tables = [table_item(g, text_of, page_no, bound[1]) for g, bound in zip(groups, bounds, strict=True)]
    outside = [b for b in boxes if not any(inside(b, bound) for bound in bounds)]
    lines = group_lines([([[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]], b[4]) for b in outside])
    content = PageContent(items=[(t.top, t) for t in tables if t], ocr=True)
    content.items += [(line.top, [line.text]) for line in lines]
    content.items.sort(key=lambda it: it[0])
    return _merge_text_runs(content)
