"""1.1.9 sub 1: the six parts, the unified format version, the 第四十九条 deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from core.document import DateKind, DocType
from core.findings import Flag
from indicators.annual_report import analyse
from indicators.annual_report.deadline import infer_body_level, report_year
from indicators.annual_report.sections import find_sections
from indicators.rules.base import Evidence, Outcome, load_all_rules
from tests.docbuilder import DocBuilder
from tests.rules.annual_builders import T2_GRID, build_report, t3_values
from tests.rules.test_annual_tables import shanghai_doc

RULES = load_all_rules().rules


def run(rule_id: str, *docs, year: int | None = 2023, level="unknown"):
    return RULES[rule_id].run(Evidence(unit="香河县", year=year, documents=list(docs), body_level=level))


def _lines_doc(lines: list[str]):
    b = DocBuilder("r.txt", DocType.annual_report, year=2023)
    for line in lines:
        b.para(line)
    return b.build()


def test_heading_variants_are_found():
    doc = _lines_doc(["香河县2023年政府信息公开工作年度报告", "一．总体情况", "正文。", "二 、 主动公开政府信息情况",
                      "（三）收到和处理政府信息公开申请情况", "第四部分 政府信息公开行政复议、行政诉讼情况",
                      "五、存在的主要问题及改进情况", "一是进一步加强培训。", "六、其他需要报告的事项"])
    sec = find_sections(doc)
    assert [h.part for h in sec.hits] == [1, 2, 3, 4, 5, 6] and not sec.missing and not sec.misnamed
    assert "正文" in sec.body(doc, 1) and "一是" in sec.body(doc, 5)


def test_subheadings_do_not_count_as_parts():
    doc = _lines_doc(["一、总体情况", "（一）主动公开", "（二）依申请公开", "（五）监督保障", "（六）其他处理"])
    sec = find_sections(doc)
    assert [h.part for h in sec.hits] == [1] and sec.missing == [2, 3, 4, 5, 6]


def test_complete_report_passes_structure():
    checks = run("annual_report.structure", build_report())
    assert [c.outcome for c in checks] == [Outcome.passed, Outcome.passed]
    assert len(checks[0].citations) == 6


def test_missing_part_fails():
    checks = run("annual_report.structure", build_report(skip_parts=(4,)))
    part = checks[0]
    assert part.outcome == Outcome.failed and "缺少“四、政府信息公开行政复议、行政诉讼情况”" in part.rationale
    assert part.data["defect"] == "formal" and part.data["missing"] == [4]
    # table 四 went with its part: the ladder counts it too (scoring-policy: part and table)
    tables = checks[1]
    assert tables.outcome == Outcome.failed and "表四" in tables.rationale and tables.data["with_part"] == [4]


def test_out_of_order_fails_and_renamed_heading_is_one_formal_defect():
    checks = run("annual_report.structure", build_report(order=(1, 2, 3, 5, 4, 6)))
    assert checks[0].outcome == Outcome.failed and "顺序" in checks[0].rationale
    doc = build_report(parts={4: "四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况"})
    checks = run("annual_report.structure", doc)
    failed = [c for c in checks if c.outcome == Outcome.failed]
    # renamed, not missing: exactly one formal defect, and table 四 under it is found
    assert len(failed) == 1 and "第四部分标题为" in failed[0].rationale and "缺少" not in failed[0].rationale
    assert failed[0].title == "年度报告部分标题不规范" and failed[0].data["defect_kind"] == "renamed"


def test_no_report_in_evidence_gives_no_check():
    # scoring reads "no Check" as no evidence (indicators/scoring.py)
    assert all(RULES[r].run(Evidence(unit="香河县", year=2023, documents=[])) == [] for r in RULES
               if r.startswith("annual_report."))


# ---------------------------------------------------------------- format version

TRIAL_T2 = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "2", "2", "15"],
    ["第二十条第（五）项", "", "", ""],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "20", "0", "120"],
    ["其他对外管理服务事项", "3", "0", "8"],
    ["第二十条第（九）项", "", "", ""],
    ["信息内容", "采购项目数量", "采购总金额", ""],
    ["政府集中采购", "4", "120.5", ""],
]


def test_current_format_passes():
    check = run("annual_report.format", build_report())[0]
    assert check.outcome == Outcome.passed and analyse(build_report()).format.format == "2021"


def test_2019_trial_format_fails_for_2023_report():
    doc = build_report(t2=TRIAL_T2)
    check = run("annual_report.format", doc)[0]
    det = analyse(doc).format
    # old table 二 next to a 2021 table 三 (with the (六) sub-items): a mixed report, for a human
    assert det.format == "mixed" and check.outcome == Outcome.unknown
    labels = {s.label for s in det.trial_signals}
    assert {"本年新制作数量", "其他对外管理服务事项", "第二十条第（九）项", "规范性文件"} <= labels
    # a report entirely in the trial format (table 三 with the single (六) row too) fails outright
    shanghai = shanghai_doc()
    b = DocBuilder("old.txt", DocType.annual_report, year=2023)
    b.heading("二、主动公开政府信息情况")
    b.table(TRIAL_T2, header_rows=2)
    b.heading("三、收到和处理政府信息公开申请情况")
    b.table([[c.text for c in sorted(row_cells, key=lambda c: c.col)]
             for row_cells in _rows(shanghai.tables()[0])], header_rows=3)
    old = b.build()
    check = run("annual_report.format", old)[0]
    assert check.outcome == Outcome.failed and "2019年试行格式" in check.rationale
    assert any(c.quote == "本年新制作数量" for c in check.citations)
    assert "（六）其他处理（单行，无细分项）" in check.data["trial_signals"]


def _rows(table):
    rows: dict[int, list] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    return [rows[r] for r in sorted(rows)]


def test_trial_format_is_right_for_2019_and_2020_reports():
    check = run("annual_report.format", shanghai_doc(), year=2019)[0]
    assert check.outcome == Outcome.passed and "60号试行格式" in check.rationale
    for year, outcome in ((2020, Outcome.passed), (2018, Outcome.info)):
        doc = shanghai_doc()
        doc.year = year
        assert run("annual_report.format", doc, year=year)[0].outcome == outcome
    # a 2020 report on the 2021 labels: odd (30号 came later), a human looks
    check = run("annual_report.format", build_report(year=2020), year=2020)[0]
    assert check.outcome == Outcome.unknown and Flag.needs_human in check.flags


def test_mixed_signals_ask_a_human():
    t2 = [row[:] for row in T2_GRID] + [["其他对外管理服务事项", "3", "", ""]]
    check = run("annual_report.format", build_report(t2=t2))[0]
    assert check.outcome == Outcome.unknown and Flag.needs_human in check.flags


# ---------------------------------------------------------------- deadline (条例第四十九条)


@pytest.mark.parametrize(("name", "level"), [
    ("香河县人民政府", "county_government"),
    ("香河县人民政府办公室", "department"),
    ("香河县交通运输局", "department"),
    ("固安县发展和改革委员会", "department"),
    ("大城县权村镇人民政府", "township"),
    ("文安县新镇镇人民政府", "township"),
    ("永清县某街道办事处", "township"),
    ("香河县安平镇", "township"),
    ("香河县", "unknown"),
])
def test_body_level_inference(name, level):
    assert infer_body_level(name) == level


def test_department_published_1_february_is_late():
    doc = build_report(published=dt.date(2024, 2, 1))
    check = run("annual_report.deadline", doc)[0]
    assert check.outcome == Outcome.failed and check.data["days_late"] == 1 and check.measure is None
    assert "2024年1月31日前" in check.rationale and "晚于法定期限1天" in check.rationale
    assert check.citations[0].quote == "发布日期：2024年2月1日"
    assert check.data["level_inferred"] is True and check.data["body_level"] == "department"


def test_government_published_31_march_is_on_time():
    doc = build_report(issuer="香河县人民政府", published=dt.date(2024, 3, 31))
    check = run("annual_report.deadline", doc)[0]
    assert check.outcome == Outcome.passed and "2024年3月31日前" in check.rationale
    # the same date is late for a department (declared by the evidence, not inferred)
    check = run("annual_report.deadline", doc, level="department")[0]
    assert check.outcome == Outcome.failed and check.data["days_late"] == 60


def test_unknown_date_is_flagged():
    check = run("annual_report.deadline", build_report(published=None))[0]
    assert check.outcome == Outcome.unknown and Flag.date_unknown in check.flags


def test_signing_date_only_cannot_confirm_publication():
    # an on-time 落款 says nothing about when the site published the report: a human checks the site
    doc = build_report(published=dt.date(2024, 1, 15), date_kind=DateKind.signing)
    check = run("annual_report.deadline", doc)[0]
    assert check.outcome == Outcome.unknown and Flag.needs_human in check.flags and "落款日期" in check.rationale


def test_township_has_no_statutory_date():
    doc = build_report(issuer="大城县权村镇人民政府", published=dt.date(2024, 2, 20))
    check = run("annual_report.deadline", doc)[0]
    assert check.outcome == Outcome.unknown and Flag.unconfirmed_rule in check.flags


def test_report_year_from_title():
    assert report_year("香河县交通运输局2023年政府信息公开工作年度报告", "") == 2023
    assert report_year(None, "大城县人民政府\n2022年度政府信息公开工作年度报告") == 2022
    doc = build_report(published=dt.date(2024, 2, 1))
    doc.year = None
    assert run("annual_report.deadline", doc, year=None)[0].data["year"] == 2023


def test_values_helper_is_consistent():
    values = t3_values()
    assert values["4"][6] == "8" and values["3.7"][6] == "45"


def test_heading_glued_to_its_first_sentence():
    doc = _lines_doc(["一、总体情况 2023年，本局认真贯彻《条例》，扎实推进政务公开工作，全年主动公开信息310条。",
                      "二、主动公开政府信息情况"])
    sec = find_sections(doc)
    assert [h.part for h in sec.hits] == [1, 2]


def test_date_inside_the_report_year_is_doubted():
    check = run("annual_report.deadline", build_report(published=dt.date(2023, 12, 20)))[0]
    assert check.outcome == Outcome.unknown and Flag.needs_human in check.flags


def test_table_of_contents_is_not_taken_for_the_parts():
    toc = ["目录", "一、总体情况……1", "二、主动公开政府信息情况……2", "三、收到和处理政府信息公开申请情况……3",
           "四、政府信息公开行政复议、行政诉讼情况……4", "五、存在的主要问题及改进情况……5", "六、其他需要报告的事项……5"]
    body = ["一、总体情况", "全年主动公开信息310条。", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "一是完成目录梳理。",
            "六、其他需要报告的事项"]
    doc = _lines_doc(toc + body)
    sec = find_sections(doc)
    assert [h.part for h in sec.hits] == [1, 2, 3, 4, 5, 6]
    assert "主动公开信息310条" in sec.body(doc, 1) and "完成目录梳理" in sec.body(doc, 5)


# ---------------------------------------------------------------- real layouts: excerpts, inline headings


def _txt_doc(text: str, file: str = "r.txt", year: int = 2022):
    b = DocBuilder(file, DocType.annual_report, year=year, title=file.rsplit(".", 1)[0])
    for line in text.split("\n"):
        b.para(line)
    return b.build()


EXCERPT = """某县2022年政府信息公开工作年度报告
本报告按照《中华人民共和国政府信息公开条例》的规定编制。全文包括总体情况，主动公开政府信息情况，收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进情况，其他需要报告的事项6个部分。
一、总体情况2022年，某县深化重点领域信息公开，全年公开政府信息2159条。
（一）主动公开情况。全县累计公开政府信息2159条，其中县政府网公开705条。
（二）依申请公开情况。2022年，新受理政府信息公开申请17件，办结17件。"""


def test_cut_off_report_asks_for_the_whole_report_instead_of_failing():
    doc = _txt_doc(EXCERPT)
    a = analyse(doc)
    assert a.completeness.excerpt and a.completeness.cut_in_part == 1 and a.completeness.promised_six
    checks = run("annual_report.structure", doc, year=2022)
    assert not any(c.outcome == Outcome.failed for c in checks)
    part = checks[0]
    assert part.outcome == Outcome.unknown and part.data["excerpt"] and part.data["needs"] == "报告全文"
    assert "在“一、总体情况”处中断" in part.rationale and "完整的年度报告全文" in part.rationale
    assert "前言称全文共六个部分" in part.rationale and part.data["abstain"]
    assert all(c.outcome != Outcome.passed for c in checks)  # tables outside the excerpt are not judged
    # the glued heading: the part is found and its first sentence stays in the body
    assert "2022年，某县深化" in a.sections.body(doc, 1)
    fmt = run("annual_report.format", doc, year=2022)[0]
    assert fmt.outcome == Outcome.unknown and "材料不完整" in fmt.rationale


def test_complete_report_with_closing_date_shows_its_missing_parts():
    # the same text ending with its 落款: the report really stops after part 一
    doc = _txt_doc(EXCERPT + "\n某县人民政府办公室\n2023年1月20日")
    assert not analyse(doc).completeness.excerpt
    checks = run("annual_report.structure", doc, year=2022)
    [part] = [c for c in checks if c.title == "年度报告六部分结构"]
    assert part.outcome == Outcome.failed and part.data["missing"] == [2, 3, 4, 5, 6]


def test_one_page_without_any_heading_is_an_excerpt():
    doc = _txt_doc("(三)政府信息管理\n严格落实保密审查制度。\n(四)平台建设\n优化网站栏目。", file="某局2023年年报（第4页）.txt")
    comp = analyse(doc).completeness
    assert comp.excerpt and "一页" in comp.reasons[0]
    assert all(c.outcome != Outcome.failed for c in run("annual_report.structure", doc))


def test_empty_headings_show_the_tables_missing_unless_images_are_shown():
    # nothing at all under 二–四 in a report that runs to its end, and no sign of an image there: the report
    # shows its tables missing (one formal defect each); with an image or "见附表" under the headings the
    # tables were published as images the material lacks, and they are asked for
    lines = ["一、总体情况", "本局全年主动公开政府信息120条，依申请公开0件，信息管理、平台建设、监督保障均按要求落实。",
             "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
             "五、存在的主要问题及改进情况", "一是2023年6月底前完成目录梳理。二是每季度培训1次。",
             "六 、其他需要报告的事项", "本年度未收取信息处理费。"]
    doc = _lines_doc(lines)
    comp = analyse(doc).completeness
    assert comp.empty_parts == [2, 3, 4] and comp.image_parts == []
    checks = run("annual_report.structure", doc)
    [failed] = [c for c in checks if c.outcome == Outcome.failed]
    assert len(failed.data["absent"]) == 3 and not any(c.data.get("unseen") for c in checks)
    # an attachment note under the headings is recorded as a sign of images: then they are asked for
    attached = []
    for line in lines:
        attached.append(line)
        if line[:2] in ("二、", "三、", "四、"):
            attached.append("（见附表）")
    doc = _lines_doc(attached)
    assert analyse(doc).completeness.image_parts == [2, 3, 4]
    checks = run("annual_report.structure", doc)
    assert not any(c.outcome == Outcome.failed for c in checks)
    ask = next(c for c in checks if c.data.get("unseen"))
    assert ask.outcome == Outcome.unknown and "请提供表格图片或报告原件" in ask.data["abstain"]


def test_a_present_heading_with_text_but_no_table_fails():
    lines = ["一、总体情况", "全年主动公开政府信息120条。", "二、主动公开政府信息情况",
             "本年度制发规范性文件2件，现行有效15件，行政许可120件。", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "一是每季度培训1次。",
             "六、其他需要报告的事项", "无。"]
    checks = run("annual_report.structure", _lines_doc(lines))
    failed = [c for c in checks if c.outcome == Outcome.failed]
    # 二 has text but no table; 三/四 have nothing under them and no image: all three tables are missing
    assert len(failed) == 1 and failed[0].data["absent"][0] == "表二（主动公开政府信息情况）"
    assert len(failed[0].data["absent"]) == 3
    assert "部分下未识别到表二" in failed[0].rationale


def test_flattened_page_with_inline_and_split_and_renumbered_headings():
    text = ("某局2023年政府信息公开工作年度报告 | 一、总体情况 依据《条例》编制本报告。（一）主动公开情况。全年公开信息95条。 "
            "二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数\n"
            "三、收到和处理政府信息\n公开申请情况\n"
            "表略。\n四、存在的主要问题及改进情况\n一是2024年3月底前完成目录梳理。\n五、其他需要报告的事项\n无。")
    doc = _txt_doc(text, year=2023)
    sec = analyse(doc).sections
    assert [h.part for h in sec.hits] == [1, 2, 3, 5, 6]
    assert sec.part(2).inline and sec.part(5).renumbered and sec.part(6).renumbered
    assert doc.text[sec.part(3).start:sec.part(3).end].replace("\n", "") == "三、收到和处理政府信息公开申请情况"
    checks = run("annual_report.structure", doc)
    [part] = [c for c in checks if c.title == "年度报告六部分结构"]
    assert part.data["missing"] == [4] and "四、政府信息公开行政复议" in part.rationale and "顺延编号" in part.rationale


def test_arabic_numbering_counts_only_with_the_exact_title():
    doc = _lines_doc(["1.总体情况", "正文。", "2.主动公开政府信息情况", "3．收到和处理政府信息公开申请情况",
                      "4、政府信息公开行政复议、行政诉讼情况", "5.存在的主要问题及改进情况", "1.信息发布情况", "6.其他需要报告的事项"])
    sec = find_sections(doc)
    assert [h.part for h in sec.hits] == [1, 2, 3, 4, 5, 6] and not sec.misnamed
    # "1.信息发布情况" under 五 is a sub-item, not a renamed part 一
    assert find_sections(_lines_doc(["1.信息发布情况", "2.解读情况"])).hits == []


def test_heading_split_by_a_page_break():
    doc = _lines_doc(["一、总体情况", "正文。", "二、主动公开政府信息情况", "三、收到和处理政府信息", "— 3 —", "",
                      "公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                      "六、其他需要报告的事项"])
    sec = find_sections(doc)
    assert [h.part for h in sec.hits] == [1, 2, 3, 4, 5, 6]
    assert doc.text[sec.part(3).end - 6:sec.part(3).end] == "公开申请情况"


def test_a_preamble_listing_the_parts_is_not_the_parts():
    text = ("某局2023年政府信息公开工作年度报告 本报告包括：一、总体情况；二、主动公开政府信息情况；"
            "三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；"
            "六、其他需要报告的事项。\n一、总体情况\n全年公开信息95条。")
    doc = _txt_doc(text, year=2023)
    a = analyse(doc)
    assert [h.part for h in a.sections.hits] == [1] and a.completeness.excerpt
    doc = _txt_doc("一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况。\n一、总体情况\n全年公开信息95条。")
    sec = analyse(doc).sections
    assert [h.part for h in sec.hits] == [1] and "95条" in sec.body(doc, 1)


def test_a_later_page_is_an_excerpt_of_its_earlier_parts():
    doc = _txt_doc("四、政府信息公开行政复议、行政诉讼情况\n表略\n五、存在的主要问题及改进情况\n一是每季度培训1次。\n"
                   "六、其他需要报告的事项\n无。\n某局\n2023年1月20日", file="某局2022年年报（第8页）.txt")
    comp = analyse(doc).completeness
    assert comp.excerpt and comp.outside == [1, 2, 3] and "此前部分不在材料中" in comp.reasons[0]
    checks = run("annual_report.structure", doc, year=2022)
    assert not [c for c in checks if c.outcome == Outcome.failed]


def test_a_table_with_every_cell_blank_is_not_filled_in():
    values = {k: [""] * 7 for k in t3_values()}
    checks = run("annual_report.structure", build_report(t3=values))
    [f] = [c for c in checks if c.outcome == Outcome.failed]
    assert f.data["unfilled"] == [3] and f.data["absent"] == ["表三（收到和处理政府信息公开申请情况）（未填报）"]
    assert "未填报" in f.rationale
