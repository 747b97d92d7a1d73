"""Identity rules of 1.1.9 sub 2: one altered cell, T4-A, X-1 across two years, T2-A, T3-E."""

from __future__ import annotations

from core.document import DocType
from core.findings import Flag
from indicators.rules.base import Evidence, Outcome, load_all_rules
from tests.docbuilder import DocBuilder
from tests.rules.annual_builders import T2_GRID, T4_GRID, build_report, t3_values
from tests.rules.ruleset import run_indicator

RULES = load_all_rules().rules


def run(rule_id: str, *docs, year: int = 2023, level="unknown"):
    return RULES[rule_id].run(Evidence(unit="香河县交通运输局", year=year, documents=list(docs), body_level=level))


def test_consistent_report_passes_every_identity():
    checks = run("annual_report.identities", build_report())
    assert checks and all(c.outcome == Outcome.passed for c in checks), [c.rationale for c in checks
                                                                          if c.outcome != Outcome.passed]
    assert {c.title for c in checks} == {"表三勾稽关系（T3-A）", "表三勾稽关系（T3-B）", "表三勾稽关系（T3-C）",
                                         "表四勾稽关系（T4-A）"}


def test_one_altered_cell_fails_and_is_cited_exactly():
    values = t3_values()
    values["1"][0] = "42"  # 自然人 本年新收: 40 -> 42
    doc = build_report(t3=values)
    checks = run("annual_report.identities", doc)
    failed = [c for c in checks if c.outcome == Outcome.failed]
    t3a = next(c for c in failed if c.title == "表三勾稽关系（T3-A）")
    assert "T3-A" in t3a.rationale and "第一项加第二项之和，等于第三项加第四项之和" in t3a.rationale
    assert "表三“自然人”列：一（42）+ 二（3）= 45，（七）总计（38）+ 四（5）= 43，相差 2" in t3a.rationale
    cell_start = doc.text.index("\t42\t") + 1
    assert any(c.start == cell_start and c.quote == "42" for c in t3a.citations)
    t3c = next(c for c in failed if c.title == "表三勾稽关系（T3-C）")
    assert "表三“一”行" in t3c.rationale and t3c.data["difference"] == 2
    suspect = next(c for c in checks if c.title == "表三疑似错误单元格")
    assert suspect.outcome == Outcome.info  # a hint, not a second failure
    assert [(c.start, c.quote) for c in suspect.citations] == [(cell_start, "42")]
    # nothing else is blamed: the other six columns and 24 rows still pass
    assert len(failed) == 2


def test_altered_result_cell_breaks_t3b_not_t3a():
    values = t3_values()
    values["3.4.1"][0] = "9"  # 本机关不掌握 自然人: 8 -> 9
    checks = run("annual_report.identities", build_report(t3=values))
    titles = {c.title for c in checks if c.outcome == Outcome.failed}
    assert titles == {"表三勾稽关系（T3-B）", "表三勾稽关系（T3-C）"}
    assert any(c.title == "表三疑似错误单元格" and c.citations[0].quote == "9" for c in checks)
    t3b = next(c for c in checks if c.title == "表三勾稽关系（T3-B）" and c.outcome == Outcome.failed)
    assert "（七）总计（38）" in t3b.rationale and "相差 1" in t3b.rationale


def test_blank_total_is_never_passed():
    values = t3_values()
    values["1"][6] = ""  # 一、本年新收 总计 left blank
    checks = run("annual_report.identities", build_report(t3=values))
    unknown = next(c for c in checks if c.title == "表三勾稽关系（T3-A）无法核验")
    assert unknown.outcome == Outcome.unknown and Flag.blank_cells in unknown.flags
    assert "空白不按0处理" in unknown.rationale and "一（空白）" in unknown.rationale
    blank = next(c for c in checks if c.title == "表三空白单元格")
    assert blank.data["blank"] == [["1", "total"]]


def test_t4a_pass_and_fail():
    checks = run("annual_report.identities", build_report())
    assert next(c for c in checks if "T4-A" in c.title).outcome == Outcome.passed
    bad = [row[:] for row in T4_GRID]
    bad[3][4] = "2"  # 行政复议 总计 2, parts 1+0+0+0
    failed = [c for c in run("annual_report.identities", build_report(t4=bad)) if c.outcome == Outcome.failed]
    assert len(failed) == 1 and "表四“行政复议”" in failed[0].rationale and "相差 1" in failed[0].rationale
    assert any(c.quote == "2" for c in failed[0].citations)


def test_t3e_decimal_fails_and_t2a_flags_yuan():
    values = t3_values()
    values["3.2"][0] = "2.5"
    checks = run("annual_report.identities", build_report(t3=values))
    t3e = next(c for c in checks if "T3-E" in c.title)
    assert t3e.outcome == Outcome.failed and "2.5" in t3e.rationale
    t2 = [row[:] for row in T2_GRID]
    t2[13][1] = "1250000"
    t2a = next(c for c in run("annual_report.identities", build_report(t2=t2)) if "T2-A" in c.title)
    assert t2a.outcome == Outcome.unknown and Flag.needs_human in t2a.flags
    assert not [c for c in run("annual_report.identities", build_report()) if "T2-A" in c.title]


def _previous(carry_over: list[int]):
    """A 2022 report whose 四、结转下年度继续办理 is `carry_over` (six applicant columns)."""
    base = {"1": [30 + carry_over[0], 3 + carry_over[1], 0, 0, 1, carry_over[5]], "2": [0] * 6,
            "3.1": [30, 3, 0, 0, 1, 0]}
    values = t3_values(base)
    assert values["4"][:6] == [str(v) for v in carry_over]
    return build_report(year=2022, t3=values, file="2022年报.txt")


def test_x1_passes_when_carry_over_links_up():
    current = build_report()  # 二、上年结转 = 3 1 0 0 0 0 (4)
    checks = run("annual_report.cross_year", current, _previous([3, 1, 0, 0, 0, 0]))
    x1 = [c for c in checks if "X-1" in c.title]
    assert [c.outcome for c in x1] == [Outcome.passed]
    assert {c.file for c in x1[0].citations} == {current.file, "2022年报.txt"}


def test_x1_fails_citing_both_years():
    current = build_report()
    previous = _previous([5, 1, 0, 0, 0, 0])
    checks = run("annual_report.cross_year", current, previous)
    failed = [c for c in checks if c.outcome == Outcome.failed]
    assert {c.data["scope"] for c in failed} == {"表三“自然人”列", "表三“总计”列"}
    natural = next(c for c in failed if c.data["scope"] == "表三“自然人”列")
    assert "本年二、上年结转（3）" in natural.rationale and "上年四、结转下年度继续办理（5）" in natural.rationale
    assert {c.file for c in natural.citations} == {current.file, previous.file}


def test_x1_without_previous_report_is_info_only():
    checks = run("annual_report.cross_year", build_report())
    assert [c.outcome for c in checks] == [Outcome.info]


def test_x2_in_force_plausibility_is_a_flag_only():
    prev_t2 = [row[:] for row in T2_GRID]
    prev_t2[3][3] = "10"  # 10 + 2 - 1 = 11, but this year prints 15
    checks = run("annual_report.cross_year", build_report(), build_report(year=2022, t2=prev_t2, file="p.txt"))
    x2 = next(c for c in checks if "X-2" in c.title and "行政规范性文件" in c.title)
    assert x2.outcome == Outcome.info and Flag.needs_human in x2.flags and "= 11" in x2.rationale


def test_every_check_is_serialisable_and_cites_exact_spans():
    import json

    values = t3_values()
    values["1"][0] = "42"
    values["3.5.3"][2] = ""
    doc = build_report(t3=values, narrative=["本年度共收到政府信息公开申请50件，其中予以公开24件，占比50%。"])
    prev = build_report(year=2022, file="2022.txt")
    ev = Evidence(unit="香河县交通运输局", year=2023, documents=[doc, prev])
    checks = run_indicator(ev, "1.1.9")
    assert len({c.rule_id for c in checks}) == 7
    texts = {doc.file: doc.text, prev.file: prev.text}
    for c in checks:
        json.dumps(c.model_dump(mode="json"), ensure_ascii=False)
        assert c.indicator_id == "1.1.9" and c.sub in (1, 2) and c.title and c.rationale
        for cit in c.citations:
            assert cit.quote and texts[cit.file][cit.start:cit.end] == cit.quote


def test_scoring_reads_the_checks_as_intended():
    """1.1.9 is additive: a clean report gets full points per sub; one late day or one typo costs points."""
    import datetime as dt

    from indicators.scoring import score_additive

    def points(doc, sub, max_points):
        ev = Evidence(unit="香河县交通运输局", year=2023, documents=[doc])
        checks = run_indicator(ev, "1.1.9", sub)
        return score_additive(max_points, checks).points

    clean = build_report(narrative=["本年度共收到政府信息公开申请49件。"])
    assert points(clean, 1, 1.0) == 1.0 and points(clean, 2, 2.0) == 2.0
    assert points(build_report(published=dt.date(2024, 2, 1)), 1, 1.0) < 1.0
    values = t3_values()
    values["1"][0] = "42"
    assert points(build_report(t3=values), 2, 2.0) < 2.0


def test_one_altered_cell_names_the_shared_cell_for_the_ladder():
    values = t3_values()
    values["1"][0] = "42"
    checks = run("annual_report.identities", build_report(t3=values))
    failed = [c for c in checks if c.outcome == Outcome.failed]
    assert all(c.data["defect"] == "data" for c in failed)
    shared = set.intersection(*({(x["doc"], x["row"], x["col"]) for x in c.data["cells"]} for c in failed))
    assert ("1", "natural") in {(r, col) for _, r, col in shared}  # one wrong cell behind T3-A and T3-C


def test_unrecognised_rows_make_identities_unknown_never_zero():
    # a text layout whose result rows were not recognised: T3-A is not computed with them as 0
    b = DocBuilder("r.txt", DocType.annual_report, year=2023)
    for line in ["三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量 5 0 2 1 0 0 8",
                 "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0", "表格其余部分见附件"]:
        b.para(line)
    checks = run("annual_report.identities", b.build())
    assert not any(c.outcome == Outcome.failed for c in checks)
    assert not any("相差" in c.rationale for c in checks)
    missing = next(c for c in checks if c.title == "表三未识别的行")
    assert missing.outcome == Outcome.unknown and "（七）总计" in missing.rationale


def test_excerpt_passes_are_info_but_visible_errors_stay_failures():
    def excerpt(row2: str):
        b = DocBuilder("某局2023年年报.txt", DocType.annual_report, year=2023)
        for line in ["一、总体情况", "全年公开信息95条。", "三、收到和处理政府信息公开申请情况",
                     "一、本年新收政府信息公开申请数量 5 0 2 1 0 0 8", row2]:
            b.para(line)
        return b.build()
    checks = run("annual_report.identities", excerpt("二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0"))
    assert not any(c.outcome == Outcome.passed for c in checks)
    t3c = next(c for c in checks if c.title == "表三勾稽关系（T3-C）")
    assert t3c.outcome == Outcome.info and t3c.data["excerpt"] and t3c.rationale.startswith("（材料不完整")
    checks = run("annual_report.identities", excerpt("二、上年结转政府信息公开申请数量 1 0 0 0 0 0 0"))
    failed = [c for c in checks if c.outcome == Outcome.failed]
    assert [c.title for c in failed] == ["表三勾稽关系（T3-C）"] and "相差 1" in failed[0].rationale
