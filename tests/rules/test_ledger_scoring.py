"""Ledger and presence Checks through the catalog's scoring (indicators/scoring.py): the conventions
hold end to end (event codes, parts, measures, gate, no Check = no evidence, floor at 0)."""

import pytest

from core.findings import Flag, Verdict
from indicators.catalog import CompositeRule, DeductionRule, TieredRule, load_catalog
from indicators.rules.base import Evidence
from indicators.scoring import score_unit
from tests.rules.ledger_helpers import evidence, ledger_doc
from tests.rules.ruleset import rules_for
from tests.rules.test_ledger_newmedia import CHANGE_HEAD
from tests.rules.test_ledger_website import MSG_HEAD, NOTICE_HEAD, _every_week, _weekly_rows

CATALOG = load_catalog("langfang-2023")


def checks_for(ev: Evidence, indicator: str):
    return [c for r in rules_for(indicator) if r.id.startswith(("ledger.", "presence."))
            for c in r.run(ev)]


def score(ev: Evidence, indicator: str, sub: int | None = None):
    return score_unit(CATALOG.unit(indicator, sub), checks_for(ev, indicator))


def _event_codes(rule) -> set[str]:
    if isinstance(rule, DeductionRule):
        return {e.code for e in rule.events}
    if isinstance(rule, TieredRule):
        return {e.code for e in rule.deductions}
    if isinstance(rule, CompositeRule):
        return set().union(*(_event_codes(p.rule) for p in rule.parts))
    return set()


NOTICES = [NOTICE_HEAD,
           ["1", "2023-03-14", "通报", "廊坊市人民政府办公室", "“工作动态”栏目超过2周未更新"],
           ["2", "2023-05-22", "督办卡", "廊坊市政务公开办", "首页存在3处错误链接"],
           ["3", "2023-06-30", "督办卡（同一问题再次督办）", "廊坊市政务公开办", "首页错误链接整改不到位"],
           ["4", "2023-09-12", "通报", "廊坊市人民政府办公室", "互动交流栏目留言答复超期"]]


def test_event_codes_are_the_catalogs():
    docs = [ledger_doc("通报督办台账.xlsx", NOTICES),
            ledger_doc("通报批评台账.xlsx", [NOTICE_HEAD, ["1", "2023-08-01", "通报批评", "河北省人民政府办公厅", "错链"]]),
            ledger_doc("网民纠错和留言台账.xlsx", [MSG_HEAD, ["1", "网民纠错", "2023-04-01", "2023-04-02", "2023-04-05", "2"],
                                              ["2", "网站留言", "2023-05-01", "2023-05-08", "2023-05-07", "3"]]),
            ledger_doc("域名台账.xlsx", [["网站名称", "域名"], ["香河文旅", "www.xhwl.com"]]),
            ledger_doc("报备台账.xlsx", [CHANGE_HEAD, ["1", "香河发布", "微信", "更名", "2023-03-01", ""],
                                      ["2", "香河教育", "微博", "注销", "2023-03-01", "2023-03-20"]]),
            ledger_doc("更新台账.xlsx", [["账号名称", "最后更新日期", "监测日期"], ["香河发布", "2023-10-01", "2023-12-01"],
                                      ["香河教育", "2023-11-10", "2023-12-01"]]),
            ledger_doc("表述错误台账.xlsx", [["账号名称", "问题类型"], ["香河发布", "严重表述错误"], ["香河教育", "与职能无关"]]),
            ledger_doc("整改台账.xlsx", [["账号名称", "收到通知日期", "整改完成日期", "是否整改"],
                                      ["香河发布", "2023-05-08", "2023-05-12", "是"], ["香河教育", "2023-05-08", "", "否"]]),
            ledger_doc("信息报送台账.xlsx", _weekly_rows(["2023-03-01"], wrong={0}))]
    ev = evidence(*docs)
    seen = set()
    for indicator in ("5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.2.1", "5.2.2", "5.2.3", "5.2.4"):
        for c in checks_for(ev, indicator):
            if c.deduction > 0:
                unit = CATALOG.unit(indicator, c.sub) if c.sub else CATALOG.unit(indicator)
                assert c.data.get("event") in _event_codes(unit.scoring), (c.rule_id, c.data)
                seen.add((indicator, c.data["event"]))
    assert len(seen) == 13  # every event code of these indicators occurs


def test_notices_score_like_a_reviewer():
    result = score(evidence(ledger_doc("通报督办台账.xlsx", NOTICES)), "5.1.2")
    assert result.points == pytest.approx(1.2) and result.verdict == Verdict.partial  # 2 - (0.1×3 + 0.5)


def test_many_deductions_floor_at_zero():
    rows = [["账号名称", "问题类型"]] + [[f"账号{i}", "严重表述错误"] for i in range(3)]
    result = score(evidence(ledger_doc("表述错误台账.xlsx", rows)), "5.2.3")
    assert result.points == 0.0 and result.verdict == Verdict.not_met


def test_no_ledger_is_insufficient_evidence_not_full_points():
    result = score(evidence(), "5.2.4")
    assert result.verdict == Verdict.insufficient_evidence and result.points == 0.0


def test_message_rate_gap_goes_to_a_human():
    rows = [["序号", "留言时间", "回复日期", "是否按期办结", "催办次数"]]
    rows += [[str(i), "2023-06-01", "2023-06-03", "是" if i < 6 else "否", "2" if i == 0 else "0"] for i in range(10)]
    result = score(evidence(ledger_doc("门户网站留言办理台账.xlsx", rows)), "5.1.4", 2)
    assert Flag.ambiguous_rubric in result.flags and Flag.needs_human in result.flags
    assert result.points == 0.0  # the lower tier (0) and 0.2 for the chased item, floored


def test_composite_5_1_3_routes_quality_and_quantity():
    doc = ledger_doc("门户网站信息报送台账.xlsx", _weekly_rows(_every_week(2023), wrong={0, 1}))
    result = score(evidence(doc), "5.1.3")
    assert result.points == pytest.approx(1.8)  # quality 1 - 2 × 0.1, quantity every week 1
    assert "信息报送质量" in result.rationale and "100.0%" in result.rationale


def test_gate_fails_on_a_late_site():
    rows = [["网站名称", "适老化改造完成日期"], ["县政府门户网站", "2023-10-20"], ["县教体局网站", "2024-01-15"]]
    result = score(evidence(ledger_doc("适老化改造台账.xlsx", rows)), "5.1.6")
    assert result.points == 0.0 and result.verdict == Verdict.not_met
    rows = rows[:2]
    result = score(evidence(ledger_doc("适老化改造台账.xlsx", rows)), "5.1.6")
    assert result.points == 1.0 and result.verdict == Verdict.met


def test_presence_scores_by_the_ladder():
    from tests.rules.test_presence import institution_page

    result = score(evidence(institution_page(head=False)), "1.1.2")
    # the reviewers' ladder: 2.0 minus 0.5 per missing element (not 2 × 5/6)
    assert result.points == pytest.approx(1.5) and result.verdict == Verdict.partial
    assert "阶梯：缺1项" in result.rationale
