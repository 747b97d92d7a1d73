"""OFD (GB/T 33190, the national fixed-layout format): the text layer of each page.

easyofd was evaluated and not used: it imports PyMuPDF (fitz, not in the stack) and loguru at import
time, inserts the working directory into sys.path, and renders to PDF to get at the text. The text
layer is simple to read directly: OFD.xml names the document root, Document.xml lists the pages,
and each page's Content.xml holds TextObject elements whose TextCode children carry the text.
TextObjects are grouped into lines by their Boundary's y and read left to right.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from core.display import safe_name
from core.settings import Settings
from ingestion import limits
from ingestion.errors import ParseError
from ingestion.parsers import Parsed
from ingestion.parsers.paragraphs import add_lines

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _xml(archive, name: str):
    data = limits.read_member(archive, name, "OFD")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"OFD 文件已损坏（{safe_name(name)} 不是有效的 XML）；请用 OFD 阅读器另存为 PDF 后导入") from exc


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _find_all(root, name: str):
    return [el for el in root.iter() if _local(el) == name]


def _member(archive, base_dir: str, loc: str) -> str:
    loc = loc.strip()
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base_dir, loc))
    names = {n.lower(): n for n in archive.namelist()}
    return names.get(path.lower(), path)


def _page_lines(root) -> list[str]:
    objects = []
    for obj in _find_all(root, "TextObject"):
        text = "".join(tc.text or "" for tc in _find_all(obj, "TextCode"))
        if not text.strip():
            continue
        try:
            x, y = (float(v) for v in (obj.get("Boundary") or "0 0").split()[:2])
        except ValueError:
            x = y = 0.0
        objects.append((y, x, text))
    objects.sort()
    lines: list[list[tuple[float, float, str]]] = []
    for obj in objects:
        if lines and abs(lines[-1][0][0] - obj[0]) < 1.0:  # same baseline band (mm)
            lines[-1].append(obj)
        else:
            lines.append([obj])
    return ["".join(t for _y, _x, t in sorted(line, key=lambda o: o[1])) for line in lines]


def parse_ofd(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "OFD", settings)
    ofd_name = next((n for n in archive.namelist() if n.lower() == "ofd.xml"), None)
    if ofd_name is None:
        raise ParseError("OFD 文件缺少 OFD.xml，文件可能已损坏；请用 OFD 阅读器另存为 PDF 后导入")
    ofd = _xml(archive, ofd_name)
    roots = _find_all(ofd, "DocRoot")
    if not roots or not (roots[0].text or "").strip():
        raise ParseError("OFD 文件没有文档入口（DocRoot），文件可能已损坏；请用 OFD 阅读器另存为 PDF 后导入")
    doc_path = _member(archive, "", roots[0].text)
    document = _xml(archive, doc_path)
    base = posixpath.dirname(doc_path)
    pages = [p.get("BaseLoc") for p in _find_all(document, "Page") if p.get("BaseLoc")]
    limits.check_pages(len(pages), settings)
    parsed = Parsed(pages=len(pages))
    titles = _find_all(ofd, "Title")
    # DocInfo/Title is metadata a producer may leave stale: a hint, as DOCX's core title
    parsed.title_hint = (titles[0].text or "").strip() or None if titles else None
    for number, loc in enumerate(pages, start=1):
        parsed.builder.new_page(number)
        add_lines(parsed.builder, _page_lines(_xml(archive, _member(archive, base, loc))))
    if not any(b.start != b.end for b in parsed.builder.blocks):
        parsed.warnings.append("OFD 文件没有文字层（可能是扫描件），未提取到文字")
    return parsed
