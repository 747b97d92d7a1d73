"""Annual reports (政府信息公开工作年度报告) in the 2021 unified format (国办公开办函〔2021〕30号).

The model holds the numbers of tables 二/三/四 and the prose of the six parts; `table3_from_results`
derives the totals so a report satisfies the identities (T3-A/B/C of domain-rules.md) unless a
case overrides a cell on purpose. Writers render the same report as a PDF with ruled tables
(reportlab) or as a DOCX (python-docx), with the official labels verbatim.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from eval.samplegen.common import cn_date, fixed_docx_properties, register_pdf_fonts, stabilise_zip

# The 2019 format's part titles, written out here rather than imported from
# indicators.annual_report.sections: the samples test that module, so they must not share its mistakes.
PART_HEADINGS = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
CN_ORDINALS = "一二三四五六七八九十"
APPLICANT_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# (key, group label or None, label); group labels are the vertically merged second column.
T3_RESULT_ROWS: list[tuple[str, str | None, str]] = [
    ("r1", None, "（一）予以公开"),
    ("r2", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("r3_1", "（三）不予公开", "1.属于国家秘密"),
    ("r3_2", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("r3_3", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("r3_4", "（三）不予公开", "4.保护第三方合法权益"),
    ("r3_5", "（三）不予公开", "5.属于三类内部事务信息"),
    ("r3_6", "（三）不予公开", "6.属于四类过程性信息"),
    ("r3_7", "（三）不予公开", "7.属于行政执法案卷"),
    ("r3_8", "（三）不予公开", "8.属于行政查询事项"),
    ("r4_1", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("r4_2", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("r4_3", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("r5_1", "（五）不予处理", "1.信访举报投诉类申请"),
    ("r5_2", "（五）不予处理", "2.重复申请"),
    ("r5_3", "（五）不予处理", "3.要求提供公开出版物"),
    ("r5_4", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("r5_5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("r6_1", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("r6_2", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("r6_3", "（六）其他处理", "3.其他"),
    ("total", None, "（七）总计"),
]
T3_NEW = "一、本年新收政府信息公开申请数量"
T3_CARRY_IN = "二、上年结转政府信息公开申请数量"
T3_RESULTS = "三、本年度办理结果"
T3_CARRY_OUT = "四、结转下年度继续办理"

Row7 = list[int]  # six applicant columns + 总计


class Table2(BaseModel):
    """二、主动公开政府信息情况: 第二十条第（一）（五）（六）（八）项."""

    rules: tuple[int, int, int] = (0, 0, 0)  # 规章: 本年制发 / 本年废止 / 现行有效
    normative: tuple[int, int, int]  # 行政规范性文件
    licensing: int
    penalty: int
    coercion: int
    fees_wan: float  # 行政事业性收费, 万元


class Table2Old(BaseModel):
    """二 in the 2019 trial format (国办公开办函〔2019〕60号), for a report that kept the old template."""

    rules: tuple[int, int, int] = (0, 0, 0)  # 本年新制作数量 / 本年新公开数量 / 对外公开总数量
    normative: tuple[int, int, int]  # row label 规范性文件 (not 行政规范性文件)
    licensing: tuple[int, str, int]  # 上一年项目数量 / 本年增/减 / 处理决定数量
    other_services: tuple[int, str, int]  # 其他对外管理服务事项
    penalty: tuple[int, str, int]
    coercion: tuple[int, str, int]
    fees: tuple[int, str]  # 上一年项目数量 / 本年增/减
    procurement: tuple[int, float]  # 采购项目数量 / 采购总金额 (万元)


class Table3(BaseModel):
    rows: dict[str, Row7]  # keys: new, carry_in, r1..r6_3, total, carry_out


class AnnualReport(BaseModel):
    unit: str
    year: int
    office: str  # the body's 政府信息公开工作机构, named in the preamble
    address: str
    postcode: str
    phone: str
    website: str
    portal: str  # the website named in the preamble, e.g. 香河县人民政府门户网站
    overview_intro: str
    overview: list[tuple[str, str]]  # (（一）主动公开。 , paragraph)
    table2: Table2 | Table2Old  # Table2Old: the report still uses the 2019 trial format
    table3: Table3
    table4: list[int] = Field(min_length=15, max_length=15)
    problems: list[str]  # paragraphs of 五, sub-headings included as their own paragraphs
    other: list[str]  # paragraphs of 六
    omit_parts: set[int] = Field(default_factory=set)  # parts left out on purpose (error cases)
    sign_date: dt.date

    @property
    def title(self) -> str:
        return f"{self.unit}{self.year}年政府信息公开工作年度报告"

    def parts(self) -> list[tuple[int, str]]:
        """(official part number, heading as printed); later parts renumber when one is missing."""
        out = []
        for n in range(1, 7):
            if n in self.omit_parts:
                continue
            out.append((n, f"{CN_ORDINALS[len(out)]}、{PART_HEADINGS[n]}"))
        return out

    @property
    def old_format(self) -> bool:
        return isinstance(self.table2, Table2Old)

    def preamble(self) -> str:
        names = "、".join(PART_HEADINGS[n].replace("、", "和") for n, _ in self.parts())
        notice = ("《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》"
                  "（国办公开办函〔2019〕60号）" if self.old_format else
                  "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉"
                  "的通知》（国办公开办函〔2021〕30号）")
        return (
            f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定和"
            f"{notice}要求，由{self.office}编制。报告全文包括{names}。"
            f"本报告中所列数据的统计期限自{self.year}年1月1日起至{self.year}年12月31日止。"
            f"本报告电子版可在{self.portal}（{self.website}）“政府信息公开”专栏查阅和下载。"
            f"如对本报告有疑问，请与{self.office}联系（地址：{self.address}；邮编：{self.postcode}；电话：{self.phone}）。"
        )


def table3_from_results(results: dict[str, list[int]], carry_in: list[int], carry_out: list[int]) -> Table3:
    """Complete table 三 from the per-column result counts so that every identity holds.

    `results` maps result-row keys (r1, r3_4, ...) to the six applicant columns; rows not given are 0.
    新收 is derived per column: 新收 = 总计 + 结转下年度 − 上年结转.
    """
    keys = [k for k, _, _ in T3_RESULT_ROWS if k != "total"]
    unknown = set(results) - set(keys)
    if unknown:
        raise ValueError(f"unknown table-3 rows: {sorted(unknown)}")

    def with_total(six: list[int]) -> Row7:
        return [*six, sum(six)]

    rows: dict[str, Row7] = {k: with_total(results.get(k, [0] * 6)) for k in keys}
    total6 = [sum(rows[k][c] for k in keys) for c in range(6)]
    new6 = [total6[c] + carry_out[c] - carry_in[c] for c in range(6)]
    if min(new6) < 0:
        raise ValueError("carry-in exceeds what the results and carry-out account for")
    rows["total"] = with_total(total6)
    rows["new"] = with_total(new6)
    rows["carry_in"] = with_total(list(carry_in))
    rows["carry_out"] = with_total(list(carry_out))
    return Table3(rows=rows)


# ---------------------------------------------------------------- table grids (shared by both writers)

Merge = tuple[int, int, int, int]  # row0, col0, row1, col1 (inclusive)


def _fmt(v: int | float | None) -> str:
    if v is None:
        return ""
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def table2_grid(t: Table2) -> tuple[list[list[str]], list[Merge]]:
    g: list[list[str]] = []
    merges: list[Merge] = []

    def block_header(text: str) -> None:
        g.append([text, "", "", ""])
        merges.append((len(g) - 1, 0, len(g) - 1, 3))

    def single(label: str, value: str) -> None:
        g.append([label, value, "", ""])
        merges.append((len(g) - 1, 1, len(g) - 1, 3))

    block_header("第二十条第（一）项")
    g.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    g.append(["规章", *map(_fmt, t.rules)])
    g.append(["行政规范性文件", *map(_fmt, t.normative)])
    block_header("第二十条第（五）项")
    single("信息内容", "本年处理决定数量")
    single("行政许可", _fmt(t.licensing))
    block_header("第二十条第（六）项")
    single("信息内容", "本年处理决定数量")
    single("行政处罚", _fmt(t.penalty))
    single("行政强制", _fmt(t.coercion))
    block_header("第二十条第（八）项")
    single("信息内容", "本年收费金额（单位：万元）")
    single("行政事业性收费", _fmt(t.fees_wan))
    return g, merges


def table2_old_grid(t: Table2Old) -> tuple[list[list[str]], list[Merge]]:
    g: list[list[str]] = []
    merges: list[Merge] = []

    def block(header: str, columns: list[str], rows: list[tuple[str, tuple]]) -> None:
        g.append([header, "", "", ""])
        merges.append((len(g) - 1, 0, len(g) - 1, 3))
        g.append(["信息内容", *columns, *[""] * (3 - len(columns))])
        for label, values in rows:
            g.append([label, *map(_fmt, values), *[""] * (3 - len(values))])

    block("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
          [("规章", t.rules), ("规范性文件", t.normative)])
    block("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
          [("行政许可", t.licensing), ("其他对外管理服务事项", t.other_services)])
    block("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
          [("行政处罚", t.penalty), ("行政强制", t.coercion)])
    block("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", t.fees)])
    block("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", t.procurement)])
    return g, merges


def table3_grid(t: Table3, old_format: bool = False) -> tuple[list[list[str]], list[Merge]]:
    """Table 三; in the 2019 trial format （六）其他处理 is one row without sub-items."""
    n = 10
    g: list[list[str]] = [
        [T3_NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", *APPLICANT_COLS[1:], ""],
    ]
    merges: list[Merge] = [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)]

    def full_row(label: str, key: str) -> None:
        g.append([label, "", "", *map(_fmt, t.rows[key])])
        merges.append((len(g) - 1, 0, len(g) - 1, 2))

    full_row(T3_NEW, "new")
    full_row(T3_CARRY_IN, "carry_in")
    first_result = len(g)
    group_start: dict[str, int] = {}
    result_rows = T3_RESULT_ROWS
    if old_format:
        other = [sum(t.rows[k][c] for k in ("r6_1", "r6_2", "r6_3")) for c in range(7)]
        t = Table3(rows={**t.rows, "r6": other})
        result_rows = [r for r in T3_RESULT_ROWS if not r[0].startswith("r6_")]
        result_rows.insert(len(result_rows) - 1, ("r6", None, "（六）其他处理"))
    for key, group, label in result_rows:
        r = len(g)
        values = list(map(_fmt, t.rows[key]))
        if group is None:
            g.append(["", label, "", *values])
            merges.append((r, 1, r, 2))
        else:
            first = group not in group_start
            group_start.setdefault(group, r)
            g.append(["", group if first else "", label, *values])
    g[first_result][0] = T3_RESULTS
    merges.append((first_result, 0, len(g) - 1, 0))
    for group, start in group_start.items():
        end = max(i for i, (_, grp, _) in enumerate(result_rows) if grp == group) + first_result
        merges.append((start, 1, end, 1))
    full_row(T3_CARRY_OUT, "carry_out")
    assert all(len(row) == n for row in g)
    return g, merges


def table4_grid(values: list[int]) -> tuple[list[list[str]], list[Merge]]:
    cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    g = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        ["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [*cols, *cols, *cols],
        [_fmt(v) for v in values],
    ]
    merges = [(0, 0, 1, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)]
    return g, merges


def _table2(report: AnnualReport) -> tuple[list[list[str]], list[Merge]]:
    t = report.table2
    return table2_old_grid(t) if isinstance(t, Table2Old) else table2_grid(t)


# ---------------------------------------------------------------- PDF


def write_pdf(report: AnnualReport, path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1  # no timestamp or random id in the file: byte-stable output
    body_font, head_font = register_pdf_fonts()
    title_st = ParagraphStyle("t", fontName=head_font, fontSize=17, leading=26, alignment=TA_CENTER,
                              wordWrap="CJK", spaceAfter=10)
    h1 = ParagraphStyle("h1", fontName=head_font, fontSize=12.5, leading=20, spaceBefore=8, spaceAfter=4,
                        wordWrap="CJK")
    body = ParagraphStyle("b", fontName=body_font, fontSize=11.5, leading=20, firstLineIndent=23,
                          wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=body_font, fontSize=7.5, leading=9.5, alignment=TA_CENTER,
                          wordWrap="CJK")
    cell_left = ParagraphStyle("cl", parent=cell, alignment=0)
    sign = ParagraphStyle("s", parent=body, alignment=2, firstLineIndent=0)

    def ruled(grid: list[list[str]], merges: list[Merge], widths: list[float], left_cols: int = 0) -> Table:
        data = [[Paragraph(v, cell_left if c < left_cols else cell) if v else "" for c, v in enumerate(row)]
                for row in grid]
        style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
        style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merges]
        t = Table(data, colWidths=widths, repeatRows=0)
        t.setStyle(TableStyle(style))
        return t

    story: list = [Paragraph(report.title, title_st), Paragraph(report.preamble(), body)]
    for number, heading in report.parts():
        story.append(Paragraph(heading, h1))
        if number == 1:
            story.append(Paragraph(report.overview_intro, body))
            for sub, text in report.overview:
                story.append(Paragraph(f"<font name='{head_font}'>{sub}</font>{text}", body))
        elif number == 2:
            g, m = _table2(report)
            story.append(ruled(g, m, [44 * mm, 40 * mm, 40 * mm, 40 * mm]))
        elif number == 3:
            g, m = table3_grid(report.table3, report.old_format)
            story.append(ruled(g, m, [11 * mm, 22 * mm, 53 * mm] + [12.4 * mm] * 7, left_cols=3))
        elif number == 4:
            g, m = table4_grid(report.table4)
            story.append(ruled(g, m, [11.4 * mm] * 15))
        elif number == 5:
            story += [Paragraph(p, body) for p in report.problems]
        elif number == 6:
            story += [Paragraph(p, body) for p in report.other]
    story += [Spacer(1, 18), Paragraph(report.unit, sign), Paragraph(cn_date(report.sign_date), sign)]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(body_font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        canvas.restoreState()

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=20 * mm, bottomMargin=22 * mm, title=report.title, author=report.unit,
                            creator="", producer="")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


# ---------------------------------------------------------------- DOCX


def _docx_font(run, name: str = "仿宋_GB2312", size: float = 14, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def docx_table(document, grid: list[list[str]], merges: list[Merge], size: float = 9) -> None:
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    table.style = "Table Grid"
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r, c) in covered or not value:
                continue
            para = table.cell(r, c).paragraphs[0]
            _docx_font(para.add_run(value), "宋体", size)


def write_docx(report: AnnualReport, path: Path) -> None:
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = DocxDocument()
    fixed_docx_properties(document, report.title, report.unit)

    def para(text: str, *, bold_lead: str = "", align=None, font="仿宋_GB2312", size=14, bold=False):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if bold_lead:
            _docx_font(p.add_run(bold_lead), "楷体_GB2312", size, True)
        _docx_font(p.add_run(text), font, size, bold)
        return p

    para(report.title, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体", size=20)
    para(report.preamble())
    for number, heading in report.parts():
        para(heading, font="黑体", size=15)
        if number == 1:
            para(report.overview_intro)
            for sub, text in report.overview:
                para(text, bold_lead=sub)
        elif number == 2:
            docx_table(document, *_table2(report))
        elif number == 3:
            docx_table(document, *table3_grid(report.table3, report.old_format), size=8)
        elif number == 4:
            docx_table(document, *table4_grid(report.table4), size=8)
        elif number == 5:
            for p in report.problems:
                para(p)
        elif number == 6:
            for p in report.other:
                para(p)
    para(report.unit, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(cn_date(report.sign_date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    stabilise_zip(path)
