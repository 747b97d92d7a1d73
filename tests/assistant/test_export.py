"""Exports read back: the score sheet's formulas evaluated by hand, the docx texts, the summary ranking."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from assistant.export import ExportInfo, write_summary_xlsx, write_unit_exports
from assistant.scorecard import ReviewDecision, Scorecard, ScoreItem
from core.findings import Citation, Finding, Flag, Source, Verdict
from indicators.catalog import load_catalog


def item(id, sub, level1, level2, level3, max_points, points, verdict=Verdict.met, **kw) -> ScoreItem:
    return ScoreItem(id=id, sub=sub, name=level3 or level2, max_points=max_points, suggested_points=points,
                     verdict=verdict, level1=level1, level2=level2, level3=level3,
                     requirement=kw.pop("requirement", f"{level3 or level2}的考核要点"), **kw)


def scorecard(unit="固安县人民政府", scale=1.0) -> Scorecard:
    cit = Citation(file="固安县2023年政府信息公开工作年度报告.pdf", doc_id="d1", page=2, start=10, end=24,
                   quote="本报告于2024年1月20日发布")
    items = [
        item("1.1.1", 1, "主动公开", "基础性指标", "政策文件公开", 1, 1.0 * scale, requirement="及时更新公开本级政府制定的规范性文件"),
        item("1.1.1", 2, "主动公开", "基础性指标", "政策文件公开", 1, 0.5 * scale, Verdict.partial),
        item("1.1.1", 3, "主动公开", "基础性指标", "政策文件公开", 1, 0.0, Verdict.not_met),
        item("1.1.9", 1, "主动公开", "基础性指标", "政府信息公开年度报告", 1, 1.0 * scale, citations=[cit],
             rationale="年度报告于2024年1月20日发布，未超过1月31日。", source=Source.rule),
        item("1.2.6", None, "主动公开", "重点领域信息公开", "教育领域信息公开", 2, 1.5 * scale, Verdict.partial,
             flags=[Flag.needs_human, Flag.citation_dropped], source=Source.llm),
        item("3.1", 1, "政策解读", "解读内容", "", 2, 2.0 * scale),
        item("3.1", 2, "政策解读", "解读内容", "", 1, 0.0, Verdict.insufficient_evidence, flags=[Flag.no_evidence]),
    ]
    return Scorecard.build(unit, "langfang-2023", 2023, items)


# --- a tiny evaluator for the formulas we write: =SUM(ranges and cells) --------------------------------

def evaluate(ws, ref: str) -> float:
    """=SUM(ranges, cells), optionally +SUMPRODUCT((X1:X9="")*Y1:Y9): Y where X is blank."""
    value = ws[ref].value
    if not (isinstance(value, str) and value.startswith("=")):
        return float(value or 0)
    m = re.fullmatch(r'=SUM\(([^)]+)\)(?:\+SUMPRODUCT\(\((\w+:\w+)=""\)\*(\w+:\w+)\))?', value)
    assert m, value
    total = 0.0
    for part in m.group(1).split(","):
        if ":" in part:
            for row in ws[part]:
                total += sum(evaluate(ws, c.coordinate) for c in row)
        else:
            total += evaluate(ws, part)
    if m.group(2):
        for (blank,), (add,) in zip(ws[m.group(2)], ws[m.group(3)], strict=True):
            total += evaluate(ws, add.coordinate) if blank.value is None else 0.0
    return total


def test_scorecard_json_is_exactly_the_contract_shape(tmp_path):
    paths = write_unit_exports(scorecard(), tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert set(data) == {"unit", "catalog", "year", "total_max", "total_suggested", "items"}
    assert data["total_max"] == 9 and data["total_suggested"] == 6.0
    first = data["items"][3]
    assert set(first) == {"id", "sub", "name", "max_points", "suggested_points", "verdict", "citations",
                          "rationale", "source", "flags"}
    assert first["citations"] == [{"file": "固安县2023年政府信息公开工作年度报告.pdf", "page": 2, "start": 10,
                                   "end": 24, "quote": "本报告于2024年1月20日发布"}]
    assert data["items"][4]["flags"] == ["needs_human", "citation_dropped"]
    assert Scorecard.model_validate(data).items[0].id == "1.1.1"  # and it reads back


def test_score_sheet_layout_and_formulas(tmp_path):
    sc = scorecard()
    decisions = [ReviewDecision(id="1.1.1", sub=2, confirmed_points=1.0, comment="补充材料后认定", reviewer="李四"),
                 ReviewDecision(id="3.1", sub=1, confirmed_points=1.5, reviewer="张三")]
    info = ExportInfo("张三", dt.date(2024, 3, 5))
    path = write_unit_exports(sc, tmp_path, decisions, info=info)["xlsx"]
    assert path.name == "scorecard.xlsx"  # the cli-contract's name unless dated names are asked for
    ws = load_workbook(path).active
    assert [ws.cell(2, c).value for c in range(1, 10)] == [
        "一级指标", "二级指标", "三级指标", "考核要点", "分值", "建议得分", "依据与引文", "复核得分", "复核意见"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 主动公开 rows 3-7, subtotal 8; 政策解读 rows 9-10, subtotal 11; total 12
    assert {"A1:I1", "A3:A7", "B3:B6", "C3:C5", "A9:A10", "B9:B10", "C9:C10", "A8:D8", "A11:D11", "A12:D12"} <= merged
    assert ws["A8"].value == "小计：主动公开" and ws["A11"].value == "小计：政策解读" and ws["A12"].value == "合计"
    assert ws["F8"].value == "=SUM(F3:F7)" and ws["F12"].value == "=SUM(F8,F11)"
    assert evaluate(ws, "E12") == pytest.approx(9.0)
    assert evaluate(ws, "F8") == pytest.approx(4.0) and evaluate(ws, "F11") == pytest.approx(2.0)
    assert evaluate(ws, "F12") == pytest.approx(sc.total_suggested)
    # 复核得分 adds up as Scorecard.totals does: decided items at the reviewer's points, blanks at the suggestion
    assert evaluate(ws, "H8") == pytest.approx(4.5) and evaluate(ws, "H11") == pytest.approx(1.5)
    assert evaluate(ws, "H12") == pytest.approx(sc.with_decisions(decisions).totals().reviewed) == 6.0
    assert ws["H4"].value == 1.0 and ws["I4"].value == "补充材料后认定" and ws["H3"].value is None
    # below the table: unit, reviewers (the exporting one first) and date; the one total in words
    assert ws["A13"].value == "被考核单位：固安县人民政府　复核人：张三、李四　导出日期：2024年3月5日"
    assert ws["A14"].value == ("建议总分 6.0 分，复核后总分 6.0 分（满分 9.0 分；已复核 2/7 项，未复核的项按建议得分计）")
    assert {"A13:I13", "A14:I14"} <= {str(r) for r in ws.merged_cells.ranges}
    assert all(ws[f"{c}{r}"].number_format == "0.0" for c in "EFH" for r in range(3, 13))
    evidence = ws["G6"].value
    assert evidence.startswith("【符合｜规则计算】年度报告于2024年1月20日发布")
    assert "《固安县2023年政府信息公开工作年度报告.pdf》第2页：“本报告于2024年1月20日发布”" in evidence
    assert "提示：需人工复核；引文未能核实已删除" in ws["G7"].value
    assert ws["D3"].value == "1. 及时更新公开本级政府制定的规范性文件"
    assert ws["G3"].alignment.wrap_text and ws.column_dimensions["G"].width > 40
    # 3 lines of evidence; one line is 20 points (XlsxWriter stores heights in whole pixels: 20.25)
    assert ws.row_dimensions[6].height >= 45 and ws.row_dimensions[3].height == pytest.approx(20, abs=0.5)
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    (dv,) = ws.data_validations.dataValidation
    assert dv.formula1 == "AND(H3>=0,H3<=E3)" and str(dv.sqref) == "H3:H11"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4


def test_findings_docx_texts(tmp_path):
    sc = scorecard()
    paths = write_unit_exports(sc, tmp_path, [ReviewDecision(id="1.1.9", sub=1, confirmed_points=0.5,
                                                             comment="同意", reviewer="李四")],
                               info=ExportInfo("张三", dt.date(2024, 3, 5)), dated=True)
    assert {k: p.name for k, p in paths.items()} == {
        "xlsx": "固安县人民政府-考核打分表-2024-03-05.xlsx", "docx": "固安县人民政府-审查意见-2024-03-05.docx",
        "json": "固安县人民政府-评分结果-2024-03-05.json"}
    text = "\n".join(p.text for p in DocxDocument(paths["docx"]).paragraphs)
    assert "固安县人民政府2023年度政务公开考核审查意见" in text
    assert "被考核单位：固安县人民政府　复核人：张三、李四　导出日期：2024年3月5日" in text
    assert "建议总分 6.0 分，复核后总分 5.5 分（满分 9.0 分；已复核 1/7 项" in text and "需人工复核1项" in text
    assert "1.1.9 政府信息公开年度报告（第1项）" in text
    assert "结论：符合　建议得分：1.0分（分值1.0分）　依据来源：规则计算" in text
    assert "《固安县2023年政府信息公开工作年度报告.pdf》第2页：“本报告于2024年1月20日发布”" in text
    assert "提示：需人工复核；引文未能核实已删除" in text
    assert "复核得分：0.5分；复核人：李四；复核意见：同意" in text
    assert "结论：材料不足" in text and "提示：无相关材料" in text


def test_summary_ranks_units_and_lists_lowest_items(tmp_path):
    cards = [scorecard("固安县人民政府", 1.0), scorecard("永清县人民政府", 0.5), scorecard("文安县人民政府", 1.0)]
    wb = load_workbook(write_summary_xlsx(cards, tmp_path / "summary.xlsx"))
    ranking = [[c.value for c in row] for row in wb["汇总排名"].iter_rows()]
    assert ranking[0] == ["排名", "被考核单位", "主动公开", "政策解读", "建议总分", "复核后总分", "已复核",
                          "需人工复核项数"]
    assert [r[:2] for r in ranking[1:4]] == [[1, "固安县人民政府"], [1, "文安县人民政府"], [3, "永清县人民政府"]]
    assert ranking[3][2:7] == [2.1, 1.0, 3.1, 3.1, "0/7"]  # 0.25 and 0.75 round half up (四舍五入) to 0.3 and 0.8
    assert ranking[-1][0].startswith("各一级指标得分与复核后总分中，未复核的项按建议得分计")
    per_item = [[c.value for c in row] for row in wb["各项得分"].iter_rows()]
    assert per_item[1] == ["1.1.1 政策文件公开（第1项）", 1, 1.0, 1.0, 0.5, 0.83]
    lowest = [[c.value for c in row] for row in wb["失分较多项目"].iter_rows()]
    yongqing = [r for r in lowest if r[0] == "永清县人民政府"]
    # 1.5 x 0.5 = 0.75 is kept to one decimal (0.8), so 1.2.6 loses 1.2 points, the most
    assert yongqing[0][1:5] == ["1.2.6 教育领域信息公开", 2, 0.8, 1.2]
    assert all(a[4] >= b[4] for a, b in itertools.pairwise(yongqing)) and len(yongqing) == 7


def test_summary_ranks_by_the_reviewed_total(tmp_path):
    """An override counts at once: 文安 overtakes 固安 when a reviewer raises one of its items."""
    guan, wenan = scorecard("固安县人民政府"), scorecard("文安县人民政府", 0.8)
    wenan = wenan.with_decisions([ReviewDecision(id="3.1", sub=2, confirmed_points=1.0),
                                  ReviewDecision(id="1.1.1", sub=3, confirmed_points=1.0)])
    ws = load_workbook(write_summary_xlsx([guan, wenan], tmp_path / "s.xlsx"))["汇总排名"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=3)]
    assert [r[1] for r in rows] == ["文安县人民政府", "固安县人民政府"]
    assert rows[0][4:7] == [wenan.total_suggested, wenan.totals().reviewed, "2/7"] == [4.8, 6.8, "2/7"]


def test_unit_folder_names_are_safe(tmp_path):
    paths = write_unit_exports(scorecard("开发区/管委会"), tmp_path)
    assert paths["json"].parent == tmp_path / "开发区_管委会"


def test_full_catalog_sheet_adds_up_to_the_table(tmp_path):
    catalog = load_catalog("langfang-2023")
    done = Finding(indicator_id="1.1.9", sub=2, name="政府信息公开年度报告", max_points=2.0, verdict=Verdict.partial,
                   suggested_points=1.5, source=Source.rule)
    sc = Scorecard.from_findings(catalog, "大城县人民政府", 2023, [done])
    assert [f for f in sc.findings() if f.indicator_id == "1.1.9" and f.sub == 2] == [done]  # the round trip
    item = next(i for i in sc.items if i.key == ("1.1.9", 2))
    assert (item.level1, item.level3, item.requirement) == (
        catalog.indicator("1.1.9").level1, catalog.indicator("1.1.9").level3, catalog.unit("1.1.9", 2).text)
    assert sc.total_max == 100.0 and sc.total_suggested == 1.5
    assert len(sc.items) == sum(len(i.scored_units()) for i in catalog.indicators)
    missing = next(i for i in sc.items if i.id == "1.1.2")
    assert missing.verdict == Verdict.insufficient_evidence and Flag.needs_human in missing.flags
    ws = load_workbook(write_unit_exports(sc, tmp_path)["xlsx"]).active
    subtotals = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)
                 if str(ws.cell(r, 1).value).startswith(("小计", "合计"))}
    level_points = {n.name: n.points for n in catalog.levels}
    for label, row in subtotals.items():
        if label == "合计":
            assert evaluate(ws, f"E{row}") == pytest.approx(100.0) and evaluate(ws, f"F{row}") == pytest.approx(1.5)
        else:
            assert evaluate(ws, f"E{row}") == pytest.approx(level_points[label.removeprefix("小计：")])
    assert len(subtotals) == len(catalog.levels) + 1


def test_exports_are_rewritten_only_when_the_scorecard_changed(tmp_path):
    """An unchanged re-run leaves a unit's files as they are; a decision or a suggestion rewrites them."""
    def stamps(paths):
        return {k: p.stat().st_mtime_ns for k, p in paths.items()}

    first = write_unit_exports(scorecard(), tmp_path)
    before = stamps(first)
    for p in first.values():  # make any rewrite visible in the modification times
        p.touch()
        import os
        os.utime(p, ns=(1, 1))
    again = write_unit_exports(scorecard(), tmp_path)
    assert {k: p.stat().st_mtime_ns for k, p in again.items()} == {k: 1 for k in before}

    decided = write_unit_exports(scorecard(), tmp_path, [ReviewDecision(id="1.1.9", sub=1, confirmed_points=0.5,
                                                                          comment="发布日期需核实")])
    assert all(p.stat().st_mtime_ns > 1 for p in decided.values())
    assert "发布日期需核实" in "\n".join(p.text for p in DocxDocument(decided["docx"]).paragraphs)

    (tmp_path / "固安县人民政府" / "scorecard.xlsx").unlink()  # a deleted file is written again
    assert write_unit_exports(scorecard(), tmp_path)["xlsx"].exists()


def test_sums_carry_their_values_for_viewers_that_do_not_recalculate(tmp_path):
    """A preview (or a reader of cached values) sees the points a spreadsheet program would compute."""
    sc = scorecard()
    decisions = [ReviewDecision(id="3.1", sub=1, confirmed_points=1.5)]
    ws = load_workbook(write_unit_exports(sc, tmp_path, decisions)["xlsx"], data_only=True).active
    assert (ws["E12"].value, ws["F12"].value, ws["H12"].value) == (9.0, 6.0, 5.5)
    assert (ws["F8"].value, ws["F11"].value, ws["H11"].value) == (4.0, 2.0, 1.5)
    summary = load_workbook(write_summary_xlsx([sc.with_decisions(decisions)], tmp_path / "s.xlsx"), data_only=True)
    assert [c.value for c in summary["汇总排名"][2]][4:6] == [6.0, 5.5]


def test_texts_stay_texts_and_a_long_one_is_cut_not_lost(tmp_path):
    """A unit or a quote that looks like a formula or a link is written as text (a formula from a document would
    run in the reviewer's spreadsheet program); a text over Excel's 32,767 characters per cell is shortened."""
    odd = scorecard("=HYPERLINK(\"http://example.invalid\",\"点此\")")
    long = "很长的理由。" * 7000  # 42,000 characters
    odd.items[0] = odd.items[0].model_copy(update={"rationale": long})
    ws = load_workbook(write_unit_exports(odd, tmp_path)["xlsx"]).active
    assert ws["A13"].value.startswith("被考核单位：=HYPERLINK(") and ws["A13"].data_type == "s"
    evidence = ws["G3"].value
    assert len(evidence) == 32767 and evidence.endswith("……") and evidence.startswith("【符合｜")
    wb = load_workbook(write_summary_xlsx([odd], tmp_path / "s.xlsx"))
    cell = wb["汇总排名"]["B2"]
    assert cell.value == odd.unit and cell.data_type == "s"
    assert wb["各项得分"]["C1"].value == odd.unit
