"""PDF: pypdfium2 for page text, pdfplumber only on pages that can hold a ruled table, OCR for scans.

Why two libraries (measured, docs/ingestion-formats.md): pypdfium2 extracts page text at ~1000
pages/s, pdfplumber at ~30-55. Tables need pdfplumber's ruling-line analysis, so a page goes to
pdfplumber only when pdfium sees enough vector paths on it to draw a grid; other pages keep the
fast path. Pages with (almost) no text layer but an image are rendered at scale 2 and OCR'd.

Tables: merged cells come from pdfplumber's cell boxes (a box covering several column/row lines
gets colspan/rowspan). A table that opens a page right after a table closing the previous page is
the same table continued: with the same number of columns it is joined into one logical table
(a repeated header row is dropped), otherwise it is kept and marked `continued_from_previous`.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion import limits, ocr
from ingestion.builder import CellSpec, clean_cell
from ingestion.errors import ParseError
from ingestion.models import Media, MediaKind
from ingestion.numbering import numbering_level
from ingestion.parsers import Parsed
from ingestion.parsers.paragraphs import add_lines, is_page_number
from ingestion.parsers.tabular import detect_header_rows
from zwgk.settings import Settings

log = logging.getLogger(__name__)
# pdfminer (under pdfplumber) logs every damaged object at WARNING; the parse outcome says enough
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MIN_PATHS_FOR_TABLE = 4  # a ruled table needs at least a few strokes or rectangles
MIN_TEXT_CHARS = 5  # fewer visible characters than this = no usable text layer
MIN_MEDIA_PT = 40  # images smaller than this (either side, in points) are icons, not content
OCR_SCALE = 2


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


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ParseError("PDF 已加密，无法读取") from exc
        raise ParseError(f"PDF 文件已损坏或不完整，无法打开（{msg}）") from exc


def _count_objects(page: pdfium.PdfPage) -> tuple[int, list[tuple[float, float]]]:
    """Vector paths (table rulings) and the sizes (pt) of the images on a page."""
    paths = 0
    images: list[tuple[float, float]] = []
    for obj in page.get_objects(max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            try:
                left, bottom, right, top = obj.get_bounds()
            except pdfium.PdfiumError:
                left = bottom = right = top = 0.0
            images.append((right - left, top - bottom))
    return paths, images


def _largest_text(textpage: pdfium.PdfTextPage) -> str | None:
    """The first run of lines set clearly larger than the body (>= 1.2x the median size) on a page,
    skipping a 红头 ("…文件") and stopping at a numbered heading: the likely title."""
    count = textpage.count_chars()
    raw = textpage.get_text_range()
    if count == 0 or len(raw) != count:
        return None
    lines: list[tuple[str, float]] = []
    current: list[tuple[str, float]] = []
    for i, ch in enumerate(raw + "\n"):
        if ch == "\n":
            chars = [(c, s) for c, s in current if not c.isspace()]
            if chars:
                sizes = sorted(s for _, s in chars)
                lines.append(("".join(c for c, _ in chars), sizes[len(sizes) // 2]))
            current = []
        elif ch != "\r":
            current.append((ch, pdfium_c.FPDFText_GetFontSize(textpage.raw, i)))
    body = sorted(size for line, size in lines for _ in line)
    if not body:
        return None
    threshold = 1.2 * body[len(body) // 2]
    title: list[str] = []
    size_of_title = 0.0
    for line, size in lines:
        if title and (abs(size - size_of_title) > 0.5 or numbering_level(line)):
            break
        if not title and size >= threshold and not is_page_number(line) and not line.endswith("文件") \
                and not numbering_level(line):
            title, size_of_title = [line], size
        elif title:
            title.append(line)
    return "".join(title) or None


def _unreadable(text: str, visible: int) -> bool:
    """A text layer of private-use or replacement characters (fonts without a Unicode map)."""
    bad = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return visible >= MIN_TEXT_CHARS and bad > 0.3 * visible


def _snap(values: list[float], tol: float = 1.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(grid: list[float], v: float, tol: float = 1.0) -> int:
    return min(range(len(grid)), key=lambda i: abs(grid[i] - v)) if grid else 0


def _table_item(table, page_no: int) -> TableItem | None:
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


def _layout_page(plumber_page, page_no: int) -> PageContent:
    """Text lines outside tables plus the tables, ordered top to bottom."""
    # (pdfplumber itself drops single-cell "tables": a page frame or a boxed note stays text)
    tables = plumber_page.find_tables()
    content = PageContent()
    boxes = [t.bbox for t in tables]
    for table in tables:
        item = _table_item(table, page_no)
        if item is not None:
            content.items.append((item.top, item))
    for line in plumber_page.extract_text_lines(return_chars=False):
        mid_y = (line["top"] + line["bottom"]) / 2
        mid_x = (line["x0"] + line["x1"]) / 2
        if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes) or is_page_number(line["text"]):
            continue
        content.items.append((line["top"], [line["text"]]))
    content.items.sort(key=lambda it: it[0])
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


def _text_content(text: str) -> PageContent:
    lines = [ln for ln in text.split("\n") if ln.strip() and not is_page_number(ln)]
    return PageContent(items=[(0.0, lines)] if lines else [])


def _ocr_page(page: pdfium.PdfPage) -> list[str]:
    bitmap = page.render(scale=OCR_SCALE)
    array = bitmap.to_numpy()
    if array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    return [line.text for line in ocr.ocr_image(array)]


def _join_continued(pages: list[PageContent]) -> None:
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


class _Plumber:
    """pdfplumber, opened on first need; if the file defeats pdfminer, tables are given up, not the file."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None
        self.failed: str | None = None

    def page(self, index: int):
        if self.failed is None and self.pdf is None:
            import pdfplumber

            try:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            except Exception as exc:  # pdfminer raises many types on damaged files
                self.failed = f"{type(exc).__name__}: {exc}"
        return None if self.pdf is None else self.pdf.pages[index]

    def close(self) -> None:
        if self.pdf is not None:
            try:
                self.pdf.close()  # walks all pages again: may hit the same damage
            except Exception:
                log.debug("pdfplumber close failed", exc_info=True)


def _clean(text: str) -> str:
    """pdfium text: newline line ends, no control characters (they carry no evidence)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ch not in "\ufffe\uffff\x7f"))


def _page_content(doc: pdfium.PdfDocument, index: int, plumber: _Plumber, parsed: Parsed,
                  settings: Settings) -> PageContent:
    page_no = index + 1
    page = doc[index]
    try:
        textpage = page.get_textpage()
        text = _clean(textpage.get_text_range())
        if index == 0:
            parsed.title_hint = _largest_text(textpage)
        paths, images = _count_objects(page)
        visible = sum(1 for ch in text if not ch.isspace())
        scanned = visible < MIN_TEXT_CHARS and bool(images)
        garbled = _unreadable(text, visible)
        if scanned or garbled:
            what = "没有文字层（扫描件）" if scanned else "文字层无法解码（字体缺少编码表）"
            if not settings.ocr:
                parsed.warnings.append(f"第 {page_no} 页{what}，OCR 已关闭（ZWGK_OCR），未识别")
                return PageContent() if garbled else _text_content(text)
            if garbled:
                parsed.warnings.append(f"第 {page_no} 页{what}，已改用 OCR 识别")
            log.info("OCR: page %d of %d", page_no, len(doc))
            parsed.ocr_pages.append(page_no)
            return PageContent(items=[(0.0, _ocr_page(page))], ocr=True)
        # pictures on a text page (图解, photos) count as media; small ones are icons and bullets
        for width, height in images:
            if width >= MIN_MEDIA_PT and height >= MIN_MEDIA_PT:
                parsed.builder.media.append(Media(kind=MediaKind.image, page=page_no))
        if paths >= MIN_PATHS_FOR_TABLE:
            try:
                layout_page = plumber.page(index)
                if layout_page is not None:
                    return _layout_page(layout_page, page_no)
            except Exception as exc:  # pdfminer/pdfplumber on a damaged page: keep pdfium's text
                parsed.warnings.append(f"第 {page_no} 页表格分析失败（{type(exc).__name__}），仅提取文字")
        return _text_content(text)
    finally:
        page.close()


def parse_pdf(data: bytes, settings: Settings) -> Parsed:
    doc = _open(data)
    parsed = Parsed()
    plumber = _Plumber(data)
    try:
        n_pages = len(doc)
        limits.check_pages(n_pages, settings)
        parsed.pages = n_pages
        contents: list[PageContent] = []
        broken: list[int] = []
        for index in range(n_pages):
            try:
                contents.append(_page_content(doc, index, plumber, parsed, settings))
            except pdfium.PdfiumError:
                broken.append(index + 1)
                contents.append(PageContent())
    finally:
        plumber.close()
        doc.close()
    if broken and len(broken) == n_pages:
        raise ParseError("PDF 文件已损坏，所有页面都无法读取")
    if broken:
        parsed.warnings.append(f"PDF 第 {'、'.join(map(str, broken))} 页已损坏，已跳过")
    if plumber.failed:
        parsed.warnings.append(f"PDF 结构有损坏，未能分析表格（{plumber.failed}），仅提取文字")
    _join_continued(contents)
    _emit(parsed, contents)
    return parsed


def _emit(parsed: Parsed, contents: list[PageContent]) -> None:
    b = parsed.builder
    for page_no, content in enumerate(contents, start=1):
        if b.page is None or b.page < page_no:
            b.new_page(page_no)
        for _top, item in content.items:
            if isinstance(item, TableItem):
                b.add_table(item.cells, header_rows=item.header_rows, continued_from_previous=item.continued)
            else:
                add_lines(b, item)
