"""DOCX (python-docx): paragraphs and tables in body order, headings, hyperlinks, images, merges.

The body XML is walked directly (python-docx's `paragraphs`/`tables` lists lose their relative
order). Headings come from the paragraph style ("Heading N", "标题 N"; "Title" is level 0) or from
Chinese numbering (一、 （一） 1. （1）), including the numbers Word generates from list definitions
(ingestion.parsers.docx_numbering). Merged cells are read from the grid: `w:gridSpan` widens a
cell, `w:vMerge` (continue) extends the cell above, so each merged area is one Cell with spans.
"""

from __future__ import annotations

import io
import re

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from ingestion import limits
from ingestion.builder import CellSpec
from ingestion.errors import ParseError
from ingestion.models import BlockKind, Media, MediaKind
from ingestion.numbering import heading_level
from ingestion.parsers import Parsed
from ingestion.parsers.docx_numbering import ListNumbering
from ingestion.parsers.tabular import detect_header_rows
from zwgk.settings import Settings

_STYLE_LEVEL = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _style_level(paragraph: Paragraph) -> int | None:
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


class _RunReader:
    """Text runs of one paragraph with their link targets.

    Reads the XML rather than python-docx's run list, so that text inside tracked insertions
    (w:ins), content controls (w:sdt), simple fields and smart tags is kept, and links made as
    HYPERLINK fields (as WPS writes them) are found as well as w:hyperlink elements. Deleted text,
    text boxes (read separately) and the VML fallback copies are skipped.
    """

    def __init__(self, part):
        self.part = part
        self.pieces: list[tuple[str, str | None]] = []
        self.fields: list[dict] = []  # open complex fields (fldChar begin … separate … end)

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
                    self.pieces.append((child.text or "", href or self._field_href()))
            elif tag in (qn("w:tab"), qn("w:ptab")):
                self.pieces.append(("\t", href))
            elif tag in (qn("w:br"), qn("w:cr")):
                self.pieces.append(("\n", href))
            else:
                if tag == qn("w:r"):
                    for instr in child.findall(qn("w:instrText")):
                        if self.fields:
                            self.fields[-1]["instr"] += instr.text or ""
                self.read(child, href)
        return self.pieces


def _runs(paragraph_element, part) -> list[tuple[str, str | None]]:
    return _RunReader(part).read(paragraph_element)


def _under_fallback(element, stop) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == _MC_FALLBACK:
            return True
    return False


def _cell_text(tc, part) -> str:
    lines = []
    for p in tc.iter(qn("w:p")):
        if _under_fallback(p, tc):
            continue
        lines.append("".join(t for t, _ in _runs(p, part)))
    return "\n".join(lines)


def _table_cells(tbl, part) -> list[CellSpec]:
    cells: list[CellSpec] = []
    open_vmerge: dict[int, CellSpec] = {}  # grid column -> cell still growing downward
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        col = 0
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
            if vmerge == "continue" and col in open_vmerge:
                open_vmerge[col].rowspan += 1
            else:
                spec = CellSpec(row=r, col=col, text=_cell_text(tc, part), colspan=span)
                cells.append(spec)
                if vmerge == "restart":
                    open_vmerge[col] = spec
                else:
                    open_vmerge.pop(col, None)
            col += span
    return cells


_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"


def _media(element, parsed: Parsed) -> None:
    """Pictures (a:blip in a drawing, v:imagedata in VML); shapes and text boxes are not images."""
    for drawing in element.iter(qn("w:drawing")):
        if next(drawing.iter(_BLIP), None) is None:
            continue
        doc_pr = next(drawing.iter(qn("wp:docPr")), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title")) if doc_pr is not None else None
        parsed.builder.add_media(Media(kind=MediaKind.image, alt=alt or None))
    for _image in element.iter(_VML_IMAGE):
        parsed.builder.add_media(Media(kind=MediaKind.image))


def _text_boxes(paragraph) -> list:
    """Text boxes anchored in a paragraph (落款 and stamps often sit in one). Word writes each box twice,
    as mc:Choice and as a VML mc:Fallback; only the first is read."""
    return [box for box in paragraph.iter(qn("w:txbxContent")) if not _under_fallback(box, None)]


def _walk(parent, document, parsed: Parsed, numbering: ListNumbering) -> None:
    b = parsed.builder
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            level = _style_level(paragraph)
            pieces = _runs(child, document.part)
            label = numbering.label(child)
            if label and "".join(t for t, _ in pieces).strip():
                pieces.insert(0, (label, None))  # Word's automatic number, as printed
            text = "".join(t for t, _ in pieces)
            if level is not None:
                b.add_inline(pieces, BlockKind.heading, level)
            else:
                level = heading_level(text)
                b.add_inline(pieces, BlockKind.heading if level else BlockKind.paragraph, level)
            _media(child, parsed)
            for box in _text_boxes(child):
                _walk(box, document, parsed, numbering)
        elif child.tag == qn("w:tbl"):
            DocxTable(child, document)  # validates the element type
            cells = _table_cells(child, document.part)
            n_cols = max((c.col + c.colspan for c in cells), default=0)
            b.add_table(cells, header_rows=detect_header_rows(cells, n_cols, max_scan=3))
            _media(child, parsed)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, document, parsed, numbering)


def parse_docx(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "DOCX", settings)
    if "word/document.xml" not in archive.namelist():
        raise ParseError("DOCX 文件缺少正文（word/document.xml）")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many types on damaged packages
        raise ParseError(f"DOCX 文件已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
    parsed = Parsed()
    # the core "title" property is often stale (a template's, a previous document's): a hint only,
    # used by metadata when the text itself names no title and only if the text contains it
    parsed.title_hint = (document.core_properties.title or "").strip() or None
    body = document.element.find(qn("w:body"))
    if body is None:
        raise ParseError("DOCX 文件的正文（w:body）缺失或已损坏")
    _walk(body, document, parsed, ListNumbering(document))
    return parsed
