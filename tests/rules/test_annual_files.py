"""The 1.1.9 rules on real files: a reportlab PDF with a ruled, merged table 三 (STSong-Light) and a
python-docx report, both parsed by `ingestion.parse.parse_file`.

Also an HTML page with the official rowspan/colspan layout. Skipped while parse.py is the UTF-8
placeholder (it raises ParseError for binary files and reads HTML as plain text).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.document import DocType
from indicators.annual_report import analyse
from indicators.rules.base import Evidence, Outcome
from ingestion.parse import parse_file
from tests.rules.annual_builders import (
    COLS,
    IMPROVE_SPECIFIC,
    NOTE,
    OVERVIEW,
    T2_GRID,
    T3_LAYOUT_2021,
    T4_GRID,
    t3_values,
)
from tests.rules.ruleset import run_indicator

TITLE = "香河县交通运输局2023年政府信息公开工作年度报告"
PARTS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
NARRATIVE = "本年度共收到政府信息公开申请49件，上年结转政府信息公开申请4件，结转下年度继续办理8件。"


def _t3_rows(values: dict[str, list[str]]) -> list[list[str]]:
    header = [[NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
              ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
              ["", "", "", "", *COLS[1:6], ""]]
    body = []
    prev: list[str] = []
    for labels, key in T3_LAYOUT_2021:
        row = [lbl if (i == 2 or lbl != (prev[i] if prev else None)) else "" for i, lbl in enumerate(labels)]
        if labels[0] == labels[1] == labels[2]:
            row = [labels[0], "", ""]
        elif labels[1] == labels[2]:
            row = [row[0], labels[1], ""]
        body.append(row + values[key])
        prev = labels
    return header + body


def _spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """(col0, row0, col1, row1) merges matching the official layout (header and label columns)."""
    spans = [(0, 0, 2, 2), (3, 0, 9, 0), (3, 1, 3, 2), (4, 1, 8, 1), (9, 1, 9, 2)]
    start = 3
    for r, row in enumerate(rows[start:], start):
        if row[0] and not row[1]:
            spans.append((0, r, 2, r))
        elif row[1] and not row[2]:
            spans.append((1, r, 2, r))
    # vertical merges of 三、本年度办理结果 and the (三)-(六) group labels
    groups = [r for r in range(start, len(rows)) if rows[r][0].startswith("三、")]
    spans.append((0, groups[0], 0, groups[0] + 21))  # 22 result rows: (一) to (七)总计
    r = start
    while r < len(rows):
        if rows[r][1] and rows[r][2]:
            end = r
            while end + 1 < len(rows) and not rows[end + 1][1] and rows[end + 1][2]:
                end += 1
            spans.append((1, r, 1, end))
            r = end + 1
        else:
            r += 1
    return spans


def _parse(path: Path):
    doc = parse_file(path)  # a parser regression must fail these tests, never skip them
    assert doc.file_type == path.suffix.lstrip(".").lower(), f"{path.name} parsed as {doc.file_type}"
    return doc


def _run(doc):
    doc.doc_type = DocType.annual_report
    ev = Evidence(unit="香河县交通运输局", year=2023, documents=[doc], body_level="department")
    return run_indicator(ev, "1.1.9")


def make_pdf(path: Path, values: dict[str, list[str]]) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=10, leading=14)
    small = ParagraphStyle("s", fontName="STSong-Light", fontSize=6, leading=8)
    story = [Paragraph(TITLE, body)]
    grid_style = [("FONT", (0, 0), (-1, -1), "STSong-Light", 6), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                  ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]

    def table(rows, widths, spans=()):
        cells = [[Paragraph(c, small) if len(c) > 8 else c for c in row] for row in rows]
        t = Table(cells, colWidths=widths)
        t.setStyle(TableStyle(grid_style + [("SPAN", (a, b), (c, d)) for a, b, c, d in spans]))
        return t

    for i, heading in enumerate(PARTS):
        story.append(Paragraph(heading, body))
        if i == 0:
            story += [Paragraph(p, body) for p in OVERVIEW]
        elif i == 1:
            story.append(table(T2_GRID, [150, 90, 90, 90]))
        elif i == 2:
            story.append(Paragraph(NARRATIVE, body))
            rows = _t3_rows(values)
            story.append(table(rows, [30, 45, 120] + [36] * 7, _spans(rows)))
        elif i == 3:
            story.append(table(T4_GRID, [34] * 15))
        elif i == 4:
            story += [Paragraph(p, body) for p in IMPROVE_SPECIFIC]
        else:
            story.append(Paragraph("本年度未收取信息处理费。", body))
    story.append(Paragraph("发布日期：2024年1月20日", body))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=30, rightMargin=30).build(story)


def make_docx(path: Path, values: dict[str, list[str]]) -> None:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)

    def table(rows, spans=()):
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for row, texts in zip(t.rows, rows, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
        for a, b, c, e in spans:
            keep = t.cell(b, a).text
            merged = t.cell(b, a).merge(t.cell(e, c))
            merged.text = keep
        return t

    for i, heading in enumerate(PARTS):
        d.add_paragraph(heading)
        if i == 0:
            for p in OVERVIEW:
                d.add_paragraph(p)
        elif i == 1:
            table(T2_GRID)
        elif i == 2:
            d.add_paragraph(NARRATIVE)
            rows = _t3_rows(values)
            table(rows, _spans(rows))
        elif i == 3:
            table(T4_GRID)
        elif i == 4:
            for p in IMPROVE_SPECIFIC:
                d.add_paragraph(p)
        else:
            d.add_paragraph("本年度未收取信息处理费。")
    d.add_paragraph("发布日期：2024年1月20日")
    d.save(str(path))


def _html_table(rows: list[list[str]]) -> str:
    return "<table border='1'>" + "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"


def _html_t3(rows: list[tuple[list[str], list[str]]]) -> str:
    """Table 三 with the official merges (rowspan/colspan), as government sites publish it; a blank cell
    is printed as &nbsp; like real pages do."""
    out = [f"<tr><td colspan='3' rowspan='3'>{NOTE}</td><td colspan='7'>申请人情况</td></tr>",
           "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr>",
           "<tr>" + "".join(f"<td>{c}</td>" for c in COLS[1:6]) + "</tr>"]

    def run_length(i: int, col: int) -> int:
        n = 1
        while i + n < len(rows) and rows[i + n][0][col] == rows[i][0][col] and rows[i + n][0][col] != rows[i + n][0][2]:
            n += 1
        return n

    for i, (labels, values) in enumerate(rows):
        nums = "".join(f"<td>{v or '&nbsp;'}</td>" for v in values)
        if labels[0] == labels[2]:
            cells = f"<td colspan='3'>{labels[0]}</td>"
        else:
            cells = "" if i and rows[i - 1][0][0] == labels[0] else f"<td rowspan='{run_length(i, 0)}'>{labels[0]}</td>"
            if labels[1] == labels[2]:
                cells += f"<td colspan='2'>{labels[1]}</td>"
            else:
                if not (i and rows[i - 1][0][1] == labels[1]):
                    cells += f"<td rowspan='{run_length(i, 1)}'>{labels[1]}</td>"
                cells += f"<td>{labels[2]}</td>"
        out.append(f"<tr>{cells}{nums}</tr>")
    return "<table border='1'>" + "".join(out) + "</table>"


def _html_page(t3_rows: list[tuple[list[str], list[str]]]) -> str:
    body = [f"<h1>{TITLE}</h1>", "<p>发布日期：2024年1月20日</p>"]
    for i, heading in enumerate(PARTS):
        body.append(f"<p>{heading}</p>")
        body += {0: [f"<p>{p}</p>" for p in OVERVIEW], 1: [_html_table(T2_GRID)],
                 2: [f"<p>{NARRATIVE}</p>", _html_t3(t3_rows)], 3: [_html_table(T4_GRID)],
                 4: [f"<p>{p}</p>" for p in IMPROVE_SPECIFIC], 5: ["<p>本年度未收取信息处理费。</p>"]}[i]
    return f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body>{''.join(body)}</body></html>"


def make_html(path: Path, values: dict[str, list[str]]) -> None:
    path.write_text(_html_page([(labels, values[key]) for labels, key in T3_LAYOUT_2021]), encoding="utf-8")


MAKERS = {"pdf": make_pdf, "docx": make_docx, "html": make_html}


@pytest.mark.parametrize("ext", list(MAKERS))
def test_consistent_report_file_passes(tmp_path, ext):
    maker = MAKERS[ext]
    path = tmp_path / f"report.{ext}"
    maker(path, t3_values())
    doc = _parse(path)
    a = analyse(doc)
    assert a.table3 is not None and all(a.table3.has_row(k) for k in a.table3.row_keys), a.table3
    assert a.table4 is not None and a.table4.get("review", "total").value == 1
    assert a.table2 is not None and a.table2.get("normative", "in_force").value == 15
    checks = _run(doc)
    failed = [c.rationale for c in checks if c.outcome == Outcome.failed]
    assert not failed, failed
    titles = {c.title for c in checks if c.outcome == Outcome.passed}
    assert {"年度报告六部分结构", "表三勾稽关系（T3-A）", "表三勾稽关系（T3-C）", "表四勾稽关系（T4-A）"} <= titles


@pytest.mark.parametrize("ext", list(MAKERS))
def test_altered_cell_in_file_is_cited(tmp_path, ext):
    values = t3_values()
    values["1"][0] = "42"
    path = tmp_path / f"bad.{ext}"
    MAKERS[ext](path, values)
    doc = _parse(path)
    checks = _run(doc)
    suspect = next(c for c in checks if c.title == "表三疑似错误单元格")
    assert [c.quote for c in suspect.citations] == ["42"]
    assert doc.text[suspect.citations[0].start:suspect.citations[0].end] == "42"
    t3a = next(c for c in checks if c.title == "表三勾稽关系（T3-A）" and c.outcome == Outcome.failed)
    assert "相差 2" in t3a.rationale


def test_pdf_date_and_deadline(tmp_path):
    path = tmp_path / "report.pdf"
    make_pdf(path, t3_values())
    doc = _parse(path)
    check = next(c for c in _run(doc) if c.rule_id == "annual_report.deadline")
    assert check.data["date"] == dt.date(2024, 1, 20).isoformat() and check.outcome == Outcome.passed


def test_shanghai_2019_table_as_a_web_page(tmp_path):
    """The real 2019 table 三 (trial format, blanks as &nbsp;) in its official merged layout."""
    from tests.rules.test_annual_tables import SHANGHAI_2019

    path = tmp_path / "shanghai.html"
    path.write_text(_html_page(SHANGHAI_2019), encoding="utf-8")
    doc = _parse(path)
    t3 = analyse(doc).table3
    assert t3 is not None and t3.trial_single_other_row
    assert t3.get("3.7", "natural").value == 767 and t3.get("3.1", "total").value is None
    checks = [c for c in _run(doc) if c.rule_id == "annual_report.identities"]
    assert not [c for c in checks if c.outcome == Outcome.failed]
    blank = next(c for c in checks if c.title == "表三空白单元格")
    assert ["3.1", "total"] in blank.data["blank"]


# ---------------------------------------------------------------- layouts portals really publish


FLAT_PAGE = """当前位置: 网站首页 -> 政务公开 -> 政府信息公开年报 -> 正文
某县人民政府2022年政府信息公开工作年度报告 | ||||||||||||||||
来源: 作者: 时间:2023-01-31 点击率:【 打印 】【 关闭 】 | ||||||||||||||||
一、总体情况 依据《中华人民共和国政府信息公开条例》的规定，现将某县2022年度政府信息公开工作情况报告如下。 （一）主动公开情况。 截至2022年12月31日，公开政府信息2095条。 （二）依申请公开情况。 截至2022年12月31日，某县收到政府信息依申请公开11件，办理完毕11件。因政府信息公开申请行政复议数量4件，提起行政诉讼数量2件。 （三）政策解读回应情况。 县人民政府门户网站设有“政府文件”和“政策解读”栏目。
"""

IMAGE_TABLES_PAGE = """<html><head><title>某区管委会2022年政府信息公开工作年度报告</title></head><body>
<div class="article"><h1>某区管委会2022年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本局全年主动公开政府信息120条，依申请公开0件，信息管理、平台建设、监督保障均按要求落实。</p>
<p>二、主动公开政府信息情况</p><p><img src="t2.png"></p>
<p>三、收到和处理政府信息公开申请情况</p><p><img src="t3.png"></p>
<p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="t4.png"></p>
<p>五、存在的主要问题及改进情况</p><p>一是2023年6月底前完成公开目录梳理。二是每季度开展业务培训1次。</p>
<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>
</div></body></html>"""


def _parsed(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = parse_file(path, doc_type=DocType.annual_report)
    doc.year = 2022
    return doc


def test_cut_off_page_export_is_insufficient_not_failed(tmp_path):
    doc = _parsed(tmp_path, "某县人民政府2022年政府信息公开工作年度报告.txt", FLAT_PAGE)
    a = analyse(doc)
    assert a.completeness.excerpt and a.completeness.cut_in_part == 1
    checks = run_indicator(Evidence(unit="某县人民政府", year=2022, documents=[doc]), "1.1.9")
    failed = [c for c in checks if c.outcome == Outcome.failed]
    assert not failed, [c.rationale for c in failed]
    notes = [c for c in checks if c.data.get("abstain")]
    assert {c.sub for c in notes} == {1, 2} and all("完整的年度报告全文" in c.data["abstain"] for c in notes)


def test_headings_over_image_tables_ask_for_the_images(tmp_path):
    doc = _parsed(tmp_path, "某区管委会2022年报.html", IMAGE_TABLES_PAGE)
    a = analyse(doc)
    assert not a.completeness.excerpt and a.completeness.empty_parts == [2, 3, 4]
    checks = run_indicator(Evidence(unit="某区管委会", year=2022, documents=[doc]), "1.1.9")
    assert not [c for c in checks if c.outcome == Outcome.failed]
    assert a.completeness.image_parts == [2, 3, 4]  # the page's <img> under the headings
    assert any(c.data.get("needs") == "统计表图片" and c.data.get("abstain") and c.sub == 1 for c in checks)
    assert any(c.data.get("needs") == "统计表图片" and c.data.get("abstain") and c.sub == 2 for c in checks)
