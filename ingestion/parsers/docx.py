"""DOCX (python-docx): paragraphs and tables in body order, headings, hyperlinks, images, merges.

The body XML is walked directly (python-docx's `paragraphs`/`tables` lists lose their relative
order). Headings come from the paragraph style ("Heading N", "标题 N"; "Title" is level 0) or from
Chinese numbering (一、 （一） 1. （1）). Merged cells are read from the grid: `w:gridSpan` widens a
cell, `w:vMerge` (continue) extends the cell above, so each merged area is one Cell with spans.
"""

from __future__ import annotations

import io
import re

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph

from ingestion import limits
from ingestion.builder import CellSpec
from ingestion.errors import ParseError
from ingestion.models import BlockKind, Media, MediaKind
from ingestion.numbering import heading_level
from ingestion.parsers import Parsed
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


def _runs(paragraph: Paragraph) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            target = item.address or (f"#{item.fragment}" if item.fragment else None)
            pieces.append((item.text, target))
        else:
            pieces.append((item.text, None))
    return pieces


def _cell_text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))


def _table_cells(tbl) -> list[CellSpec]:
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
                spec = CellSpec(row=r, col=col, text=_cell_text(tc), colspan=span)
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
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    boxes = []
    for box in paragraph.iter(qn("w:txbxContent")):
        if not any(anc.tag == fallback for anc in box.iterancestors()):
            boxes.append(box)
    return boxes


def _walk(parent, document, parsed: Parsed) -> None:
    b = parsed.builder
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            level = _style_level(paragraph)
            pieces = _runs(paragraph)
            text = "".join(t for t, _ in pieces)
            if level is not None:
                b.add_inline(pieces, BlockKind.heading, level)
            else:
                level = heading_level(text)
                b.add_inline(pieces, BlockKind.heading if level else BlockKind.paragraph, level)
            _media(child, parsed)
            for box in _text_boxes(child):
                _walk(box, document, parsed)
        elif child.tag == qn("w:tbl"):
            DocxTable(child, document)  # validates the element type
            cells = _table_cells(child)
            n_cols = max((c.col + c.colspan for c in cells), default=0)
            b.add_table(cells, header_rows=detect_header_rows(cells, n_cols, max_scan=3))
            _media(child, parsed)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, document, parsed)


def parse_docx(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "DOCX", settings)
    if "word/document.xml" not in archive.namelist():
        raise ParseError("DOCX 文件缺少正文（word/document.xml）")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many types on damaged packages
        raise ParseError(f"DOCX 文件已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
    parsed = Parsed()
    title = (document.core_properties.title or "").strip()
    parsed.title = title or None
    _walk(document.element.body, document, parsed)
    return parsed
