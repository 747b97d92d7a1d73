"""Letters on disclosure requests: 答复书, 延期答复告知书 and the like, as DOCX or PDF.

A letter is a list of paragraphs between a fixed head (issuer, title, 文号, addressee) and a fixed
foot (contact line, 落款 and date); the cases decide the wording, including the faults.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel

from eval.samplegen.common import cn_date, fixed_docx_properties, register_pdf_fonts, stabilise_zip


class Letter(BaseModel):
    issuer: str  # 落款机关
    title: str  # 政府信息公开申请答复书
    number: str  # 大自然资依复〔2023〕7号
    addressee: str  # 张某某：
    paragraphs: list[str]
    contact: str | None = None  # 联系人及电话
    date: dt.date
    seal_note: str = "（盖章）"


def write_docx(letter: Letter, path: Path) -> None:
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = DocxDocument()
    fixed_docx_properties(document, letter.title, letter.issuer)

    def para(text: str, *, font: str = "仿宋_GB2312", size: float = 16, align=None, indent: bool = False):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    para(letter.issuer, font="方正小标宋简体", size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(letter.title, font="方正小标宋简体", size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(letter.addressee)
    for text in letter.paragraphs:
        para(text, indent=True)
    if letter.contact:
        para(letter.contact, indent=True)
    para(letter.issuer + letter.seal_note, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(cn_date(letter.date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    stabilise_zip(path)


def write_pdf(letter: Letter, path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    rl_config.invariant = 1
    body_font, head_font = register_pdf_fonts()
    head = ParagraphStyle("h", fontName=head_font, fontSize=18, leading=28, alignment=TA_CENTER, wordWrap="CJK")
    centre = ParagraphStyle("c", fontName=body_font, fontSize=13, leading=22, alignment=TA_CENTER)
    body = ParagraphStyle("b", fontName=body_font, fontSize=13, leading=24, firstLineIndent=26, wordWrap="CJK")
    plain = ParagraphStyle("p", parent=body, firstLineIndent=0)
    right = ParagraphStyle("r", parent=plain, alignment=TA_RIGHT)
    story = [Paragraph(letter.issuer, head), Paragraph(letter.title, head), Paragraph(letter.number, centre),
             Spacer(1, 8), Paragraph(letter.addressee, plain)]
    story += [Paragraph(t, body) for t in letter.paragraphs]
    if letter.contact:
        story.append(Paragraph(letter.contact, body))
    story += [Spacer(1, 20), Paragraph(letter.issuer + letter.seal_note, right),
              Paragraph(cn_date(letter.date), right)]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=26 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                      bottomMargin=25 * mm, title=letter.title, author=letter.issuer, creator="",
                      producer="").build(story)
