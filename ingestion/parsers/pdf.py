"""PDF: pypdfium2 for page text; ruled tables from pdfium's vector paths; OCR for scans.

Why (measured, docs/ingestion-formats.md): pypdfium2 extracts page text at ~1000 pages/s,
pdfplumber at ~30-55, because pdfminer interprets every character to find a table's ruling lines.
A page with at least MIN_PATHS_FOR_TABLE vector paths may hold a ruled table: its rulings are read
from pdfium's path objects and handed to pdfplumber's own cell/table algorithm
(ingestion.parsers.pdf_ruling, ~10x faster); pages that path cannot handle take pdfplumber's full
path (ingestion.parsers.pdf_layout). Pages with (almost) no text layer but an image, or with an
undecodable text layer, are rendered at scale 2 and OCR'd. Pictures on text pages become Media;
the largest text on page 1 is kept as a title hint. Phantom spaces pdfium generates next to
Chinese characters ("事项 0") are removed.
"""

from __future__ import annotations

import io
import logging
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from core.document import Media, MediaKind
from core.settings import Settings
from ingestion import limits
from ingestion.errors import ParseError
from ingestion.numbering import numbering_level
from ingestion.parsers import Parsed
from ingestion.parsers.paragraphs import add_lines, drop_page_numbers, is_page_number
from ingestion.parsers.pdf_layout import (
    PageContent,
    TableItem,
    join_continued,
    layout_page,
    ruled_layout,
    scanned_content,
)
from ingestion.parsers.pdf_ruling import drop_generated_spaces, scan_objects
from ingestion.parsers.scan_tables import scanned_layout

log = logging.getLogger(__name__)
# pdfminer (under pdfplumber) logs every damaged object at WARNING; the parse outcome says enough
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MIN_PATHS_FOR_TABLE = 4  # a ruled table needs at least a few strokes or rectangles
MIN_TEXT_CHARS = 5  # fewer visible characters than this = no usable text layer
MIN_MEDIA_PT = 40  # images smaller than this (either side, in points) are icons, not content
OCR_SCALE = 2


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ParseError("PDF 已加密，无法读取；请取消密码保护后重新导入") from exc
        log.debug("pdfium cannot open the file: %s", msg)
        raise ParseError("PDF 文件已损坏或不完整，无法打开；请重新下载或用原软件另存为 PDF 后导入") from exc


def _largest_text(textpage: pdfium.PdfTextPage, raw: str) -> str | None:
    """The first run of lines set clearly larger than the body (>= 1.2x the median size) on a page,
    skipping a 红头 ("…文件") and stopping at a numbered heading: the likely title. `raw` is the
    page's text as pdfium gives it."""
    count = textpage.count_chars()
    if count == 0 or len(raw) != count:
        return None
    lines: list[tuple[str, float]] = []
    start = 0
    for end in [*(i for i, ch in enumerate(raw) if ch == "\n"), len(raw)]:
        positions = [i for i in range(start, end) if not raw[i].isspace()]
        if positions:
            # a line is set in one size, give or take a symbol: the median of 5 samples is its size
            step = max(1, len(positions) // 5)
            sizes = sorted(pdfium_c.FPDFText_GetFontSize(textpage.raw, i) for i in positions[::step][:5])
            lines.append(("".join(raw[i] for i in positions), sizes[len(sizes) // 2]))
        start = end + 1
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


_UNMAPPED = re.compile("[\ue000-\uf8ff\ufffd]")


def _unreadable(text: str, visible: int) -> bool:
    """A text layer of private-use or replacement characters (fonts without a Unicode map)."""
    bad = len(_UNMAPPED.findall(text))
    return visible >= MIN_TEXT_CHARS and bad > 0.3 * visible


def _text_content(text: str) -> PageContent:
    lines = drop_page_numbers(text.split("\n"))
    return PageContent(items=[(0.0, lines)] if lines else [])


def _ocr_page(page: pdfium.PdfPage, page_no: int) -> PageContent:
    """Render and OCR a page without a usable text layer; ruled tables on it become tables."""
    bitmap = page.render(scale=OCR_SCALE)
    array = bitmap.to_numpy()
    if array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    groups, boxes = scanned_layout(array)
    return scanned_content(groups, boxes, page_no)


class _Plumber:
    """pdfplumber, opened on first need; if the file defeats pdfminer, tables are given up, not the file."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None
        self.failed = False

    def page(self, index: int):
        if not self.failed and self.pdf is None:
            import pdfplumber

            try:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            except Exception:  # pdfminer raises many types on damaged files
                log.debug("pdfplumber cannot open the file", exc_info=True)
                self.failed = True
        return None if self.pdf is None else self.pdf.pages[index]

    def close(self) -> None:
        if self.pdf is not None:
            try:
                self.pdf.close()  # walks all pages again: may hit the same damage
            except Exception:
                log.debug("pdfplumber close failed", exc_info=True)


_CONTROL = dict.fromkeys([*(c for c in range(32) if chr(c) not in "\n\t"), 0x7F, 0xFFFE, 0xFFFF])


def _clean(text: str) -> str:
    """pdfium text: newline line ends, no control characters (they carry no evidence)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def _page_content(doc: pdfium.PdfDocument, index: int, plumber: _Plumber, parsed: Parsed,
                  settings: Settings) -> PageContent:
    page_no = index + 1
    page = doc[index]
    try:
        textpage = page.get_textpage()
        raw = textpage.get_text_range()
        text = _clean(drop_generated_spaces(textpage, raw))
        if index == 0:
            parsed.title_hint = _largest_text(textpage, raw)
        objects = scan_objects(page)
        visible = len("".join(text.split()))
        scanned = visible < MIN_TEXT_CHARS and bool(objects.images)
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
            return _ocr_page(page, page_no)
        # pictures on a text page (图解, photos) count as media; small ones are icons and bullets
        for width, height in objects.images:
            if width >= MIN_MEDIA_PT and height >= MIN_MEDIA_PT:
                parsed.builder.media.append(Media(kind=MediaKind.image, page=page_no))
        if objects.n_paths >= MIN_PATHS_FOR_TABLE:
            try:
                fast = ruled_layout(page, textpage, raw, page_no, objects)
                if fast is not None:
                    return fast
                plumber_page = plumber.page(index)
                if plumber_page is not None:
                    return layout_page(plumber_page, page_no)
            except Exception as exc:  # pdfminer/pdfplumber on a damaged page: keep pdfium's text
                log.debug("table analysis of page %d failed: %r", page_no, exc)
                parsed.warnings.append(f"第 {page_no} 页表格分析失败，仅提取文字；该页表格请人工核对")
        return _text_content(text)
    finally:
        page.close()


def parse_pdf(data: bytes, settings: Settings) -> Parsed:
    limits.check_pdf_streams(data, settings)
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
        raise ParseError("PDF 文件已损坏，所有页面都无法读取；请重新下载或用原软件另存为 PDF 后导入")
    if broken:
        parsed.warnings.append(f"PDF 第 {'、'.join(map(str, broken))} 页已损坏，已跳过")
    if plumber.failed:
        parsed.warnings.append("PDF 结构有损坏，未能分析表格，仅提取文字；表格内容请人工核对")
    join_continued(contents)
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
