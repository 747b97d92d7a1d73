"""DOCX (python-docx): paragraphs and tables in body order, headings, hyperlinks, images, merges, pages.

The body XML is walked directly (python-docx's `paragraphs`/`tables` lists lose their relative
order). Headings come from the paragraph style ("Heading N", "标题 N"; "Title" is level 0) or from
Chinese numbering (一、 （一） 1. （1）), including the numbers Word generates from list definitions
(ingestion.parsers.docx_numbering). Merged cells are read from the grid: `w:gridSpan` widens a
cell, `w:vMerge` (continue) extends the cell above, so each merged area is one Cell with spans.

Pages. A DOCX has no pages, only text that a word processor lays out; page numbers are given only
where the file records where its pages begin (a wrong page in a citation is worse than none):

- `w:lastRenderedPageBreak` present anywhere in the body (Word and WPS write one wherever a page
  began when they last laid the document out): those markers are the page boundaries
  (`PageSource.rendered`). Explicit breaks are then ignored: the markers already stand at the
  pages they began, so counting both would count those pages twice.
- no such markers (files written by python-docx and most generators, LibreOffice conversions):
  explicit breaks (`w:br w:type="page"`, `w:pageBreakBefore` on the paragraph or its style, a section
  that starts on a new/odd/even page) are counted, and the result is kept only if docProps/app.xml
  is current (its `Characters` within 20 % of the text read here: generators copy a template's
  app.xml, python-docx's says 1 page and 0 characters) and its `Pages` equals the number of pages the
  breaks give, i.e. the breaks explain every page (a one-page letter: page 1) (`PageSource.breaks`).
- otherwise no block has a page (`PageSource.unknown`); `pages` is app.xml's count if current.

A page break inside a paragraph: the block keeps the page it starts on, and the new page starts at
the break's offset (`page_starts`), so a quote from the paragraph's tail is cited on its own page.
A table row belongs to the page it starts on (rows begin a new page where a cell starts with a
rendered break); a row split across pages puts the new page's start at the next row or block.
Text boxes take the page of their anchor paragraph.
"""

from __future__ import annotations

import io
import re
from weakref import WeakKeyDictionary

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from lxml import etree

from core.document import BlockKind, Media, MediaKind, PageSource
from core.settings import Settings
from ingestion import limits
from ingestion.builder import CellSpec, TextBuilder
from ingestion.errors import ParseError
from ingestion.numbering import heading_level
from ingestion.parsers import Parsed
from ingestion.parsers.docx_numbering import ListNumbering
from ingestion.parsers.tabular import detect_header_rows

_STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


_STYLE_LEVELS: WeakKeyDictionary = WeakKeyDictionary()  # document part -> {style id: level}


def _style_level(paragraph: Paragraph) -> int | None:
    """The heading level the paragraph's style gives, resolved once per style id: python-docx looks a
    style up by scanning every style, which for a long document was most of the parse (a 1 MB body
    of 40,000 paragraphs took over a minute)."""
    cache = _STYLE_LEVELS.setdefault(paragraph.part, {})
    key = paragraph._p.style or ""
    if key not in cache:
        cache[key] = _level_of_style(paragraph)
    return cache[key]


def _level_of_style(paragraph: Paragraph) -> int | None:
    try:
        name = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return None
    if name.lower() == "title" or name == "标题":
        return 0
    m = _STYLE_LEVEL.match(name.strip())
    return int(m.group(1)) if m else None


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"([^"]+)"|HYPERLINK\s+(\S+)')
_SKIP = {qn("w:txbxContent"), qn("w:del"), qn("w:instrText"), qn("w:delText"), _MC_FALLBACK, qn("w:pPr"),
         qn("w:rPr")}


def _field_target(instr: str) -> str | None:
    m = _HYPERLINK_FIELD.search(instr or "")
    return (m.group(1) or m.group(2)) if m else None


_RENDERED, _HARD = "rendered", "hard"  # a page break Word/WPS recorded; one the author inserted


class _RunReader:
    """Text runs of one paragraph with their link targets (and where pages break in it).

    Reads the XML rather than python-docx's run list, so that text inside tracked insertions
    (w:ins), content controls (w:sdt), simple fields and smart tags is kept, and links made as
    HYPERLINK fields (as WPS writes them) are found as well as w:hyperlink elements. Deleted text,
    text boxes (read separately) and the VML fallback copies are skipped.
    """

    def __init__(self, part):
        self.part = part
        self.pieces: list[tuple[str, str | None]] = []
        self.length = 0  # characters in pieces so far
        self.breaks: list[tuple[int, str]] = []  # (position in the text, _RENDERED | _HARD) page breaks
        self.fields: list[dict] = []  # open complex fields (fldChar begin … separate … end)

    def _add(self, text: str, href: str | None) -> None:
        self.pieces.append((text, href))
        self.length += len(text)

    def _rel_target(self, rid: str | None) -> str | None:
        if not rid:
            return None
        rel = self.part.rels.get(rid)
        return rel.target_ref if rel is not None else None

    def _field_href(self) -> str | None:
        for field in reversed(self.fields):
            if field["result"] and field["href"]:
                return field["href"]
        return None

    def read(self, element, href: str | None = None) -> list[tuple[str, str | None]]:
        for child in element:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == qn("w:hyperlink"):
                target = self._rel_target(child.get(qn("r:id")))
                anchor = child.get(qn("w:anchor"))
                self.read(child, target or (f"#{anchor}" if anchor else None) or href)
            elif tag == qn("w:fldSimple"):
                self.read(child, _field_target(child.get(qn("w:instr"))) or href)
            elif tag == qn("w:fldChar"):
                kind = child.get(qn("w:fldCharType"))
                if kind == "begin":
                    self.fields.append({"instr": "", "href": None, "result": False})
                elif kind == "separate" and self.fields:
                    self.fields[-1]["result"] = True
                    self.fields[-1]["href"] = _field_target(self.fields[-1]["instr"])
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == qn("w:t"):
                if not (self.fields and not self.fields[-1]["result"]):  # not inside a field's code
                    self._add(_t_text(child), href or self._field_href())
            elif tag in (qn("w:tab"), qn("w:ptab")):
                self._add("\t", href)
            elif tag in (qn("w:br"), qn("w:cr")):
                self._add("\n", href)
                if tag == qn("w:br") and child.get(qn("w:type")) == "page":
                    self.breaks.append((self.length, _HARD))
            elif tag == qn("w:lastRenderedPageBreak"):
                self.breaks.append((self.length, _RENDERED))
            else:
                if tag == qn("w:r"):
                    for instr in child.findall(qn("w:instrText")):
                        if self.fields:
                            self.fields[-1]["instr"] += instr.text or ""
                self.read(child, href)
        return self.pieces


def _t_text(t) -> str:
    """A w:t's text. An XML entity reference inside it (the body declared entities: python-docx
    parses with entity resolution off) is an lxml node of its own; the text after it is that node's
    tail, which plain `.text` would drop too. The references themselves are counted and reported
    (`_entity_warning`)."""
    if len(t) == 0:
        return t.text or ""
    return (t.text or "") + "".join(child.tail or "" for child in t)


def _entity_warning(document) -> str | None:
    """Say so when the body held XML entity references: their text is not in the document."""
    names = [el.name for el in document.element.iter(etree.Entity)]
    if not names:
        return None
    shown = "、".join(dict.fromkeys(f"&{n};" for n in names[:20]))
    return (f"正文中有 {len(names)} 处 XML 实体引用（{shown}）出于安全未展开（实体可引用外部文件），这些位置的文字缺失；"
            "请在 Word/WPS 中打开后另存为 DOCX 再导入")


def _under_fallback(element, stop) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == _MC_FALLBACK:
            return True
    return False


def _cell_text(tc, part) -> tuple[str, int, int]:
    """The cell's text, the rendered page breaks before its first text, and all of them."""
    lines = []
    before = total = 0
    for p in tc.iter(qn("w:p")):
        if _under_fallback(p, tc):
            continue
        reader = _RunReader(part)
        line = "".join(t for t, _ in reader.read(p))
        for pos, kind in reader.breaks:
            if kind == _RENDERED:
                total += 1
                before += not any(x.strip() for x in lines) and not line[:pos].strip()
        lines.append(line)
    return "\n".join(lines), before, total


def _table_cells(tbl, part) -> tuple[list[CellSpec], list[tuple[int, int]]]:
    """Cells, and per row the rendered page breaks before it starts and within it (the most any of
    its cells has: cells lie side by side, so their breaks are the same page breaks)."""
    cells: list[CellSpec] = []
    rows: list[tuple[int, int]] = []
    open_vmerge: dict[int, CellSpec] = {}  # grid column -> cell still growing downward
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        col = 0
        row_before = row_total = 0
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        if before is not None:
            col = int(before.get(qn("w:val"), "0"))
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val"), "1"))
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            text, n_before, n_total = _cell_text(tc, part)
            row_before, row_total = max(row_before, n_before), max(row_total, n_total)
            if vmerge == "continue" and col in open_vmerge:
                open_vmerge[col].rowspan += 1
            else:
                spec = CellSpec(row=r, col=col, text=text, colspan=span)
                cells.append(spec)
                if vmerge == "restart":
                    open_vmerge[col] = spec
                else:
                    open_vmerge.pop(col, None)
            col += span
        rows.append((row_before, row_total))
    return cells, rows


_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"


def _pictures(element) -> list[Media]:
    """Pictures (a:blip in a drawing, v:imagedata in VML); shapes and text boxes are not images."""
    out = []
    for drawing in element.iter(qn("w:drawing")):
        if next(drawing.iter(_BLIP), None) is None:
            continue
        doc_pr = next(drawing.iter(qn("wp:docPr")), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title")) if doc_pr is not None else None
        out.append(Media(kind=MediaKind.image, alt=alt or None))
    out.extend(Media(kind=MediaKind.image) for _image in element.iter(_VML_IMAGE))
    return out


def _text_boxes(paragraph) -> list:
    """Text boxes anchored in a paragraph (落款 and stamps often sit in one). Word writes each box twice,
    as mc:Choice and as a VML mc:Fallback; only the first is read."""
    return [box for box in paragraph.iter(qn("w:txbxContent")) if not _under_fallback(box, None)]


_OFF = {"0", "false", "off"}
_NEW_PAGE_SECTIONS = {"nextPage", "oddPage", "evenPage"}


def _section_starts(body) -> dict:
    """Paragraph that ends a section -> how the next section starts (`w:type` of the *next* sectPr:
    a section's type says how it begins; absent means nextPage)."""
    sects = [s for s in body.iter(qn("w:sectPr"))
             if s.getparent() is body
             or (s.getparent().tag == qn("w:pPr") and s.getparent().getparent().tag == qn("w:p"))]
    out: dict = {}
    if not sects:  # no section properties at all (some generators omit them): one section
        return out
    for here, following in zip(sects, [*sects[1:], None], strict=True):
        if here.getparent() is body:
            continue
        kind = following.find(qn("w:type")) if following is not None else None
        out[here.getparent().getparent()] = (kind.get(qn("w:val")) if kind is not None else None) or "nextPage"
    return out


class _Pages:
    """Page numbers while the body is walked, counting either the rendered page breaks (the recorded
    layout) or the explicit ones (see the module docstring).

    A page begun by a break is recorded in the builder (`page_starts`) when content follows it, at
    that content's offset; a break inside a paragraph is recorded at its own offset."""

    def __init__(self, builder: TextBuilder, rendered: bool, sections: dict):
        self.b = builder
        self.rendered = rendered
        self.sections = sections
        self.page = 1
        self.placed = 0  # pages recorded in builder.page_starts
        self.at_top = True  # nothing visible on the current page yet
        self._style_breaks: dict[str, bool] = {}

    def counts(self, kind: str) -> bool:
        return (kind == _RENDERED) == self.rendered

    def advance(self, n: int = 1) -> None:
        if n > 0:
            self.page += n
            self.at_top = True

    def place(self) -> None:
        """Visible content follows: record the pages begun since the last content."""
        while self.placed < self.page:
            self.placed += 1
            self.b.new_page(self.placed)
        self.at_top = False

    def inside(self, offset: int) -> None:
        """A break at `offset`, inside the block just laid out (placed already)."""
        self.page += 1
        self.placed = self.page
        self.b.new_page_at(self.page, offset)

    def finish(self) -> int:
        """Pages begun at the end of the body (a trailing break) are recorded too; the page count."""
        while self.placed < self.page:
            self.placed += 1
            self.b.new_page(self.placed)
        return self.page

    # --- explicit breaks (documents without a recorded layout) -----------------------------
    def break_before(self, paragraph: Paragraph) -> bool:
        """`w:pageBreakBefore`, set on the paragraph or inherited from its style."""
        ppr = paragraph._p.pPr
        own = ppr.find(qn("w:pageBreakBefore")) if ppr is not None else None
        if own is not None:
            return (own.get(qn("w:val")) or "true").lower() not in _OFF
        key = paragraph._p.style or ""  # the style id (resolved once per style)
        if key not in self._style_breaks:
            found, seen = False, set()
            try:
                style = paragraph.style
                while style is not None and style.style_id not in seen:
                    seen.add(style.style_id)
                    value = style.paragraph_format.page_break_before
                    if value is not None:
                        found = value
                        break
                    style = style.base_style
            except (KeyError, ValueError, AttributeError):  # a damaged or non-paragraph style
                found = False
            self._style_breaks[key] = found
        return self._style_breaks[key]

    def section_break_after(self, p) -> bool:
        return self.sections.get(p) in _NEW_PAGE_SECTIONS

    # --- tables --------------------------------------------------------------------------
    def table(self, rows: list[tuple[int, int]]) -> list[int]:
        """The page each row starts on; rows = (rendered breaks before the row, in it) as `_table_cells`
        counts them. Explicit breaks inside table cells are not counted."""
        self.advance(rows[0][0] if rows else 0)  # the table starts on a later page
        self.place()
        starts, end = [], self.page
        for i, (before, total) in enumerate(rows):
            start = end + (before if i else 0)
            starts.append(start)
            end = start + total - before
        self.page = end
        return starts

    def after_table(self) -> None:
        self.placed = max(self.placed, self.b.page or 0)  # the builder recorded the rows' pages
        self.at_top = False


def _paragraph(child, document, parsed: Parsed, numbering: ListNumbering, pages: _Pages | None) -> None:
    b = parsed.builder
    paragraph = Paragraph(child, document)
    level = _style_level(paragraph)
    reader = _RunReader(document.part)
    pieces = reader.read(child)
    own = "".join(t for t, _ in pieces)
    lead, end = len(own) - len(own.lstrip()), len(own.rstrip())
    breaks = [pos for pos, kind in reader.breaks if pages is not None and pages.counts(kind)]
    pictures = _pictures(child)
    boxes = _text_boxes(child)
    if pages is not None:
        if not pages.rendered and pages.break_before(paragraph) and not pages.at_top:
            pages.advance()
        pages.advance(sum(pos <= lead for pos in breaks))  # breaks before the text: it starts on a new page
        if own.strip() or pictures or boxes:
            pages.place()
    label = numbering.label(child)
    shift = 0
    if label and own.strip():
        pieces.insert(0, (label, None))  # Word's automatic number, as printed
        shift = len(label)
    text = "".join(t for t, _ in pieces)
    if level is not None:
        block = b.add_inline(pieces, BlockKind.heading, level)
    else:
        level = heading_level(text)
        block = b.add_inline(pieces, BlockKind.heading if level else BlockKind.paragraph, level)
    for media in pictures:
        b.add_media(media)
    if pages is not None and block is not None:
        # a page break inside the text: the block stays on the page it starts on, the page starts here
        text_lead = len(text) - len(text.lstrip())
        for pos in breaks:
            if lead < pos < end:
                pages.inside(block.start + pos + shift - text_lead)
    for box in boxes:
        _walk(box, document, parsed, numbering, None)  # floating: on the anchor's page, no breaks of its own
    if pages is not None:
        pages.advance(sum(lead < pos and pos >= end for pos in breaks))  # after the text: the next content
        if not pages.rendered and pages.section_break_after(child):
            pages.advance()


def _walk(parent, document, parsed: Parsed, numbering: ListNumbering, pages: _Pages | None) -> None:
    b = parsed.builder
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            _paragraph(child, document, parsed, numbering, pages)
        elif child.tag == qn("w:tbl"):
            DocxTable(child, document)  # validates the element type
            cells, rows = _table_cells(child, document.part)
            if pages is not None:
                starts = pages.table(rows)
                for cell in cells:
                    cell.page = starts[cell.row]
            n_cols = max((c.col + c.colspan for c in cells), default=0)
            b.add_table(cells, header_rows=detect_header_rows(cells, n_cols, max_scan=3))
            if pages is not None:
                pages.after_table()
            for media in _pictures(child):
                b.add_media(media)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, document, parsed, numbering, pages)


_APP_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def _app_statistics(document) -> tuple[int | None, int | None]:
    """`Pages` and `Characters` from docProps/app.xml, as the last application to save the file wrote
    them (None when absent or unreadable)."""
    try:
        root = etree.fromstring(document.part.package.part_related_by(RT.EXTENDED_PROPERTIES).blob, _APP_XML)
    except (KeyError, ValueError, etree.XMLSyntaxError):
        return None, None

    def number(name: str) -> int | None:
        el = root.find(_EXTENDED + name)
        try:
            return int((el.text or "").strip()) if el is not None else None
        except ValueError:
            return None

    return number("Pages"), number("Characters")


def _statistics_current(characters: int | None, text: str) -> bool:
    """app.xml was written for this text: its character count (no spaces) is within 20 % of ours.
    Generators copy a template's app.xml (python-docx: 0 characters, 1 page) without updating it."""
    n = sum(not ch.isspace() for ch in text)
    return bool(characters) and n > 0 and abs(characters - n) <= 0.2 * n + 20


def _forget_pages(b: TextBuilder) -> None:
    for block in b.blocks:
        block.page = None
        if block.table is not None:
            for cell in block.table.cells:
                cell.page = None
    for item in (*b.links, *b.media):
        item.page = None
    b.page_starts.clear()
    b.page = None


def _paginate(parsed: Parsed, document, pages: _Pages) -> None:
    """Keep the page numbers the walk gave, or drop them (module docstring)."""
    b = parsed.builder
    total = pages.finish()
    app_pages, characters = _app_statistics(document)
    if pages.rendered:
        parsed.pages, parsed.page_source = total, PageSource.rendered
        # app.xml counts written with the layout (not a template's zeros) should agree with it
        if characters and app_pages is not None and app_pages != total:
            parsed.warnings.append(f"文档属性记录的页数（{app_pages}）与排版分页标记（{total} 页）不一致，页码可能有偏差")
        return
    current = _statistics_current(characters, b.text)
    if current and app_pages == total:
        parsed.pages, parsed.page_source = total, PageSource.breaks
        return
    _forget_pages(b)
    parsed.pages = app_pages if current and app_pages else None
    parsed.page_source = PageSource.unknown


def parse_docx(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "DOCX", settings)
    if "word/document.xml" not in archive.namelist():
        raise ParseError("DOCX 文件缺少正文（word/document.xml）；请在 Word/WPS 中打开并另存为 DOCX 后重新导入")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many types on damaged packages
        raise ParseError("DOCX 文件已损坏，无法读取；请在 Word/WPS 中打开并另存为 DOCX 后重新导入") from exc
    parsed = Parsed()
    # the core "title" property is often stale (a template's, a previous document's): a hint only,
    # used by metadata when the text itself names no title and only if the text contains it
    parsed.title_hint = (document.core_properties.title or "").strip() or None
    body = document.element.find(qn("w:body"))
    if body is None:
        raise ParseError("DOCX 文件的正文（w:body）缺失或已损坏；请在 Word/WPS 中打开并另存为 DOCX 后重新导入")
    rendered = next(body.iter(qn("w:lastRenderedPageBreak")), None) is not None
    pages = _Pages(parsed.builder, rendered, {} if rendered else _section_starts(body))
    _walk(body, document, parsed, ListNumbering(document), pages)
    _paginate(parsed, document, pages)
    entities = _entity_warning(document)
    if entities:
        parsed.warnings.insert(0, entities)
    return parsed
