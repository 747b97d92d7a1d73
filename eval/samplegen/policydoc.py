"""Policy documents (规范性文件) as the printed 红头文件 PDF: red issuer header, 文号, title, body, 落款."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel

from eval.samplegen.common import cn_date, register_pdf_fonts


class PolicyDoc(BaseModel):
    header: str  # 香河县人民政府文件
    number: str  # 香政发〔2023〕5号
    title: str
    addressee: str
    body: list[str]  # paragraphs; an attachment title may be one of them
    signer: str
    date: dt.date
    disclosure: str = "（此件公开发布）"
    distribution: str = ""  # 抄送 line
    printed_by: str = ""  # 印发 line


def write_pdf(doc: PolicyDoc, path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    rl_config.invariant = 1
    body_font, head_font = register_pdf_fonts()
    red = colors.Color(0.8, 0.1, 0.1)
    header = ParagraphStyle("hd", fontName=head_font, fontSize=30, leading=40, alignment=TA_CENTER, textColor=red)
    centre = ParagraphStyle("c", fontName=body_font, fontSize=14, leading=24, alignment=TA_CENTER)
    title = ParagraphStyle("t", fontName=head_font, fontSize=19, leading=30, alignment=TA_CENTER, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=body_font, fontSize=14, leading=26, firstLineIndent=28, wordWrap="CJK")
    plain = ParagraphStyle("p", parent=body, firstLineIndent=0)
    right = ParagraphStyle("r", parent=plain, alignment=TA_RIGHT)
    small = ParagraphStyle("s", parent=plain, fontSize=12, leading=20)
    story = [Paragraph(doc.header, header), Spacer(1, 10), Paragraph(doc.number, centre),
             HRFlowable(width="100%", thickness=1.5, color=red, spaceBefore=4, spaceAfter=16),
             Paragraph(doc.title, title), Spacer(1, 10), Paragraph(doc.addressee, plain)]
    story += [Paragraph(p, body) for p in doc.body]
    story += [Spacer(1, 24), Paragraph(doc.signer, right), Paragraph(cn_date(doc.date), right),
              Paragraph(doc.disclosure, body)]
    if doc.distribution or doc.printed_by:
        story += [Spacer(1, 30), HRFlowable(width="100%", thickness=0.8, color=colors.black)]
        story += [Paragraph(t, small) for t in (doc.distribution, doc.printed_by) if t]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                      bottomMargin=28 * mm, title=doc.title, author=doc.signer, creator="",
                      producer="").build(story)
