"""Generators of real evidence files for tests (PDF, scanned PDF, DOCX, HTML, XLSX, CSV, OFD, images).

Shared with other test suites: everything is written to a path the caller gives (a tmp dir).
Fonts come from Debian packages: reportlab uses its built-in CID font STSong-Light or the TrueType
WenQuanYi Micro Hei; Pillow renders with Noto Sans CJK (SC face, index 2).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


# ---- PDF ------------------------------------------------------------------------------------
@dataclass
class H:
    """A heading line."""

    text: str


@dataclass
class T:
    """A ruled table; spans are reportlab SPAN commands ((col0, row0), (col1, row1))."""

    rows: Sequence[Sequence[str]]
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=tuple)
    repeat_rows: int = 1


PAGE = "<<page>>"  # page break marker


def _font(font: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    if font == "wqy":
        from reportlab.pdfbase.ttfonts import TTFont

        if "WQY" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
        return "WQY"
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_pdf(path: Path, content: Sequence[str | H | T], font: str = "STSong-Light",
             page_numbers: bool = True, encrypt_password: str | None = None) -> Path:
    """A text PDF: strings are paragraphs, H headings, T tables, PAGE page breaks."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    name = _font(font)
    body = ParagraphStyle("body", fontName=name, fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=22)
    head = ParagraphStyle("head", fontName=name, fontSize=14, leading=22, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=name, fontSize=9, leading=12, wordWrap="CJK")
    story = []
    for item in content:
        if item == PAGE:
            story.append(PageBreak())
        elif isinstance(item, H):
            story.append(Paragraph(item.text, head))
        elif isinstance(item, T):
            data = [[Paragraph(c, cell) if c else "" for c in row] for row in item.rows]
            table = Table(data, repeatRows=item.repeat_rows)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), name)]
            style += [("SPAN", a, b) for a, b in item.spans]
            table.setStyle(TableStyle(style))
            story += [table, Spacer(1, 6)]
        else:
            story.append(Paragraph(str(item), body))

    def footer(canvas, doc):
        if page_numbers:
            canvas.setFont(name, 9)
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    kwargs = {}
    if encrypt_password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(encrypt_password, canPrint=0)
    SimpleDocTemplate(str(path), pagesize=A4, **kwargs).build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def render_text_image(lines: Sequence[str], width: int = 1400, size: int = 32, path: Path | None = None):
    """Render lines of Chinese text on white with Noto Sans CJK SC; returns the Pillow image."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(NOTO_CJK, size, index=2)
    line_h = int(size * 1.8)
    img = Image.new("RGB", (width, line_h * len(lines) + 2 * size), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((size, size + i * line_h), line, fill="black", font=font)
    if path is not None:
        img.save(path)
    return img


def render_table_image(title: str, rows: Sequence[Sequence[str]], cell_w: int = 260, cell_h: int = 64,
                       size: int = 28):
    """A ruled table drawn in pixels under a title line, as a scanned report shows it (Pillow)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(NOTO_CJK, size, index=2)
    n_cols = max(len(r) for r in rows)
    margin, top = 40, 40 + int(size * 2.2)
    img = Image.new("RGB", (2 * margin + n_cols * cell_w, top + len(rows) * cell_h + margin), "white")
    draw = ImageDraw.Draw(img)
    draw.text((margin, 40), title, fill="black", font=font)
    for r in range(len(rows) + 1):
        draw.line([(margin, top + r * cell_h), (margin + n_cols * cell_w, top + r * cell_h)], fill="black", width=2)
    for c in range(n_cols + 1):
        draw.line([(margin + c * cell_w, top), (margin + c * cell_w, top + len(rows) * cell_h)], fill="black", width=2)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.text((margin + c * cell_w + 14, top + r * cell_h + (cell_h - size) // 2 - 4), text, fill="black",
                      font=font)
    return img


def make_scanned_pdf(path: Path, lines: Sequence[str], text_pages_before: Sequence[str] = (),
                     image=None) -> Path:
    """A PDF whose last page is an image only (no text layer), as a scanner produces it: `lines`
    rendered as text, or a given Pillow image (e.g. render_table_image)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    if text_pages_before:
        c.setFont(_font("STSong-Light"), 12)
        for i, line in enumerate(text_pages_before):
            c.drawString(60, A4[1] - 80 - 20 * i, line)
        c.showPage()
    img = image if image is not None else render_text_image(lines, width=1240, size=30)
    c.drawImage(ImageReader(img), 40, A4[1] - 40 - img.height * 0.45, width=img.width * 0.45,
                height=img.height * 0.45)
    c.showPage()
    c.save()
    return path


# ---- DOCX -----------------------------------------------------------------------------------
def add_hyperlink(paragraph, text: str, url: str):
    """python-docx has no hyperlink API: write the w:hyperlink element with an external relation."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
    return link


RENDERED = "<<rendered>>"  # DOCX: a w:lastRenderedPageBreak (where Word's layout began a page)
HARD = "<<hard>>"  # DOCX: an explicit page break run (w:br w:type="page")


def add_runs(paragraph, parts: Sequence[str]) -> None:
    """Runs of text with page-break markup between them, as Word writes it: RENDERED puts a
    w:lastRenderedPageBreak at the start of the next run, HARD a run holding w:br w:type="page"."""
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement

    rendered = False
    for part in parts:
        if part == RENDERED:
            rendered = True
        elif part == HARD:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        else:
            run = paragraph.add_run(part)
            if rendered:
                run._r.insert(1 if run._r.rPr is not None else 0, OxmlElement("w:lastRenderedPageBreak"))
                rendered = False
    if rendered:  # a marker with no text after it in this paragraph
        paragraph.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))


def set_docx_app_stats(path: Path, pages: int | None, characters: int | None) -> Path:
    """Rewrite docProps/app.xml with the statistics a word processor writes on saving
    (python-docx keeps its template's: 1 page, 0 characters)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    stats = "".join(f"<{k}>{v}</{k}>" for k, v in (("Pages", pages), ("Characters", characters)) if v is not None)
    app = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{ns}">'
           f"<Application>WPS Office</Application>{stats}</Properties>").encode()
    data = path.read_bytes()
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, app if item.filename == "docProps/app.xml" else zin.read(item.filename))
    return path


def make_docx(path: Path, content: Sequence, image: bool = False) -> Path:
    """Strings are paragraphs; H(text) a 'Heading 1' styled heading; T(rows, spans) a table whose spans
    are ((col0, row0), (col1, row1)) merges (a cell given as a tuple of parts is filled by add_runs);
    ("link", before, text, url, after) a paragraph with a link; ("runs", *parts) a paragraph of
    add_runs parts; ("break_before", text) a paragraph with w:pageBreakBefore; PAGE a paragraph holding
    an explicit page break (python-docx add_page_break); ("section", "new_page" | "continuous") a
    section break (the paragraph ending the section carries the sectPr, the next one its start type)."""
    import docx
    from docx.enum.section import WD_SECTION

    d = docx.Document()
    for item in content:
        if isinstance(item, H):
            d.add_heading(item.text, level=1)
        elif item == PAGE:
            d.add_page_break()
        elif isinstance(item, T):
            n_cols = max(len(r) for r in item.rows)
            table = d.add_table(rows=len(item.rows), cols=n_cols)
            table.style = "Table Grid"
            for r, row in enumerate(item.rows):
                for c, text in enumerate(row):
                    if isinstance(text, tuple):
                        add_runs(table.cell(r, c).paragraphs[0], text)
                    elif text:
                        table.cell(r, c).text = text
            for (c0, r0), (c1, r1) in item.spans:
                table.cell(r0, c0).merge(table.cell(r1, c1))
        elif isinstance(item, tuple) and item[0] == "link":
            _, before, text, url, after = item
            p = d.add_paragraph(before)
            add_hyperlink(p, text, url)
            p.add_run(after)
        elif isinstance(item, tuple) and item[0] == "runs":
            add_runs(d.add_paragraph(), item[1:])
        elif isinstance(item, tuple) and item[0] == "break_before":
            d.add_paragraph(item[1]).paragraph_format.page_break_before = True
        elif isinstance(item, tuple) and item[0] == "section":
            d.add_section(WD_SECTION.NEW_PAGE if item[1] == "new_page" else WD_SECTION.CONTINUOUS)
        else:
            d.add_paragraph(str(item))
    if image:
        import io

        buf = io.BytesIO()
        render_text_image(["图解"], width=200, size=24).save(buf, format="PNG")
        buf.seek(0)
        d.add_picture(buf)
    d.save(str(path))
    return path


# ---- HTML -----------------------------------------------------------------------------------
def make_html(path: Path, title: str, body_html: str, *, nav: bool = True, date: str | None = None,
              meta_date: str | None = None, encoding: str = "utf-8",
              menu: Sequence[tuple[str, str]] = (), crumbs: Sequence[tuple[str, str]] = ()) -> Path:
    """A saved government web page: header/nav/footer boilerplate around an article; `menu` adds a
    column page's left menu of (text, href) links, `crumbs` a 当前位置 breadcrumb."""
    boiler_top = (
        '<div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>'
        '<nav><ul><li><a href="/xxgk/">信息公开目录</a></li><li><a href="/zcjd/">政策解读</a></li>'
        '<li><a href="/bsfw/">办事服务</a></li></ul></nav>'
        if nav else ""
    )
    boiler_bottom = (
        '<div class="footer">主办单位：廊坊市人民政府办公室 网站标识码1310000000 冀ICP备00000000号 '
        '<a href="/sitemap/">网站地图</a> 联系我们</div>' if nav else ""
    )
    left = ('<div class="left-menu"><h3>栏目导航</h3><ul>'
            + "".join(f'<li><a href="{href}">{text}</a></li>' for text, href in menu) + "</ul></div>"
            if menu else "")
    position = ('<div class="position">当前位置：' + " &gt; ".join(f'<a href="{h}">{t}</a>' for t, h in crumbs)
                + "</div>" if crumbs else "")
    meta = f'<meta name="PubDate" content="{meta_date}">' if meta_date else ""
    date_html = f'<div class="info">发布日期：{date}　来源：本网</div>' if date else ""
    html = (
        f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>{title}</title>{meta}'
        "<style>body{font-size:14px}</style><script>var tracker = '统计代码不应出现';</script></head><body>"
        f'{boiler_top}{left}{position}<div class="article"><h1>{title}</h1>{date_html}<div class="content">{body_html}</div></div>'
        f"{boiler_bottom}</body></html>"
    )
    path.write_bytes(html.encode(encoding))
    return path


# the 信息公开 column's menu on a county site: the four first-level columns of 国办公开办函〔2019〕61号
# (named without the 政府 prefix, as inside the column) and the 行政规范性文件 column
XXGK_MENU = (("信息公开指南", "/xxgk/xxgkzn/"), ("信息公开制度", "/xxgk/xxgkzd/"),
             ("法定主动公开内容", "/xxgk/fdzdgknr/"), ("行政规范性文件", "/xxgk/gfxwj/"),
             ("信息公开年报", "/xxgk/xxgknb/"))
XXGK_CRUMBS = (("首页", "/"), ("政府信息公开", "/xxgk/"))


def make_column_page(path: Path, menu: Sequence[tuple[str, str]] = XXGK_MENU) -> Path:
    """A saved 政府信息公开 column page: the columns only in its left menu, a short introduction."""
    return make_html(path, "香河县人民政府信息公开平台",
                     "<p>本平台集中发布香河县人民政府及其部门主动公开的信息，欢迎社会各界监督。</p>"
                     "<p>联系电话：0316-8311234</p>",
                     menu=menu, crumbs=XXGK_CRUMBS)


# ---- spreadsheets ---------------------------------------------------------------------------
def make_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]],
              merges: dict[str, Sequence[str]] | None = None, trailing_empty_rows: int = 0) -> Path:
    """Sheets as rows of values (strings starting with '=' are formulas); merges as 'A1:C1' ranges."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
        if trailing_empty_rows:
            # formatted but empty rows, as real ledgers carry thousands of them
            for r in range(len(rows) + 1, len(rows) + trailing_empty_rows + 1):
                ws.cell(row=r, column=1).number_format = "@"
    wb.save(str(path))
    return path


def make_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "gb18030") -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# ---- OFD ------------------------------------------------------------------------------------
def make_ofd(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A minimal OFD (GB/T 33190): OFD.xml -> Document.xml -> one Content.xml per page with TextCode."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0">'
                   "<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
                   "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        page_refs = "".join(
            f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
                   "<ofd:CommonData><ofd:MaxUnitID>100</ofd:MaxUnitID><ofd:PageArea>"
                   "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
                   f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>")
        for i, lines in enumerate(pages):
            objs = "".join(
                f'<ofd:TextObject ID="{100 + i * 50 + j}" Boundary="20 {20 + 8 * j} 170 6" Font="1" Size="4">'
                f'<ofd:TextCode X="0" Y="5">{line}</ofd:TextCode></ofd:TextObject>'
                for j, line in enumerate(lines)
            )
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content>'
                       f'<ofd:Layer ID="{i + 50}">{objs}</ofd:Layer></ofd:Content></ofd:Page>')
    return path


def make_mht(path: Path, html: str, charset: str = "gb2312") -> Path:
    """A single-file web archive as browsers save it: multipart/related with the page and an image."""
    import io
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    msg = MIMEMultipart("related")
    msg.attach(MIMEText(html, "html", charset))
    buf = io.BytesIO()
    render_text_image(["图"], width=60, size=20).save(buf, format="PNG")
    img = MIMEImage(buf.getvalue(), "png")
    img["Content-Location"] = "http://www.example.gov.cn/images/tu.png"
    msg.attach(img)
    path.write_bytes(msg.as_bytes())
    return path


def table_html(rows: Sequence[Sequence[str]], spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = ()) -> str:
    """The same table as T(rows, spans) in HTML (rowspan/colspan)."""
    covered: set[tuple[int, int]] = set()
    extent: dict[tuple[int, int], tuple[int, int]] = {}
    for (c0, r0), (c1, r1) in spans:
        extent[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    out = ["<table border='1'>"]
    for r, row in enumerate(rows):
        out.append("<tr>")
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = extent.get((r, c), (1, 1))
            out.append(f"<td rowspan='{rs}' colspan='{cs}'>{text}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def xlsx_merges(spans: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> list[str]:
    """T-style spans as Excel ranges ('A1:C3')."""
    from openpyxl.utils import get_column_letter

    return [f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}" for (c0, r0), (c1, r1) in spans]


def make_rotated_landscape_pdf(path: Path, rows: Sequence[Sequence[str]], title: str) -> Path:
    """A landscape table page stored as a portrait page with /Rotate 90 and content drawn turned,
    as some producers write landscape sections: it displays upright."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width = A4[0]
    tmp = path.with_suffix(".unrotated.pdf")
    c = canvas.Canvas(str(tmp), pagesize=A4)
    c.rotate(90)  # landscape coordinates: u along the long side, v up the short side
    c.translate(0, -width)
    font = _font("STSong-Light")
    c.setFont(font, 14)
    c.drawString(60, width - 60, title)
    cell_w, cell_h, top = 160, 30, width - 90
    n_cols = max(len(r) for r in rows)
    for r in range(len(rows) + 1):
        c.line(60, top - r * cell_h, 60 + cell_w * n_cols, top - r * cell_h)
    for k in range(n_cols + 1):
        c.line(60 + k * cell_w, top, 60 + k * cell_w, top - cell_h * len(rows))
    c.setFont(font, 11)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.drawString(66 + k * cell_w, top - r * cell_h - 20, text)
    c.showPage()
    c.save()
    doc = pdfium.PdfDocument(str(tmp))
    doc[0].set_rotation(90)
    doc.save(str(path))
    doc.close()
    tmp.unlink()
    return path
