"""Suggested points from typed rules and Checks, on the shipped catalog's units."""

from __future__ import annotations

import pytest

from core.findings import Flag, Verdict
from indicators.catalog import load_catalog
from indicators.rules.base import Outcome, make_check
from indicators.scoring import round_points, score_additive, score_unit, to_finding


@pytest.fixture(scope="module")
def cat():
    return load_catalog("langfang-2023")


def chk(indicator: str, sub: int | None = None, outcome: Outcome = Outcome.passed, **kw):
    kw.setdefault("title", "检查")
    return make_check("test", indicator, sub, outcome=outcome, **kw)


def event(indicator: str, code: str, amount: float = 0.0, sub: int | None = None, **data):
    return chk(indicator, sub, Outcome.failed, deduction=amount, data={"event": code, **data})


# --- rounding ----------------------------------------------------------------------------------


def test_rounding_is_half_up_to_one_decimal():
    assert round_points(0.25) == 0.3 and round(0.25, 1) == 0.2  # not banker's rounding
    assert round_points(0.35) == 0.4
    assert round_points(1.666) == 1.7
    assert round_points(2 - 3 * 0.1) == 1.7


# --- additive ----------------------------------------------------------------------------------


def test_additive_share_of_checks(cat):
    unit = cat.unit("1.2.7")
    r = score_unit(unit, [chk("1.2.7"), chk("1.2.7"), chk("1.2.7", outcome=Outcome.failed)])
    assert (r.points, r.verdict) == (1.3, Verdict.partial)
    assert "通过 2 项" in r.rationale and "建议得 1.3 分" in r.rationale
    assert score_unit(unit, [chk("1.2.7")] * 3).points == 2.0
    assert score_unit(unit, [chk("1.2.7")]).verdict == Verdict.met
    r0 = score_unit(unit, [chk("1.2.7", outcome=Outcome.failed)])
    assert (r0.points, r0.verdict) == (0.0, Verdict.not_met)


def test_additive_measure_is_a_share(cat):
    r = score_unit(cat.unit("1.2.7"), [chk("1.2.7", outcome=Outcome.failed, measure=4 / 6)])
    assert (r.points, r.verdict) == (1.3, Verdict.partial)
    # a measure that is not a share (a day count) falls back to the outcome
    r = score_unit(cat.unit("1.2.7"), [chk("1.2.7", measure=12)])
    assert r.points == 2.0


def test_additive_from_coverage_only_is_low_confidence(cat):
    r = score_unit(cat.unit("1.2.3", 1), [], coverage=0.6)
    assert (r.points, r.verdict) == (0.6, Verdict.partial)
    assert Flag.low_confidence in r.flags and "覆盖率 60.0%" in r.rationale
    # checks decide when present; coverage is only mentioned
    r = score_unit(cat.unit("1.2.3", 1), [chk("1.2.3", 1)], coverage=0.2)
    assert r.points == 1.0 and Flag.low_confidence not in r.flags


def test_partial_never_shows_full_or_zero():
    r = score_additive(1.0, [], coverage=0.97)
    assert (r.points, r.verdict) == (0.9, Verdict.partial)
    r = score_additive(1.0, [], coverage=0.02)
    assert (r.points, r.verdict) == (0.1, Verdict.partial)


def test_no_evidence_and_unknown(cat):
    r = score_unit(cat.unit("1.2.7"), [])
    assert (r.points, r.verdict) == (0.0, Verdict.insufficient_evidence)
    assert r.flags == [Flag.no_evidence]
    r = score_unit(cat.unit("1.2.7"), [chk("1.2.7", outcome=Outcome.unknown)])
    assert r.verdict == Verdict.insufficient_evidence and Flag.needs_human in r.flags
    r = score_unit(cat.unit("1.2.7"), [chk("1.2.7"), chk("1.2.7", outcome=Outcome.unknown, flags=["date_unknown"])])
    assert r.points == 2.0 and {Flag.needs_human, Flag.date_unknown} <= set(r.flags)


def test_checks_are_routed_to_their_unit(cat):
    checks = [chk("1.2.4", 1), chk("1.2.4", 2, Outcome.failed), chk("1.2.3", 2, Outcome.failed)]
    assert score_unit(cat.unit("1.2.4", 1), checks).points == 1.0
    assert score_unit(cat.unit("1.2.4", 2), checks).points == 0.0
    # a check on the whole indicator informs every sub-item
    assert score_unit(cat.unit("1.2.4", 2), [chk("1.2.4")]).points == 1.0


def test_note_flags_are_carried(cat):
    r = score_unit(cat.unit("3.1", 3), [chk("3.1", 3, data={"state": "public"})])
    assert r.points == 2.0 and Flag.needs_human in r.flags  # 通俗易懂 is a human's call
    assert Flag.unconfirmed_rule in score_unit(cat.unit("1.1.7"), [chk("1.1.7")]).flags


# --- deduction ---------------------------------------------------------------------------------


def test_deduction_5_1_2(cat):
    unit = cat.unit("5.1.2")
    checks = [event("5.1.2", "notice", 0.1) for _ in range(3)] + [event("5.1.2", "repeated_supervision", 0.5)]
    r = score_unit(unit, checks)
    assert (r.points, r.verdict, r.deducted) == (1.2, Verdict.partial, 0.8)
    assert "因政府网站不规范等问题收到通报和督办卡 3 次，扣 0.3 分" in r.rationale
    assert "多次收到督办卡 1 次，扣 0.5 分" in r.rationale


def test_deduction_uses_catalog_amount_when_the_check_names_the_event(cat):
    r = score_unit(cat.unit("5.1.2"), [event("5.1.2", "notice", count=4)])
    assert r.points == 1.6


def test_deduction_floors_at_zero(cat):
    r = score_unit(cat.unit("5.1.2"), [event("5.1.2", "state_criticism", 1.0) for _ in range(3)])
    assert (r.points, r.verdict, r.deducted) == (0.0, Verdict.not_met, 2.0)
    assert "超过上限" in r.rationale
    r = score_unit(cat.unit("5.2.3"), [event("5.2.3", "severe_error", 3.0), event("5.2.3", "off_mandate", 0.1)])
    assert r.points == 0.0


def test_deduction_nothing_found_and_nothing_examined(cat):
    r = score_unit(cat.unit("5.2.2"), [chk("5.2.2", title="账号更新情况")])
    assert (r.points, r.verdict) == (4.0, Verdict.met) and "未发现扣分情形" in r.rationale
    r = score_unit(cat.unit("5.2.2"), [])
    assert r.verdict == Verdict.insufficient_evidence and Flag.no_evidence in r.flags


def test_failure_without_amount_needs_a_human(cat):
    r = score_unit(cat.unit("5.1.5"), [chk("5.1.5", outcome=Outcome.failed, title="域名")])
    assert r.points == 1.0 and Flag.needs_human in r.flags


def test_deduction_sub_item_5_1_4_1(cat):
    r = score_unit(cat.unit("5.1.4", 1), [event("5.1.4", "overdue", 0.5, sub=1), event("5.1.4", "chased_twice", 0.2, sub=1)])
    assert (r.points, r.verdict) == (0.3, Verdict.partial)


# --- tiered ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rate", "points", "verdict"), [
    (1.0, 1.0, Verdict.met), (0.85, 0.5, Verdict.partial), (0.7, 0.5, Verdict.partial),
    (0.5, 0.0, Verdict.not_met), (0.3, 0.0, Verdict.not_met),
])
def test_tiered_bands(cat, rate, points, verdict):
    r = score_unit(cat.unit("5.1.4", 2), [chk("5.1.4", 2, measure=rate)])
    assert (r.points, r.verdict) == (points, verdict)
    assert Flag.ambiguous_rubric not in r.flags
    assert (Flag.borderline in r.flags) == (rate in (0.7, 0.5))


def test_tiered_gap_suggests_the_lower_tier_and_flags(cat):
    r = score_unit(cat.unit("5.1.4", 2), [chk("5.1.4", 2, measure=0.6)])
    assert (r.points, r.verdict) == (0.0, Verdict.not_met)
    assert {Flag.ambiguous_rubric, Flag.needs_human} <= set(r.flags)
    assert "60.0%" in r.rationale and "未规定的区间 (50%, 70%)" in r.rationale and "较低一档" in r.rationale


def test_tiered_with_deductions(cat):
    unit = cat.unit("5.1.4", 2)
    r = score_unit(unit, [chk("5.1.4", 2, measure=1.0), event("5.1.4", "chased_twice", sub=2, count=2)])
    assert (r.points, r.verdict) == (0.6, Verdict.partial)
    r = score_unit(unit, [chk("5.1.4", 2, measure=0.8)] + [event("5.1.4", "chased_twice", 0.2, sub=2)] * 3)
    assert (r.points, r.deducted) == (0.0, 0.5)


def test_tiered_missing_or_conflicting_measure(cat):
    unit = cat.unit("5.1.4", 2)
    r = score_unit(unit, [event("5.1.4", "chased_twice", 0.2, sub=2)])
    assert r.verdict == Verdict.insufficient_evidence and Flag.needs_human in r.flags
    r = score_unit(unit, [chk("5.1.4", 2, measure=1.0), chk("5.1.4", 2, measure=0.8)])
    assert r.points == 0.5 and Flag.needs_human in r.flags
    r = score_unit(unit, [chk("5.1.4", 2, measure=85.0)])  # a percentage, not a share
    assert r.verdict == Verdict.insufficient_evidence


# --- composite 5.1.3 ---------------------------------------------------------------------------


def test_composite_quality_and_quantity(cat):
    unit = cat.unit("5.1.3")
    checks = [event("5.1.3", "wrong_item", 0.1) for _ in range(3)] + [chk("5.1.3", measure=1.0)]
    r = score_unit(unit, checks)
    assert (r.points, r.verdict) == (1.7, Verdict.partial)
    assert "信息报送质量（1.0分）" in r.rationale and "信息报送数量（1.0分）" in r.rationale
    assert "合计建议得 1.7 分" in r.rationale


def test_composite_quality_capped_and_quantity_gap(cat):
    checks = [event("5.1.3", "wrong_item", 0.1, part="quality") for _ in range(12)]
    checks.append(chk("5.1.3", measure=0.9, data={"part": "quantity"}))
    r = score_unit(cat.unit("5.1.3"), checks)
    assert (r.points, r.verdict) == (0.0, Verdict.not_met)
    assert Flag.ambiguous_rubric in r.flags


def test_composite_with_one_part_missing(cat):
    r = score_unit(cat.unit("5.1.3"), [chk("5.1.3", title="报送质量核查")])
    assert (r.points, r.verdict) == (1.0, Verdict.partial)
    assert Flag.needs_human in r.flags and Flag.no_evidence not in r.flags
    assert score_unit(cat.unit("5.1.3"), []).verdict == Verdict.insufficient_evidence


# --- gate 5.1.6 --------------------------------------------------------------------------------


def test_gate(cat):
    unit = cat.unit("5.1.6")
    r = score_unit(unit, [chk("5.1.6", title="适老化改造完成", rationale="2023年11月20日完成")])
    assert (r.points, r.verdict) == (1.0, Verdict.met) and "2023年12月31日" in r.rationale
    r = score_unit(unit, [chk("5.1.6"), chk("5.1.6", outcome=Outcome.failed, rationale="部门网站2024年3月才完成改造")])
    assert (r.points, r.verdict) == (0.0, Verdict.not_met) and "2024年3月" in r.rationale
    r = score_unit(unit, [chk("5.1.6", outcome=Outcome.unknown)])
    assert r.verdict == Verdict.insufficient_evidence and Flag.needs_human in r.flags
    assert score_unit(unit, []).flags == [Flag.no_evidence]


def test_every_unit_scores_with_full_and_empty_evidence(cat):
    """Every unit of the catalog yields a result within [0, max] for typical inputs."""
    for unit in cat.scored_units():
        for checks in ([], [chk(unit.id, unit.sub, measure=1.0 if unit.scoring.kind in ("tiered", "composite")
                                else None)]):
            r = score_unit(unit, checks)
            assert 0 <= r.points <= unit.max_points, unit.key
            assert r.rationale
        full = score_unit(unit, [chk(unit.id, unit.sub, measure=1.0 if unit.scoring.kind == "tiered" else None)])
        if unit.scoring.kind not in ("composite", "ladder", "states"):  # ladders: tests/test_ladders.py
            assert full.points == unit.max_points, unit.key


def test_to_finding(cat):
    unit = cat.unit("5.1.4", 2)
    finding = to_finding(unit, score_unit(unit, [chk("5.1.4", 2, measure=0.6)]))
    assert (finding.indicator_id, finding.sub, finding.name, finding.max_points) == (
        "5.1.4", 2, "政府网站网民纠错和留言办理", 1.0)
    assert finding.verdict == Verdict.not_met and finding.suggested_points == 0.0
    assert Flag.ambiguous_rubric in finding.flags and finding.source == "rule"


def test_all_required_additive_gives_zero_when_any_condition_fails():
    from indicators.rules.base import Check, Outcome
    from indicators.scoring import score_additive

    checks = [Check(rule_id="r", indicator_id="1.1.9", sub=1, title="六部分结构", outcome=Outcome.passed),
              Check(rule_id="r", indicator_id="1.1.9", sub=1, title="按时发布", outcome=Outcome.failed)]
    assert score_additive(1.0, checks).points == 0.5
    strict = score_additive(1.0, checks, all_required=True)
    assert (strict.points, strict.verdict) == (0.0, "not_met") and "按时发布" in strict.rationale
    assert score_additive(1.0, checks[:1], all_required=True).points == 1.0
