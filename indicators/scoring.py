"""Suggested points for one scored unit: its typed rule + the rules' Checks (+ an optional coverage share).

Pure functions, no I/O. Every result carries points, a verdict, a Chinese rationale fragment and flags.

Conventions
- Rounding: points are rounded to one decimal, half up (四舍五入保留一位小数; Python's round() would
  round half to even). Arithmetic is done in Decimal so 2 - 3 x 0.1 is exactly 1.7.
- A *partial* verdict never shows full or zero points after rounding: it is kept within
  [0.1, max - 0.1] (a reviewer reading "部分符合 1.0/1.0" would be misled).
- No Check at all means nothing was examined: verdict insufficient_evidence, 0 points, flag
  no_evidence. Rules that examined the evidence and found nothing wrong emit a passing Check.
- A Check with outcome `unknown` means a rule could not decide: the result is flagged needs_human.
- Deduction checks: `Check.deduction` is the check's total amount (`data["count"]` events, default 1,
  only for the rationale); when it is 0 and `Check.data["event"]` names an
  event of the rule, the catalog's amount (x `data["count"]`, default 1) is used.
- Measures (tiered parts) are shares in [0, 1] (70% = 0.7).
- Ladders (kind ladder): defects are counted once each (indicators/defects.py), the first rung
  whose counts hold gives the points; the rationale names the defects counted and the rung applied.
  Checks no defect class claims are noted, never deducted. States (kind states): the state a rule
  reports in Check.data (per component, summed), the best over documents.
- Abstention: a Check with data["abstain"] (a Chinese note on the material that would decide it)
  makes the unit insufficient_evidence (0 points) unless the material shows it met.
- Composite parts: a Check belongs to the part named by `data["part"]`; otherwise deductions go to
  the (single) deduction part and measures to the (single) tiered part.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

from core.findings import Flag, Verdict
from indicators.catalog import (
    AdditiveRule,
    CompositeRule,
    DeductionEvent,
    DeductionRule,
    Gap,
    GateRule,
    LadderRule,
    ScoredUnit,
    StateLevel,
    StatesRule,
    TieredRule,
)
from indicators.defects import count_defects
from indicators.rules.base import Check, Outcome

_TENTH = Decimal("0.1")


class ScoreResult(BaseModel):
    points: float
    verdict: Verdict
    rationale: str
    flags: list[str] = Field(default_factory=list)
    deducted: float = 0.0
    # what the material shows already reaches the ladder's lowest rung: material it lacks cannot change that
    floor_shown: bool = False

    def add_flags(self, *flags: str) -> None:
        for f in flags:
            if f not in self.flags:
                self.flags.append(f)


def round_points(x: float | Decimal) -> float:
    """四舍五入 to one decimal."""
    return float(Decimal(str(x)).quantize(_TENTH, rounding=ROUND_HALF_UP))


def _d(x: float) -> Decimal:
    return Decimal(str(x))


def _p(x: float | Decimal) -> str:
    return f"{float(x):.1f}"


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _verdict(points: Decimal, max_points: Decimal) -> Verdict:
    if points >= max_points:
        return Verdict.met
    if points <= 0:
        return Verdict.not_met
    return Verdict.partial


def verdict_for_points(points: float, max_points: float) -> Verdict:
    """The verdict a score stands for (full: met, none: not_met, else partial): a reviewer's override
    states points only, and its verdict is read from them the way the scorers read theirs."""
    return _verdict(_d(points), _d(max_points))


def _collect_flags(checks: Sequence[Check]) -> list[str]:
    flags: list[str] = []
    for c in checks:
        for f in c.flags:
            if f not in flags:
                flags.append(f)
        if c.outcome == Outcome.unknown and Flag.needs_human not in flags:
            flags.append(Flag.needs_human)
    return flags


def _abstain(why: str, checks: Sequence[Check] = ()) -> ScoreResult:
    """insufficient_evidence: no_evidence when nothing was examined, needs_human when rules could not decide."""
    flags = _collect_flags(checks)
    flags.append(Flag.needs_human if checks else Flag.no_evidence)
    return ScoreResult(points=0.0, verdict=Verdict.insufficient_evidence, flags=list(dict.fromkeys(flags)),
                       rationale=f"{why}，无法评分，建议暂计 0.0 分，需人工复核。")


# --------------------------------------------------------------------------------------------
# additive
# --------------------------------------------------------------------------------------------


def score_additive(max_points: float, checks: Sequence[Check], coverage: float | None = None,
                   all_required: bool = False) -> ScoreResult:
    """Points = max x share of requirements met.

    The share comes from the decisive Checks (pass = 1, fail = 0, or the Check's `measure` when it
    is a share in [0, 1]); without decisive Checks, from `coverage` (the offline share of required
    elements found), flagged low_confidence.
    """
    decisive = [c for c in checks if c.outcome in (Outcome.passed, Outcome.failed)]
    flags = _collect_flags(checks)
    failed = [c for c in decisive if c.outcome == Outcome.failed]
    if all_required and failed:
        why = "；".join(c.title for c in failed)
        return ScoreResult(points=0.0, verdict=Verdict.not_met, flags=flags,
                           rationale=f"本项要求须同时满足，以下检查未通过：{why}；建议得 0.0 分。")
    undecided = [c for c in checks if c.outcome == Outcome.unknown]
    if all_required and undecided:
        return _abstain("本项要求须同时满足，其中“" + "”“".join(c.title for c in undecided) + "”无法确认", checks)
    if decisive:
        shares = [c.measure if c.measure is not None and 0 <= c.measure <= 1
                  else (1.0 if c.outcome == Outcome.passed else 0.0) for c in decisive]
        share = sum(_d(s) for s in shares) / len(shares)
        passed = sum(1 for c in decisive if c.outcome == Outcome.passed)
        basis = f"规则检查 {len(decisive)} 项，通过 {passed} 项，达标比例 {_pct(float(share))}"
        if coverage is not None:
            basis += f"（要素覆盖率 {_pct(coverage)} 仅供参考）"
    elif coverage is not None:
        share = min(max(_d(coverage), Decimal(0)), Decimal(1))
        basis = f"无规则检查结论，按必备要素覆盖率 {_pct(float(share))} 估算"
        flags.append(Flag.low_confidence)
    else:
        return _abstain("无规则检查结论，也无必备要素覆盖情况", checks)
    mx = _d(max_points)
    raw = mx * share
    points = _d(round_points(raw))
    if 0 < share < 1:  # a partial verdict shows partial points
        points = min(max(points, _TENTH), mx - _TENTH) if mx > _TENTH else points
    verdict = Verdict.met if share >= 1 else Verdict.not_met if share <= 0 else Verdict.partial
    rationale = f"{basis}；按分值 {_p(mx)} 分折算，建议得 {_p(points)} 分。"
    return ScoreResult(points=float(points), verdict=verdict, rationale=rationale, flags=flags)


# --------------------------------------------------------------------------------------------
# deduction (also the deduction part of tiered and composite rules)
# --------------------------------------------------------------------------------------------


def _deductions(events: Sequence[DeductionEvent], checks: Sequence[Check]) -> tuple[Decimal, list[str], list[str]]:
    """Total deducted, Chinese description per event kind, flags."""
    by_code = {e.code: e for e in events}
    totals: dict[str, tuple[int, Decimal]] = {}
    flags: list[str] = []
    for c in checks:
        code = c.data.get("event")
        amount = _d(c.deduction)
        if amount == 0 and code in by_code:
            amount = _d(by_code[code].amount) * int(c.data.get("count", 1))
        if amount == 0:
            if c.outcome == Outcome.failed:  # a failure without an amount cannot be scored
                flags.append(Flag.needs_human)
            continue
        label = by_code[code].name if code in by_code else c.title
        n, total = totals.get(label, (0, Decimal(0)))
        totals[label] = (n + int(c.data.get("count", 1)), total + amount)
    parts = [f"{label} {n} 次，扣 {_p(total)} 分" for label, (n, total) in totals.items()]
    return sum((t for _, t in totals.values()), Decimal(0)), parts, flags


def score_deduction(max_points: float, rule: DeductionRule, checks: Sequence[Check]) -> ScoreResult:
    if not checks:
        return _abstain("未见相关台账或检查记录，不能判断是否存在扣分情形")
    flags = _collect_flags(checks)
    total, parts, more = _deductions(rule.events, checks)
    flags += [f for f in more if f not in flags]
    mx = _d(max_points)
    cap = _d(rule.cap) if rule.cap is not None else mx
    applied = min(total, cap, mx)
    points = _d(round_points(mx - applied))
    if total == 0:
        rationale = f"未发现扣分情形，满分 {_p(mx)} 分，建议得 {_p(points)} 分。"
    else:
        floor_note = f"（扣分合计 {_p(total)} 分，超过上限，按 {_p(applied)} 分计）" if total > applied else ""
        rationale = f"{'；'.join(parts)}{floor_note}；满分 {_p(mx)} 分，建议得 {_p(points)} 分。"
    return ScoreResult(points=float(points), verdict=_verdict(points, mx), rationale=rationale, flags=flags,
                       deducted=float(applied))


# --------------------------------------------------------------------------------------------
# tiered
# --------------------------------------------------------------------------------------------


def score_tiered(max_points: float, rule: TieredRule, checks: Sequence[Check]) -> ScoreResult:
    flags = _collect_flags(checks)
    measures = [c.measure for c in checks if c.measure is not None]
    if not measures:
        return _abstain(f"未能计算{rule.measure_name}", checks)
    bad = [m for m in measures if not 0 <= m <= 1]
    if bad:
        return _abstain(f"{rule.measure_name}取值 {bad[0]} 不在0至1之间", checks)
    measure = min(measures)
    lines: list[str] = []
    if len(set(measures)) > 1:
        flags.append(Flag.needs_human)
        lines.append(f"多项检查给出不同的{rule.measure_name}，取最低值")
    band = rule.band_of(measure)
    if isinstance(band, Gap):
        below = rule.tier_below(band)
        base = _d(below.points if below else 0.0)
        flags += [f for f in (Flag.ambiguous_rubric, Flag.needs_human) if f not in flags]
        lines.append(f"{rule.measure_name} {_pct(measure)}，落在评分表未规定的区间 {band.band.label()}，"
                     f"暂按较低一档计 {_p(base)} 分，需人工确定")
    else:
        base = _d(band.points) if band else Decimal(0)
        lines.append(f"{rule.measure_name} {_pct(measure)}，对应档次得 {_p(base)} 分")
    if any(measure in (t.band.min, t.band.max) and measure not in (0.0, 1.0) for t in rule.tiers):
        flags.append(Flag.borderline)
        lines.append("恰在分档临界值（“以上”“以下”按含本数理解）")
    deducted, parts, more = _deductions(rule.deductions, [c for c in checks if c.measure is None])
    flags += [f for f in more if f not in flags]
    lines += parts
    applied = min(deducted, base)
    points = _d(round_points(base - applied))
    lines.append(f"建议得 {_p(points)} 分（满分 {_p(max_points)} 分）")
    return ScoreResult(points=float(points), verdict=_verdict(points, _d(max_points)),
                       rationale="；".join(lines) + "。", flags=flags, deducted=float(applied))


# --------------------------------------------------------------------------------------------
# gate
# --------------------------------------------------------------------------------------------


def score_gate(max_points: float, rule: GateRule, checks: Sequence[Check]) -> ScoreResult:
    flags = _collect_flags(checks)
    failed = [c for c in checks if c.outcome == Outcome.failed]
    passed = [c for c in checks if c.outcome == Outcome.passed]
    deadline = f"（期限 {rule.deadline.year}年{rule.deadline.month}月{rule.deadline.day}日）" if rule.deadline else ""
    if failed:
        why = "；".join(c.rationale or c.title for c in failed)
        return ScoreResult(points=0.0, verdict=Verdict.not_met, flags=flags,
                           rationale=f"未满足“{rule.condition}”{deadline}：{why}；此项不得分，建议得 0.0 分。")
    if passed and not any(c.outcome == Outcome.unknown for c in checks):
        return ScoreResult(points=round_points(max_points), verdict=Verdict.met, flags=flags,
                           rationale=f"已满足“{rule.condition}”{deadline}，建议得 {_p(max_points)} 分。")
    return _abstain(f"不能确认是否满足“{rule.condition}”{deadline}", checks)


# --------------------------------------------------------------------------------------------
# composite
# --------------------------------------------------------------------------------------------


def _part_checks(rule: CompositeRule, checks: Sequence[Check]) -> dict[str, list[Check]]:
    out: dict[str, list[Check]] = {p.code: [] for p in rule.parts}
    by_kind: dict[str, list[str]] = {}
    for p in rule.parts:
        by_kind.setdefault(p.rule.kind, []).append(p.code)
    for c in checks:
        part = c.data.get("part")
        if part in out:
            out[part].append(c)
        elif c.measure is not None and len(by_kind.get("tiered", [])) == 1:
            out[by_kind["tiered"][0]].append(c)
        elif len(by_kind.get("deduction", [])) == 1:
            out[by_kind["deduction"][0]].append(c)
    return out


def score_composite(max_points: float, rule: CompositeRule, checks: Sequence[Check]) -> ScoreResult:
    routed = _part_checks(rule, checks)
    results = []
    for part in rule.parts:
        r = (score_deduction(part.points, part.rule, routed[part.code]) if isinstance(part.rule, DeductionRule)
             else score_tiered(part.points, part.rule, routed[part.code]))
        results.append((part, r))
    flags: list[str] = []
    for _, r in results:
        flags += [f for f in r.flags if f not in flags]
    missing = [p.name for p, r in results if r.verdict == Verdict.insufficient_evidence]
    if len(missing) == len(results):
        return _abstain("各组成部分均无可据以评分的材料", checks)
    points = _d(round_points(sum(_d(r.points) for _, r in results)))
    verdict = _verdict(points, _d(max_points))
    if missing:
        flags = [f for f in flags if f != Flag.no_evidence] + [Flag.needs_human]
        verdict = Verdict.partial if points > 0 else Verdict.insufficient_evidence
    text = "；".join(f"{p.name}（{_p(p.points)}分）：{r.rationale.rstrip('。')}" for p, r in results)
    return ScoreResult(points=float(points), verdict=verdict, flags=flags,
                       deducted=sum(r.deducted for _, r in results),
                       rationale=f"{text}。合计建议得 {_p(points)} 分（满分 {_p(max_points)} 分）。")


# --------------------------------------------------------------------------------------------
# ladder: count defects once each, then the first rung whose counts hold
# --------------------------------------------------------------------------------------------


def _noted(checks: Sequence[Check]) -> str:
    """Checks outside the ladder (and typos): shown to the reviewer, never deducted."""
    shown = [c.title for c in checks if c.outcome in (Outcome.failed, Outcome.unknown)]
    return f"另见（仅提示，不计入阶梯）：{'、'.join(dict.fromkeys(shown))}" if shown else ""


def score_ladder(max_points: float, rule: LadderRule, checks: Sequence[Check]) -> ScoreResult:
    if not checks:
        return _abstain("未见可据以评分的材料")
    flags = _collect_flags(checks)
    counts, unclaimed = count_defects(rule.defects, checks)
    rung = rule.rung_for({cc.cls.code: cc.n for cc in counts})
    found = [cc for cc in counts if cc.n]
    summary = " + ".join(cc.summary() for cc in found) or "未发现缺陷"
    shown_zero = bool(found) and rung.points == 0 and not rung.abstain  # what is shown already gives 0
    lines = []
    for cc in counts:
        if cc.cls.undecided_note and not cc.examined:
            undecided = "、".join(dict.fromkeys(c.title for c in cc.undecided))
            why = f"“{cc.cls.name}”无法核实" + (f"（{undecided}）" if undecided else "")
            if not shown_zero:
                result = _abstain(why, checks)
                result.rationale = f"{why}：{cc.cls.undecided_note}；暂计 0.0 分，需人工复核。"
                return result
            lines.append(f"{why}，但材料已显示的问题已达最低档")
    if not any(cc.examined or cc.n for cc in counts):
        return _abstain("各项检查均未能得出结论", checks)
    for cc in counts:
        if not cc.examined and not cc.n and cc.undecided:
            lines.append(f"“{cc.cls.name}”无法判定（{'、'.join(dict.fromkeys(c.title for c in cc.undecided))}），"
                         "仅按其余项目评分")
            if Flag.needs_human not in flags:
                flags.append(Flag.needs_human)
    noted = _noted(unclaimed)
    if rung.abstain:
        result = _abstain(f"{summary}（阶梯：{rung.label}）", checks)
        result.rationale = (f"{summary} → 材料不足（阶梯：{rung.label}）：{rung.note or '请补充材料'}；"
                            "暂计 0.0 分，需人工复核。")
        return result
    points = _d(round_points(rung.points))
    lines.insert(0, f"{summary} → {_p(points)}分（阶梯：{rung.label}）")
    if noted:
        lines.append(noted)
    return ScoreResult(points=float(points), verdict=_verdict(points, _d(max_points)), flags=flags,
                       rationale="；".join(lines) + "。", deducted=float(_d(max_points) - points),
                       floor_shown=shown_zero)


# --------------------------------------------------------------------------------------------
# states: the state a rule reports (per component, summed)
# --------------------------------------------------------------------------------------------


def score_states(max_points: float, rule: StatesRule, checks: Sequence[Check]) -> ScoreResult:
    flags = _collect_flags(checks)
    reported = [c for c in checks if c.data.get(rule.key) is not None]
    if not reported:
        return _abstain("规则未能判定本项所处的档次" if checks else "未见可据以评分的材料", checks)

    def best(codes: list[str]) -> StateLevel | None:
        levels = [lv for lv in (rule.state(code) for code in codes) if lv is not None]
        decided = [lv for lv in levels if not lv.abstain]
        return max(decided, key=lambda lv: lv.points) if decided else (levels[0] if levels else None)

    lowest = min((s for s in rule.states if not s.abstain), key=lambda s: s.points, default=None)
    if rule.components:
        picked = []
        for comp in rule.components:
            codes = [c.data[rule.key].get(comp.code) for c in reported if isinstance(c.data[rule.key], dict)]
            picked.append((comp.name, best([x for x in codes if isinstance(x, str)]) or lowest))
    else:
        picked = [("", best([c.data[rule.key] for c in reported if isinstance(c.data[rule.key], str)]))]
    if any(lv is None for _, lv in picked):
        return _abstain("规则报告的档次不在目录所列档次中", checks)
    abstaining = [lv for _, lv in picked if lv.abstain]
    if abstaining and not rule.components:
        result = _abstain(abstaining[0].label, checks)
        result.rationale = f"{abstaining[0].label}：{abstaining[0].note or '请补充材料'}；暂计 0.0 分，需人工复核。"
        return result
    total = sum((_d(0 if lv.abstain else lv.points) for _, lv in picked), Decimal(0))
    points = _d(round_points(total))
    if rule.components:
        text = "；".join(f"{name}：{lv.label}（{_p(0 if lv.abstain else lv.points)}分）" for name, lv in picked)
        line = f"{text} → 合计{_p(points)}分（阶梯：{rule.describe()}）"
        if abstaining:
            flags.append(Flag.needs_human)
    else:
        line = f"{picked[0][1].label} → {_p(points)}分（阶梯：{rule.describe()}）"
    return ScoreResult(points=float(points), verdict=_verdict(points, _d(max_points)), flags=flags,
                       rationale=line + "。", deducted=float(_d(max_points) - points))


# --------------------------------------------------------------------------------------------
# abstention: absence on the saved pages is not evidence of absence
# --------------------------------------------------------------------------------------------


def abstentions(checks: Sequence[Check]) -> list[str]:
    """The Chinese notes of the Checks that declare the material cannot decide them (data["abstain"])."""
    return list(dict.fromkeys(str(c.data["abstain"]) for c in checks if c.data.get("abstain")))


def apply_abstention(result: ScoreResult, checks: Sequence[Check]) -> ScoreResult:
    """A unit the material cannot decide is insufficient_evidence (0 points, with what would decide
    it) unless the material shows it met; never not_met from a missing mention."""
    notes = abstentions(checks)
    def what(c: Check) -> tuple[str, str]:
        return c.rule_id, c.title.split("（")[0]

    abstaining = {what(c) for c in checks if c.data.get("abstain")}
    # met only when the same rule found the same thing shown elsewhere in the material (another
    # document), not by an estimate from coverage nor by a pass on something else
    shown_met = result.verdict == Verdict.met and all(
        any(c.outcome == Outcome.passed and what(c) == a for c in checks) for a in abstaining)
    if not notes or shown_met:
        return result
    if result.floor_shown:  # e.g. an excerpt that already shows two formal defects: not_met, said so
        result.rationale += f"（另：{'；'.join(notes)}，但材料已显示的问题已达最低档，补充材料不改变结论）"
        result.add_flags(Flag.needs_human)
        return result
    flags = [f for f in result.flags if f != Flag.no_evidence]
    # problems the material already shows are kept for the reviewer; a clean partial reading is not
    shown = result.rationale and result.verdict in (Verdict.partial, Verdict.not_met)
    seen = f"（已见问题，材料补全后一并评分：{result.rationale.rstrip('。')}）" if shown else ""
    out = ScoreResult(points=0.0, verdict=Verdict.insufficient_evidence, flags=flags,
                      rationale=f"所提供材料不足以判断：{'；'.join(notes)}{seen}；暂计 0.0 分，需人工复核。")
    out.add_flags(Flag.needs_human)
    return out


# --------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------


def checks_for(unit: ScoredUnit, checks: Sequence[Check]) -> list[Check]:
    """The checks that inform this unit (same indicator; the unit's sub-item or the whole indicator)."""
    return [c for c in checks if c.indicator_id == unit.id and (c.sub is None or c.sub == unit.sub)]


def score_unit(unit: ScoredUnit, checks: Sequence[Check], coverage: float | None = None) -> ScoreResult:
    """Suggested points, verdict, rationale and flags for one scored unit."""
    mine = checks_for(unit, checks)
    rule = unit.scoring
    if isinstance(rule, AdditiveRule) or (isinstance(rule, LadderRule | StatesRule) and not mine
                                          and coverage is not None and rule.coverage_fallback):
        # (a ladder no rule examined: the coverage estimate, flagged low_confidence, as before ladders)
        result = score_additive(unit.max_points, mine, coverage,
                                all_required=isinstance(rule, AdditiveRule) and rule.all_required)
    elif isinstance(rule, DeductionRule):
        result = score_deduction(unit.max_points, rule, mine)
    elif isinstance(rule, TieredRule):
        result = score_tiered(unit.max_points, rule, mine)
    elif isinstance(rule, GateRule):
        result = score_gate(unit.max_points, rule, mine)
    elif isinstance(rule, LadderRule):
        result = score_ladder(unit.max_points, rule, mine)
    elif isinstance(rule, StatesRule):
        result = score_states(unit.max_points, rule, mine)
    else:
        result = score_composite(unit.max_points, rule, mine)
    result = apply_abstention(result, mine)
    for note in unit.notes:
        result.add_flags(*note.flags)
    return result

