"""The sample generators: official labels, table identities, deliberate faults, byte-stable output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument

from core.textnorm import normalize
from eval.samplegen import annual
from eval.samplegen.annual import T3_RESULT_ROWS, Table2, table3_from_results
from eval.samplegen.annual_content import build_report
from eval.samplegen.common import cn_date, cn_upper_date
from eval.samplegen.ledgers import Ledger, write_xlsx
from eval.samplegen.profiles import WENAN_JIAOTI, XIANGHE
from eval.samplegen.screenshots import Line, Screenshot, render

RESULT_KEYS = [k for k, _, _ in T3_RESULT_ROWS if k != "total"]


def _t3():
    return table3_from_results({"r1": [5, 1, 0, 0, 0, 0], "r3_4": [1, 0, 0, 0, 0, 0], "r4_1": [2, 0, 0, 1, 0, 0]},
                               carry_in=[1, 0, 0, 0, 0, 0], carry_out=[2, 1, 0, 0, 0, 0])


def _report(omit=frozenset(), profile=XIANGHE):
    from eval.samplegen.annual_cases import PROBLEMS, _facts

    return build_report(profile, _facts(2023, 1), Table2(normative=(2, 1, 9), licensing=10, penalty=3, coercion=0,
                                                         fees_wan=1.5), _t3(), [0] * 15, PROBLEMS["a"],
                        dt.date(2024, 1, 20), omit_parts=omit)


def test_table3_identities_hold():
    rows = _t3().rows
    for c in range(7):
        assert rows["new"][c] + rows["carry_in"][c] == rows["total"][c] + rows["carry_out"][c]  # T3-A
        assert rows["total"][c] == sum(rows[k][c] for k in RESULT_KEYS)  # T3-B
    for key, row in rows.items():
        assert row[6] == sum(row[:6]), key  # T3-C
    assert rows["new"][6] == 12  # 10 results + 3 carried out - 1 carried in
    with pytest.raises(ValueError):
        table3_from_results({"r9": [1] * 6}, [0] * 6, [0] * 6)


def test_pdf_has_official_labels_and_a_ruled_table(tmp_path: Path):
    path = tmp_path / "r.pdf"
    annual.write_pdf(_report(), path)
    with pdfplumber.open(path) as pdf:
        text = normalize("".join(p.extract_text() or "" for p in pdf.pages))
        tables = [t for p in pdf.pages for t in p.extract_tables()]
    for _, heading in _report().parts():
        assert normalize(heading) in text
    cells = {normalize(c) for t in tables for row in t for c in row if c}
    for _, group, label in T3_RESULT_ROWS:  # wrapped labels interleave with numbers in the text: use cells
        assert normalize(label) in cells, label
        assert group is None or normalize(group) in cells
    assert normalize(annual.T3_NOTE) in cells
    assert normalize("本年收费金额（单位：万元）") in text
    t3 = next(t for t in tables if any(r and r[0] and r[0].startswith("一、本年新收") for r in t))
    row = next(r for r in t3 if r[0] and r[0].startswith("一、本年新收"))
    assert [c for c in row if c and c.isdigit()] == ["9", "2", "0", "1", "0", "0", "12"]


def test_missing_part_renumbers_the_rest(tmp_path: Path):
    report = _report(omit=frozenset({4}))
    assert [h for _, h in report.parts()] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、存在的主要问题及改进情况", "五、其他需要报告的事项"]
    assert "行政复议" not in report.preamble()
    path = tmp_path / "r.docx"
    annual.write_docx(report, path)
    doc = DocxDocument(str(path))
    assert len(doc.tables) == 2  # tables 二 and 三 only
    assert "政府信息公开行政复议、行政诉讼情况" not in "\n".join(p.text for p in doc.paragraphs)


def test_docx_table3_merges_like_the_official_form(tmp_path: Path):
    path = tmp_path / "r.docx"
    annual.write_docx(_report(profile=WENAN_JIAOTI), path)
    doc = DocxDocument(str(path))
    t3 = doc.tables[1]
    assert t3.cell(0, 0).text == annual.T3_NOTE
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # the note spans 3 rows x 3 label columns
    assert t3.cell(5, 0).text == "三、本年度办理结果"
    assert t3.cell(5, 0)._tc is t3.cell(26, 0)._tc
    assert [c.text for c in t3.rows[3].cells[3:]] == ["9", "2", "0", "1", "0", "0", "12"]
    assert "文安县教育和体育局" in doc.paragraphs[0].text


def test_outputs_are_byte_stable(tmp_path: Path):
    ledger = Ledger(title="台账", sheet="表1", header=["序号", "日期"], rows=[[1, "2023-01-03"]])
    shot = Screenshot(site="某县人民政府", url="http://www.example.gov.cn/", nav=["首页"], breadcrumb="首页",
                      title="标题", lines=[Line(kind="p", text="正文，" * 40)], footer="主办")
    for name, write in [("a.pdf", lambda p: annual.write_pdf(_report(), p)),
                        ("a.docx", lambda p: annual.write_docx(_report(), p)),
                        ("a.xlsx", lambda p: write_xlsx(ledger, p)),
                        ("a.png", lambda p: render(shot, p))]:
        first, second = tmp_path / "1" / name, tmp_path / "2" / name
        write(first)
        write(second)
        assert first.read_bytes() == second.read_bytes(), name


def test_chinese_dates():
    assert cn_date(dt.date(2024, 1, 31)) == "2024年1月31日"
    assert cn_upper_date(dt.date(2023, 10, 20)) == "二〇二三年十月二十日"
    assert cn_upper_date(dt.date(2024, 12, 31)) == "二〇二四年十二月三十一日"


def test_old_trial_format_report(tmp_path: Path):
    from eval.samplegen.annual import Table2Old

    report = _report().model_copy(update={"table2": Table2Old(
        normative=(2, 2, 9), licensing=(4, "+1", 10), other_services=(2, "0", 5), penalty=(3, "-1", 3),
        coercion=(1, "0", 0), fees=(2, "0"), procurement=(3, 120.5))})
    assert report.old_format and "国办公开办函〔2019〕60号" in report.preamble()
    path = tmp_path / "old.docx"
    annual.write_docx(report, path)
    doc = DocxDocument(str(path))
    t2_text = {c.text for row in doc.tables[0].rows for c in row.cells}
    assert {"本年新制作数量", "规范性文件", "其他对外管理服务事项", "政府集中采购"} <= t2_text
    assert "行政规范性文件" not in t2_text
    labels = [row.cells[1].text for row in doc.tables[1].rows]
    assert "（六）其他处理" in labels and not any(lbl.startswith("1.申请人无正当理由") for lbl in labels)
