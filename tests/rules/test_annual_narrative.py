"""Narrative numbers vs tables: every kind fires on a true positive and stays silent on a near miss."""

from __future__ import annotations

import pytest

from indicators.annual_report import analyse
from indicators.annual_report.narrative import (
    count_statements,
    figure_sentences,
    parts_statements,
    percent_statements,
)
from indicators.rules.base import Evidence, Outcome, load_all_rules
from tests.rules.annual_builders import build_report

RULE = load_all_rules().rules["annual_report.narrative"]
BASE = build_report()  # tables: 一 49, 二 4, (七) 45, 四 8, (一) 24, (二) 2, (三) 4, (四) 11, (五) 3;
# 表四 复议 1, 诉讼 1; 表二 行政规范性文件 制发 2 / 现行有效 15


CONTEXT = "（二）依申请公开。本机关依法办理政府信息公开申请。"  # the paragraph is about disclosure requests


def kinds(sentence: str, year: int = 2023, context: str = CONTEXT) -> dict[str, tuple[int, int | None]]:
    a = analyse(BASE)
    return {s.kind: (s.value.value, s.table_value)
            for s in count_statements(context + sentence, year, a.table2, a.table3, a.table4)}


# (kind, true positive: contradicts the table, near miss: must not be read as that kind)
CASES = [
    ("new", "本年度共收到政府信息公开申请50件。", "2022年共收到政府信息公开申请50件。"),
    ("new", "全年新收政府信息公开申请共计48件。", "其中通过网络平台收到政府信息公开申请30件。"),
    ("new", "本机关收到政府信息公开申请51件。", "全年办结政府信息公开申请50件。"),
    ("carried", "上年结转政府信息公开申请5件。", "结转下年度继续办理5件。"),
    ("carry_over", "结转下年度继续办理9件。", "上年结转政府信息公开申请9件。"),
    ("concluded", "全年办结政府信息公开申请46件。", "共办理政府信息公开申请53件。"),
    ("open", "予以公开25件。", "不予公开25件。"),
    ("partial", "部分公开3件。", "予以公开3件。"),
    ("deny", "不予公开5件。", "予以公开5件。"),
    ("unable", "无法提供12件。", "不予处理12件。"),
    ("no_process", "不予处理4件。", "无法提供4件。"),
    ("review", "因政府信息公开被申请行政复议2件。", "行政复议纠正2件。"),
    ("litigation", "被提起行政诉讼3件。", "被申请行政复议3件。"),
    ("normative_in_force", "现行有效规范性文件16件。", "本年制发规范性文件16件。"),
    ("normative_issued", "本年制发规范性文件3件。", "现行有效规范性文件3件。"),
]


@pytest.mark.parametrize(("kind", "positive", "near_miss"), CASES)
def test_each_kind_true_positive_and_near_miss(kind, positive, near_miss):
    found = kinds(positive)
    assert kind in found and found[kind][0] != found[kind][1]
    assert kind not in kinds(near_miss)


def test_other_year_and_comparisons_are_not_read():
    assert kinds("去年收到政府信息公开申请60件，同比下降18%。") == {}
    assert kinds("较上年，本年收到政府信息公开申请60件。") == {}
    assert "new" in kinds("2023年收到政府信息公开申请49件，较上年减少11件。")


def test_numbers_outside_a_disclosure_paragraph_are_not_read():
    assert kinds("全年共收到领导信箱来信158件，已全部办结158件。", context="（三）政民互动。") == {}
    assert kinds("全年共办理行政复议案件120件，被提起行政诉讼3件。", context="（四）法治政府建设。") == {}
    assert kinds("全年办结45件。", context="依申请公开方面，全年收到政府信息公开申请49件。")["concluded"] == (45, 45)


def test_breakdown_of_concluded_cases_is_read_but_of_a_channel_is_not():
    assert kinds("全年办结45件，其中予以公开25件。")["open"] == (25, 24)
    assert "open" not in kinds("网上申请30件，其中予以公开20件。")


def _rule_checks(*sentences: str):
    doc = build_report(narrative=list(sentences))
    return RULE.run(Evidence(unit="香河县交通运输局", year=2023, documents=[doc])), doc


def test_rule_fails_with_both_citations_and_passes_consistent_numbers():
    checks, _ = _rule_checks("本年度共收到政府信息公开申请50件，上年结转政府信息公开申请4件。")
    failed = [c for c in checks if c.outcome == Outcome.failed]
    assert len(failed) == 1
    f = failed[0]
    assert "正文所述本年新收申请数为50件" in f.rationale and "相差1" in f.rationale
    assert f.citations[0].quote.startswith("本年度共收到政府信息公开申请50件")
    assert any(c.quote == "49" for c in f.citations[1:])  # the 一、本年新收 总计 cell
    passed = next(c for c in checks if c.outcome == Outcome.passed)
    assert "上年结转申请数" in passed.rationale


def test_near_misses_produce_no_failure():
    checks, _ = _rule_checks("2022年共收到政府信息公开申请60件。", "共办理政府信息公开申请53件。",
                             "行政复议纠正2件。", "不予公开4件。", "同比增长15%。")
    assert not [c for c in checks if c.outcome == Outcome.failed]


# ---------------------------------------------------------------- totals with parts


def test_parts_that_do_not_sum_fire():
    [p] = parts_statements("全年共发布政府信息510条，其中政策文件198条、工作动态142条、通知公告137条。")
    assert p.total.value == 510 and p.parts_sum == 477
    checks, _ = _rule_checks("全年共发布政府信息510条，其中政策文件198条、工作动态142条、通知公告137条。")
    f = next(c for c in checks if c.title == "正文合计与分项相符")
    assert f.outcome == Outcome.failed and "198 + 142 + 137 = 477条" in f.rationale and "相差33条" in f.rationale


@pytest.mark.parametrize("sentence", [
    "全年共发布政府信息510条，其中政策文件198条、工作动态142条等。",  # hedged: not all parts listed
    "全年共发布政府信息510条，其中198条为政策文件。",  # one part only
    "全年共发布政府信息510条，其中政策文件198条，占38.8%。",  # a share, not an enumeration
    "全年共发布政府信息510条，其中政策文件198件、工作动态312条。",  # units differ
    "共计发布各类信息4308条，其中政策文件126条，政务动态1548条，概况类信息26条。",  # far short: a partial list
])
def test_parts_near_misses(sentence):
    assert parts_statements(sentence) == []


def test_parts_exceeding_the_total_fail_without_doubt():
    checks, _ = _rule_checks("全年共发布政府信息400条，其中政策文件198条、工作动态142条、通知公告137条。")
    f = next(c for c in checks if c.title == "正文合计与分项相符")
    assert f.outcome == Outcome.failed and f.flags == []


def test_parts_that_sum_pass():
    [p] = parts_statements("共发布政府信息477条，其中政策文件198条、工作动态142条、通知公告137条。")
    assert p.parts_sum == p.total.value


# ---------------------------------------------------------------- percentages


def test_percentage_recomputed_from_its_base():
    [p] = percent_statements("共收到政府信息公开申请120件，其中予以公开90件，占比70%。")
    assert not p.consistent and p.computed == 75.0
    [p] = percent_statements("共收到政府信息公开申请120件，其中予以公开90件，占比75%。")
    assert p.consistent
    [p] = percent_statements("共收到政府信息公开申请3件，其中予以公开1件，占比33.3%。")
    assert p.consistent  # printed precision: one decimal
    [p] = percent_statements("共收到政府信息公开申请3件，其中予以公开1件，占比33.5%。")
    assert not p.consistent


@pytest.mark.parametrize("sentence", [
    "政府信息公开申请同比增长15%。",  # no base
    "予以公开90件，占比75%。",  # base not named
    "公开率达100%。",
    "共收到政府信息公开申请120件，其中予以公开90条，占比70%。",  # units differ
])
def test_percentage_near_misses(sentence):
    assert percent_statements(sentence) == []


def test_percentage_rule_rationale():
    checks, _ = _rule_checks("共收到政府信息公开申请49件，其中予以公开24件，占比50%。")
    f = next(c for c in checks if c.title == "正文百分比与基数相符")
    assert f.outcome == Outcome.failed and "24 ÷ 49" in f.rationale and "49.0%" in f.rationale


# ---------------------------------------------------------------- phrasings of real portal reports


@pytest.mark.parametrize(("sentence", "kind", "value"), [
    ("截至2023年12月31日，本局收到政府信息依申请公开50件，办理完毕50件。", "new", 50),
    ("2023年共收到8项依申请公开，全部在规定时限内答复。", "new", 8),
    ("2023年收到和处理依申请公开17件，均已办结。", "new", 17),
    ("2023年，新受理政府信息公开申请17件，办结17件。", "new", 17),
    ("上年转结政府信息公开申请0件，转下一年办理0件。", "carried", 0),
    ("上年转结政府信息公开申请0件，转下一年办理0件。", "carry_over", 0),
    ("因政府信息公开申请行政复议数量4件，提起行政诉讼数量2件。", "review", 4),
    ("因政府信息公开申请行政复议数量4件，提起行政诉讼数量2件。", "litigation", 2),
])
def test_real_phrasings_are_read(sentence, kind, value):
    assert kinds(sentence)[kind][0] == value


def test_no_review_or_litigation_stated_in_words_is_zero():
    found = kinds("全部按时答复，没有发生依申请公开引起的行政复议或行政诉讼。")
    assert found["review"] == (0, 1) and found["litigation"] == (0, 1)  # the table says 1 and 1
    assert kinds("2022年未发生政府信息公开行政复议。") == {}  # another year


def test_text_figure_against_table_names_its_cells_for_the_ladder():
    checks, doc = _rule_checks("本年度共收到政府信息公开申请50件。")
    f = next(c for c in checks if c.outcome == Outcome.failed)
    assert f.data["defect"] == "data"
    assert [(c["row"], c["col"], c["doc"]) for c in f.data["cells"]] == [("1", "total", doc.file)]


def test_parts_in_the_next_sentence_and_notes_in_brackets():
    text = ("2022年，全县累计公开政府信息21597条。其中县人民政府网公开政府信息7055条（不含政务服务、公共资源交易等"
            "专业平台发布的数据），县政府部门和镇（街道）共公开各类政府信息14542条。")
    [p] = parts_statements(text)
    assert p.total.value == 21597 and [x.value for x in p.parts] == [7055, 14542] and p.parts_sum == 21597
    wrong = text.replace("14542", "14442")
    assert parts_statements(wrong) == []  # a nested total that does not add up is not read (could be a sub-list)
    [p] = parts_statements("全年共发布信息300条。其中政策文件120条（含解读20条），工作动态170条。")
    assert p.parts_sum == 290 and [x.value for x in p.parts] == [120, 170]


# real phrasings of eval/real reports (county, department, township), and sentences a reviewer would not
# hold against the tables
@pytest.mark.parametrize("sentence", [
    "区政府国资局在区政府门户网站政务公开专栏主动公开政府信息4条。",
    "全年主动公开政务文件11份，开展政策解读活动15次。",
    "全县共受理政府信息公开申请91件（另有2件结转下年度办理）。",
    "全年未收到依申请公开信息。",
    "背荫河镇没有收到、也没有办理政府信息公开申请。",
    "全年制发规范性文件 0 件。",
])
def test_figure_sentences_read_real_phrasings(sentence):
    text = "一、总体情况\n" + sentence
    spans = figure_sentences(text, 2023)
    assert [text[a:b] for a, b in spans] == [sentence.rstrip("。")]


@pytest.mark.parametrize("sentence", [
    "2022年主动公开政府信息120条。",  # another year
    "较上年增加15条。",
    "组织开展业务培训3次。",  # a figure, but not of disclosure work
    "进一步加强政府信息公开工作。",  # no figure
])
def test_figure_sentences_skip_other_years_topics_and_prose(sentence):
    assert figure_sentences(sentence, 2023) == []


def test_text_figures_are_cited_when_the_tables_are_not_in_the_material():
    figure = "全年主动公开政府信息42条。"
    lacking = build_report(overview=[figure], skip_parts=(3, 4, 5, 6))  # the report stops after part 二
    info = [c for c in RULE.run(Evidence(unit="香河县交通运输局", year=2023, documents=[lacking]))
            if c.title == "正文数字（未与统计表核对）"]
    assert info and info[0].outcome is Outcome.info
    assert any("全年主动公开政府信息42条" in c.quote for c in info[0].citations)
    # with tables 三 and 四 in the material the same figure is not listed as waiting for them
    whole = build_report(overview=[figure])
    assert not [c for c in RULE.run(Evidence(unit="香河县交通运输局", year=2023, documents=[whole]))
                if c.title == "正文数字（未与统计表核对）"]
