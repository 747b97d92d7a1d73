"""1.1.9 sub 2 content: 总体情况 topics, 考核评议追究 for a county government, specific and non-copied measures."""

from __future__ import annotations

from core.findings import Flag
from indicators.annual_report.content import COPY_THRESHOLD, similarity, specificity
from indicators.rules.base import Evidence, Outcome, load_all_rules
from tests.rules.annual_builders import IMPROVE_GENERIC, IMPROVE_SPECIFIC, OVERVIEW, build_report

RULE = load_all_rules().rules["annual_report.content"]


def run(*docs, level="unknown"):
    return RULE.run(Evidence(unit="香河县", year=2023, documents=list(docs), body_level=level))


def by_title(checks, title):
    return [c for c in checks if c.title == title]


def test_overview_topics_are_a_note_never_a_defect():
    # not on the 1.1.9 ladder (scoring-policy.md): shown to the reviewer as info, defect None
    [c] = by_title(run(build_report()), "总体情况五方面（提示）")
    assert c.outcome == Outcome.info and c.data["missing"] == [] and c.data["defect"] is None
    thin = [OVERVIEW[0], OVERVIEW[1], OVERVIEW[2]]  # 主动公开, 依申请公开 only
    [c] = by_title(run(build_report(overview=thin)), "总体情况五方面（提示）")
    assert c.outcome == Outcome.info and "政府信息管理" in c.rationale and "监督保障" in c.rationale
    assert c.data["defect"] is None


def test_county_government_assessment_results_are_a_note():
    gov = build_report(issuer="香河县人民政府")
    [c] = by_title(run(gov), "工作考核、社会评议和责任追究结果（提示）")
    assert c.outcome == Outcome.info and "社会评议" in c.rationale and "责任追究" in c.rationale
    covered = build_report(issuer="香河县人民政府", extra=["本年度开展政务公开社会评议1次，未发生责任追究情形。"])
    [c] = by_title(run(covered), "工作考核、社会评议和责任追究结果（提示）")
    assert c.data["missing"] == []
    assert by_title(run(build_report()), "工作考核、社会评议和责任追究结果（提示）") == []  # a department


def test_no_improvement_section_in_a_complete_report_fails():
    [c] = by_title(run(build_report(skip_parts=(5,))), "改进情况部分缺失")
    assert c.outcome == Outcome.failed and c.data["no_section"] and c.data["missing_part"] == 5


def test_no_measure_counted_is_a_parse_failure_not_a_verdict():
    [c] = by_title(run(build_report(improve=["见附件。", "（略）"])), "改进措施具体可操作")
    assert c.outcome == Outcome.unknown and Flag.needs_human in c.flags and c.data["parse_failure"]
    assert "未能识别出改进措施条目" in c.rationale


def test_specific_and_generic_measures():
    spec = specificity("".join(IMPROVE_SPECIFIC))
    assert spec.verdict == "specific" and len(spec.concrete) >= 3
    spec = specificity("".join(IMPROVE_GENERIC))
    assert spec.verdict == "generic" and len(spec.generic) == 3
    [c] = by_title(run(build_report(improve=IMPROVE_GENERIC)), "改进措施具体可操作")
    assert c.outcome == Outcome.failed and "笼统表述3条" in c.rationale
    assert any("进一步加强组织领导" in cit.quote for cit in c.citations)
    [c] = by_title(run(build_report()), "改进措施具体可操作")
    assert c.outcome == Outcome.passed and c.data["defect"] == "measures"


def test_problem_statements_are_not_counted_as_generic_measures():
    text = ("一是政务公开数字化转型有待进一步加强。二是政策解读形式不够丰富。"
            "针对上述问题，一是由办公室于2024年6月底前上线政策问答库。二是每季度开展1次解读质量评查。")
    spec = specificity(text)
    assert spec.verdict == "specific" and spec.generic == [] and spec.neutral >= 2


def test_copied_measures_fail_and_rewritten_pass():
    previous = build_report(year=2022, file="2022年报.txt",
                            improve=[s.replace("2024年", "2023年") for s in IMPROVE_SPECIFIC])
    current = build_report()
    [c] = by_title(run(current, previous), "改进措施与上年不雷同")
    assert c.outcome == Outcome.failed and c.data["similarity"] >= COPY_THRESHOLD and "内容雷同" in c.rationale
    assert {cit.file for cit in c.citations} == {current.file, "2022年报.txt"}
    rewritten = build_report(year=2022, file="2022年报.txt", improve=[
        "上年度主要问题是依申请公开答复文书格式不统一。",
        "一是由法规股制定答复文书范本8类，于2023年6月底前印发。",
        "二是建立申请登记台账，每月5日前核对办理进度。",
    ])
    [c] = by_title(run(current, rewritten), "改进措施与上年不雷同")
    assert c.outcome == Outcome.passed and c.data["similarity"] < 0.6


def test_similarity_ignores_numbers_and_punctuation():
    assert similarity("一是2023年完成目录梳理。", "一是，2024年完成目录梳理") == 1.0
    assert similarity("完成目录梳理", "") == 0.0


def test_partly_rewritten_measures_are_borderline():
    previous = build_report(year=2022, file="2022年报.txt", improve=IMPROVE_SPECIFIC)
    partly = [*IMPROVE_SPECIFIC[:3], "三是建立信息发布前合法性审查台账，逐条登记审查意见和发布时间。"]
    [c] = by_title(run(build_report(improve=partly), previous), "改进措施与上年不雷同")
    assert 0.6 <= c.data["similarity"] < COPY_THRESHOLD, c.data
    assert c.outcome == Outcome.unknown and Flag.borderline in c.flags


def test_a_statistical_part_left_out_is_content_omitted():
    [c] = by_title(run(build_report(skip_parts=(4,))), "报告内容不遗漏")
    assert c.outcome == Outcome.failed and c.data["defect"] == "data" and c.data["part"] == 4
    assert by_title(run(build_report()), "报告内容不遗漏") == []
