"""The indicator catalog: what is scored, for how many points, and by which typed rule.

A catalog is one YAML file (`indicators/catalogs/<id>.yaml`) holding the indicator table of one
assessment (e.g. 廊坊市2023年度政务公开工作考核指标). Loading validates it completely: ids unique
(and equal to `<id>.ids.tsv` when that file sits beside it), sub-item points adding up to their
indicator, every level adding up to its stated subtotal, and the whole to `total_points`.
A broken catalog is refused with a Chinese + English message naming the entry.

Downstream code works on *scored units* (cli-contract `items`): one per numbered sub-item, else
one per indicator. Each unit carries its text, points, required elements, keywords, notes and
its scoring rule, so nothing downstream needs to re-read the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, field_validator, model_validator

from core.document import DocType
from core.errors import ConfigError
from core.files import read_mapping
from core.findings import Flag
from indicators.units import AssessedUnit

CATALOG_DIR = Path(__file__).parent / "catalogs"
DEFAULT_CATALOG = "langfang-2023"
_ID_RE = re.compile(r"^\d+(\.\d+){1,2}$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(ConfigError):
    """An unknown or invalid catalog (exit code 2)."""


def fmt_points(x: float) -> str:
    """Points as Chinese practice writes them: one decimal."""
    return f"{x:.1f}"


# 复核得分 granularity: a reviewer's points must be a multiple of the item's step. 0.5 unless the
# catalog says otherwise, by a `step` (catalog, indicator or sub-item) or by its own amounts: an item
# whose rule deducts 0.1 per event is scored in tenths (the table's own precision).
DEFAULT_STEP = 0.5
FINEST_STEP = 0.1


def on_step(x: float, step: float) -> bool:
    """x is a whole multiple of step (exact decimals: 3.05 is not on the 0.5 grid, 4.9 is on 0.1)."""
    return Decimal(str(x)) % Decimal(str(step)) == 0


def _sum(values) -> Decimal:
    """Exact decimal sum (0.1 + 0.2 must equal 0.3 when checking the table's arithmetic)."""
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def _snake(v: str) -> str:
    if not _CODE_RE.match(v):
        raise ValueError(f"代码须为小写字母、数字、下划线 / code must be snake_case: {v!r}")
    return v


# --------------------------------------------------------------------------------------------
# Notes: ambiguities of the table are data, shown to reviewers and read by the scoring module
# --------------------------------------------------------------------------------------------


class Note(BaseModel):
    code: str = Field(description="machine-readable code, e.g. unspecified_band")
    text: str = Field(description="Chinese explanation for the reviewer")
    flags: list[str] = Field(
        default_factory=list,
        description="Flag values every finding of the unit carries (used sparingly: only where no "
        "automated verdict can be trusted without a human)",
    )

    _code = field_validator("code")(_snake)

    @field_validator("flags")
    @classmethod
    def _flags(cls, v: list[str]) -> list[str]:
        known = {f.value for f in Flag}
        for f in v:
            if f not in known:
                raise ValueError(f"未知的标记 / unknown flag {f!r} (known: {', '.join(sorted(known))})")
        return v


# --------------------------------------------------------------------------------------------
# Typed scoring rules (discriminated union on `kind`)
# --------------------------------------------------------------------------------------------


class DeductionEvent(BaseModel):
    code: str = Field(description="event code that rules put in Check.data['event']")
    name: str = Field(description="Chinese name of the event as the table words it")
    amount: float = Field(gt=0, description="points deducted per event")
    per: str = Field("每次", description="what one event is counted per (每次/一件/一个)")

    _code = field_validator("code")(_snake)


class AdditiveRule(BaseModel):
    """Points in proportion to the share of the unit's requirements met."""

    kind: Literal["additive"] = "additive"
    all_required: bool = Field(
        False,
        description="the requirements are one act with conditions (在规定时间内按统一格式在专栏发布): "
        "any failed check means 0 points, not a share",
    )


class DeductionRule(BaseModel):
    """Full points minus the per-event amounts, floored at 0 (or at `points - cap`)."""

    kind: Literal["deduction"] = "deduction"
    events: list[DeductionEvent] = Field(min_length=1)
    cap: float | None = Field(None, description="largest total deduction; None = the unit's points")


class Band(BaseModel):
    """An interval of a share in [0, 1] (rates are shares: 70% = 0.7)."""

    min: float = Field(ge=0, le=1)
    max: float = Field(ge=0, le=1)
    min_inclusive: bool = True
    max_inclusive: bool = True

    def contains(self, x: float) -> bool:
        lo = x >= self.min if self.min_inclusive else x > self.min
        hi = x <= self.max if self.max_inclusive else x < self.max
        return lo and hi

    def label(self) -> str:
        if self.min == self.max:
            return f"{self.min * 100:g}%"
        lo = "[" if self.min_inclusive else "("
        hi = "]" if self.max_inclusive else ")"
        return f"{lo}{self.min * 100:g}%, {self.max * 100:g}%{hi}"


class Tier(BaseModel):
    band: Band
    points: float = Field(ge=0)


class Gap(BaseModel):
    """A band the table does not score: the scoring module suggests the tier below and flags it."""

    band: Band
    note: str = Field(description="code of the note that explains the gap")


class TieredRule(BaseModel):
    """Points by the band a measured share falls in, minus per-event deductions."""

    kind: Literal["tiered"] = "tiered"
    measure: str = Field(description="code of the measured share, e.g. on_time_rate")
    measure_name: str = Field(description="Chinese name of the measure")
    tiers: list[Tier] = Field(min_length=1)
    gaps: list[Gap] = Field(default_factory=list)
    deductions: list[DeductionEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bands_partition(self) -> TieredRule:
        """Tiers and gaps together must cover [0, 1] exactly once: nothing is left to a guess."""
        bands = sorted([t.band for t in self.tiers] + [g.band for g in self.gaps],
                       key=lambda b: (b.min, not b.min_inclusive))
        value, inclusive = 0.0, True
        for b in bands:
            if b.min != value or b.min_inclusive != inclusive:
                raise ValueError(
                    f"分档区间不连续或重叠：{b.label()} / tiers and gaps must partition [0, 1]"
                )
            value, inclusive = b.max, not b.max_inclusive
        if value != 1.0 or inclusive:
            raise ValueError("分档区间未覆盖到100% / tiers and gaps must reach 100% inclusive")
        return self

    def band_of(self, x: float) -> Tier | Gap | None:
        for t in self.tiers:
            if t.band.contains(x):
                return t
        for g in self.gaps:
            if g.band.contains(x):
                return g
        return None

    def tier_below(self, gap: Gap) -> Tier | None:
        below = [t for t in self.tiers if t.band.max <= gap.band.min]
        return max(below, key=lambda t: t.band.max) if below else None


class GateRule(BaseModel):
    """All or nothing: full points when the condition holds (by the deadline), else 0."""

    kind: Literal["gate"] = "gate"
    condition: str = Field(description="Chinese statement of what must hold")
    deadline: dt.date | None = None


class CountRange(BaseModel):
    """How many defects (or missing elements) a rung admits: an exact number, or min..max (max open)."""

    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _exact(cls, v):
        """`2` is short for {min: 2, max: 2}; "2+" for {min: 2}."""
        if isinstance(v, bool):
            raise ValueError("计数须为整数 / a count must be an integer")
        if isinstance(v, int):
            return {"min": v, "max": v}
        if isinstance(v, str) and v.rstrip("+").isdigit():
            n = int(v.rstrip("+"))
            return {"min": n} if v.endswith("+") else {"min": n, "max": n}
        return v

    def contains(self, n: int) -> bool:
        return n >= self.min and (self.max is None or n <= self.max)

    def label(self) -> str:
        if self.max is None:
            return f"≥{self.min}"
        return str(self.min) if self.min == self.max else f"{self.min}–{self.max}"


class DefectMatch(BaseModel):
    """Which Checks show a defect of a class: by rule id, optionally by title and by computed facts."""

    rule: str = Field(description="rule id (exact), or a prefix ending in '*'")
    title: str | None = Field(None, description="a substring the Check's title must contain")
    data: dict[str, list] = Field(
        default_factory=dict,
        description="Check.data[key] must be one of the values (a list value: any of its items)")
    outcomes: list[Literal["fail", "unknown", "pass", "info"]] = Field(
        default_factory=lambda: ["fail"], description="outcomes that count as the defect")
    merge: bool = Field(False, description="all failures this matcher finds are one defect (e.g. X-1 "
                        "broken in several columns: the carry-over does not match last year's, once)")


class DefectClass(BaseModel):
    """A kind of defect the ladder counts, and how matching Checks are turned into a count."""

    code: str
    name: str = Field(description="Chinese name, e.g. 数据错误")
    match: list[DefectMatch] = Field(min_length=1)
    count: Literal["each", "once", "cells", "list"] = Field(
        "each",
        description="each: every failed Check is one defect; once: all of them together are one; "
        "cells: failed Checks sharing a table cell (Check.data['cells']) are one defect, counted as "
        "the fewest cells that explain all failures; list: the length of Check.data[list_key] "
        "(several documents: the best one counts)")
    list_key: str | None = Field(None, description="count=list: the data key holding the missing items")
    undecided_note: str | None = Field(
        None,
        description="when set, a unit where no Check of this class passed or failed cannot be scored: "
        "insufficient_evidence, with this Chinese note on the material that would decide it")

    _code = field_validator("code")(_snake)

    @model_validator(mode="after")
    def _list_key(self) -> DefectClass:
        if (self.count == "list") != (self.list_key is not None):
            raise ValueError(f"{self.code}: count=list 须且仅须配合 list_key / list_key goes with count=list")
        return self


class Rung(BaseModel):
    """One rung of a ladder: it applies when every count in `when` is in range (empty: otherwise)."""

    when: dict[str, CountRange] = Field(
        default_factory=dict, description="defect code (or 'total') -> admitted count")
    points: float = Field(ge=0)
    label: str = Field(description="Chinese name of the rung, shown in every finding")
    abstain: bool = Field(False, description="the counts show the material cannot decide: insufficient_evidence")
    note: str | None = Field(None, description="abstain: the material that would decide it (Chinese)")


class LadderRule(BaseModel):
    """Count defects (or missing elements) once each, then take the first rung whose counts hold.

    Checks of the unit that match no defect class are noted in the rationale, never deducted."""

    kind: Literal["ladder"] = "ladder"
    defects: list[DefectClass] = Field(min_length=1)
    rungs: list[Rung] = Field(min_length=1)
    coverage_fallback: bool = Field(
        True, description="when no rule examined anything, estimate from the coverage of required elements "
        "(low confidence); false where words cannot stand for the facts (a deadline, a table's arithmetic)")

    @model_validator(mode="after")
    def _consistent(self) -> LadderRule:
        codes = [d.code for d in self.defects]
        if len(set(codes)) != len(codes):
            raise ValueError("缺陷类别代码重复 / duplicate defect codes")
        for r in self.rungs:
            unknown = [k for k in r.when if k not in codes and k != "total"]
            if unknown:
                raise ValueError(f"阶梯“{r.label}”引用了未定义的缺陷类别 {unknown} / rung names unknown defects")
        if self.rungs[-1].when:
            raise ValueError("最后一级阶梯须无条件（兜底）/ the last rung must have no condition: nothing is left to a guess")
        return self

    def rung_for(self, counts: dict[str, int]) -> Rung:
        total = sum(counts.values())
        for r in self.rungs:
            if all(rng.contains(total if k == "total" else counts.get(k, 0)) for k, rng in r.when.items()):
                return r
        return self.rungs[-1]

    def describe(self) -> str:
        """The ladder as one Chinese line (indicators show)."""
        names = {d.code: d.name for d in self.defects} | {"total": "缺陷合计"}
        steps = []
        for r in self.rungs:
            cond = "且".join(f"{names[k]}{v.label()}处" for k, v in r.when.items()) or "其他情形"
            outcome = "材料不足，暂不评分" if r.abstain else f"{fmt_points(r.points)}分"
            steps.append(f"{cond}→{outcome}（{r.label}）")
        return "；".join(steps)


class StateLevel(BaseModel):
    """A state a rule can report (Check.data[key]) and the points it earns."""

    code: str
    points: float = Field(ge=0)
    label: str = Field(description="Chinese name of the rung")
    abstain: bool = Field(False, description="the material cannot decide: insufficient_evidence")
    note: str | None = None

    _code = field_validator("code")(_snake)


class Component(BaseModel):
    code: str = Field(description="key in Check.data[key] (a mapping component -> state)")
    name: str = Field(description="Chinese name, e.g. 信函申请")


class StatesRule(BaseModel):
    """Points by the state a rule reports: one state per Check, or one per component, summed.

    Several Checks (documents) report the same thing: the best state counts."""

    kind: Literal["states"] = "states"
    key: str = Field("state", description="Check.data key holding the state (or the component mapping)")
    coverage_fallback: bool = Field(True, description="as for ladders")
    states: list[StateLevel] = Field(min_length=1)
    components: list[Component] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> StatesRule:
        codes = [s.code for s in self.states]
        if len(set(codes)) != len(codes):
            raise ValueError("状态代码重复 / duplicate state codes")
        return self

    def state(self, code: str) -> StateLevel | None:
        return next((s for s in self.states if s.code == code), None)

    def full_points(self) -> float:
        top = max(s.points for s in self.states)
        return top * len(self.components) if self.components else top

    def describe(self) -> str:
        steps = "；".join(f"{s.label}→" + ("材料不足，暂不评分" if s.abstain else f"{fmt_points(s.points)}分")
                         for s in self.states)
        if self.components:
            return "每项分别计分并相加（" + "、".join(c.name for c in self.components) + f"）：{steps}"
        return steps


PartRule = Annotated[DeductionRule | TieredRule, Field(discriminator="kind")]


class CompositePart(BaseModel):
    code: str
    name: str
    points: float = Field(gt=0)
    rule: PartRule


class CompositeRule(BaseModel):
    """Independently scored parts whose points add up (5.1.3: 质量 + 数量)."""

    kind: Literal["composite"] = "composite"
    parts: list[CompositePart] = Field(min_length=2)


ScoringRule = Annotated[
    AdditiveRule | DeductionRule | TieredRule | GateRule | CompositeRule | LadderRule | StatesRule,
    Field(discriminator="kind"),
]


class Deadline(BaseModel):
    days: int = Field(gt=0)
    day_kind: Literal["working", "calendar"]
    start: str = Field(description="Chinese: the event that starts the clock")
    end: str = Field(description="Chinese: the event that must happen in time")
    basis: str | None = Field(None, description="where the deadline comes from when not the table itself")

    def label(self) -> str:
        unit = "个工作日" if self.day_kind == "working" else "日（自然日）"
        return f"{self.start}起{self.days}{unit}内{self.end}"


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


class Units(BaseModel):
    """牵头单位、责任单位 as printed, and split when the cell names both roles."""

    text: str
    lead: list[str] = Field(default_factory=list)
    responsible: list[str] = Field(default_factory=list)


class SubItem(BaseModel):
    number: int = Field(ge=1)
    points: float = Field(gt=0)
    text: str
    required_elements: list[str] = Field(default_factory=list)
    element_terms: dict[str, list[str]] = Field(
        default_factory=dict, description="per required element: surface forms that show it (any one)")
    keywords: list[str] = Field(default_factory=list, description="added to the indicator's keywords")
    notes: list[Note] = Field(default_factory=list)
    scoring: ScoringRule | None = Field(None, description="None = additive")
    deadline: Deadline | None = None
    step: float | None = Field(None, gt=0, description="评分步长 of this sub-item (else the indicator's)")


class Indicator(BaseModel):
    id: str
    level1: str
    level2: str
    level3: str | None = None
    points: float = Field(gt=0)
    text: str = Field(description="考核要点, exactly as in the table (line-wrap artefacts removed)")
    assessment: str = Field("", description="考评方式")
    units: Units | None = Field(None, description="牵头单位、责任单位")
    evidence_types: list[DocType] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    required_elements: list[str] = Field(default_factory=list, description="when there are no sub-items")
    element_terms: dict[str, list[str]] = Field(default_factory=dict)
    deadline: Deadline | None = None
    scoring: ScoringRule = Field(default_factory=AdditiveRule)
    notes: list[Note] = Field(default_factory=list)
    sub_items: list[SubItem] = Field(default_factory=list)
    step: float | None = Field(None, gt=0, description="评分步长 of this indicator (else the catalog's)")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError(f"指标编号格式错误 / malformed indicator id: {v!r}")
        return v

    @property
    def name(self) -> str:
        """The indicator's name: level3, or level2 where the table has no third level."""
        return self.level3 or self.level2

    @property
    def scoring_kind(self) -> str:
        """One word for the contract's `scoring_kind`; e.g. deduction+tiered when sub-items differ."""
        kinds: list[str] = []
        for u in self.scored_units():
            if u.scoring.kind not in kinds:
                kinds.append(u.scoring.kind)
        return "+".join(kinds)

    def scored_units(self, step: float | None = None) -> list[ScoredUnit]:
        """`step`: the catalog's 评分步长, when it names one."""
        common = {"id": self.id, "name": self.name, "evidence_types": self.evidence_types}
        if not self.sub_items:
            return [ScoredUnit(sub=None, max_points=self.points, text=self.text,
                               required_elements=self.required_elements, element_terms=self.element_terms,
                               keywords=self.keywords, notes=self.notes, scoring=self.scoring,
                               deadline=self.deadline,
                               step=_unit_step(self.step or step, self.points, self.scoring), **common)]
        return [
            ScoredUnit(
                sub=s.number, max_points=s.points, text=s.text, required_elements=s.required_elements,
                element_terms=s.element_terms,
                keywords=_dedupe(self.keywords + s.keywords), notes=self.notes + s.notes,
                scoring=s.scoring or AdditiveRule(), deadline=s.deadline or self.deadline,
                step=_unit_step(s.step or self.step or step, s.points, s.scoring or AdditiveRule()), **common,
            )
            for s in self.sub_items
        ]

    def problems(self, step: float | None = None) -> list[str]:
        """Arithmetic and consistency problems of this entry, each naming it (Chinese / English);
        `step`: the catalog's 评分步长."""
        out: list[str] = []
        if self.sub_items:
            numbers = [s.number for s in self.sub_items]
            if numbers != list(range(1, len(numbers) + 1)):
                out.append(f"{self.id}: 分项编号应为 1..{len(numbers)}，实为 {numbers} / sub-item numbers must run 1..n")
            total = _sum(s.points for s in self.sub_items)
            if total != _sum([self.points]):
                out.append(f"{self.id}: 分项分值合计 {fmt_points(float(total))} ≠ 指标分值 {fmt_points(self.points)}"
                           f" / sub-item points sum {float(total)} != indicator points {self.points}")
            if self.scoring.kind != "additive":
                out.append(f"{self.id}: 有分项的指标按分项相加计分，规则须为 additive，分项可各自设规则"
                           f" / an indicator with sub-items adds them up: put other rules on the sub-items")
        for u in self.scored_units(step):
            out.extend(_rule_problems(u))
        return out


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def fixed_points(rule: ScoringRule, max_points: float) -> list[float]:
    """The point values a scoring rule sets by itself: the item's points, each deduction amount, each
    tier, rung, state and part. (An additive share of the points is not fixed: it is rounded.)"""
    values = [max_points]
    rules: list = [rule]
    if isinstance(rule, CompositeRule):
        values += [p.points for p in rule.parts]
        rules = [p.rule for p in rule.parts]
    for r in rules:
        if isinstance(r, DeductionRule):
            values += [e.amount for e in r.events] + ([r.cap] if r.cap is not None else [])
        elif isinstance(r, TieredRule):
            values += [t.points for t in r.tiers] + [e.amount for e in r.deductions]
        elif isinstance(r, LadderRule):
            values += [g.points for g in r.rungs]
        elif isinstance(r, StatesRule):
            values += [st.points for st in r.states]
    return values


def _unit_step(explicit: float | None, max_points: float, rule: ScoringRule) -> float:
    """The named step, else 0.5 when every fixed value of the rule lies on it, else tenths."""
    if explicit is not None:
        return explicit
    return DEFAULT_STEP if all(on_step(v, DEFAULT_STEP) for v in fixed_points(rule, max_points)) else FINEST_STEP


def _rule_problems(u: ScoredUnit) -> list[str]:
    where = u.key
    rule, out = u.scoring, []
    off = [v for v in fixed_points(rule, u.max_points) if not on_step(v, u.step)]
    if off:
        out.append(f"{where}: 分值 {'、'.join(fmt_points(v) if on_step(v, 0.1) else f'{v:g}' for v in off)} "
                   f"不是评分步长 {u.step:g} 的整数倍 / points not a multiple of the step {u.step:g}")
    for element in u.element_terms:
        if element not in u.required_elements:
            out.append(f"{where}: 要素词表中的“{element}”不是必备要素 / element_terms key not in required_elements")
    note_codes = {n.code for n in u.notes}

    def tiered(r: TieredRule, points: float, label: str) -> None:
        top = max(t.points for t in r.tiers)
        if _sum([top]) != _sum([points]):
            out.append(f"{where}: {label}最高档分值 {fmt_points(top)} ≠ 分值 {fmt_points(points)}"
                       f" / top tier points {top} != points {points}")
        for g in r.gaps:
            if g.note not in note_codes:
                out.append(f"{where}: 空档 {g.band.label()} 引用的备注 {g.note} 不存在 / gap note missing")

    if isinstance(rule, TieredRule):
        tiered(rule, u.max_points, "")
    elif isinstance(rule, LadderRule):
        top = max(r.points for r in rule.rungs)
        if _sum([top]) != _sum([u.max_points]):
            out.append(f"{where}: 阶梯最高分 {fmt_points(top)} ≠ 分值 {fmt_points(u.max_points)}"
                       f" / top rung points {top} != points {u.max_points}")
        if any(r.points > 0 for r in rule.rungs if r.abstain):
            out.append(f"{where}: 材料不足的阶梯须为0分 / an abstaining rung scores 0")
    elif isinstance(rule, StatesRule):
        if _sum([rule.full_points()]) != _sum([u.max_points]):
            out.append(f"{where}: 状态计分满分 {fmt_points(rule.full_points())} ≠ 分值 {fmt_points(u.max_points)}"
                       f" / best states add up to {rule.full_points()} != points {u.max_points}")
        if any(s.points > 0 for s in rule.states if s.abstain):
            out.append(f"{where}: 材料不足的状态须为0分 / an abstaining state scores 0")
    elif isinstance(rule, CompositeRule):
        total = _sum(p.points for p in rule.parts)
        if total != _sum([u.max_points]):
            out.append(f"{where}: 组成部分分值合计 {fmt_points(float(total))} ≠ 分值 {fmt_points(u.max_points)}"
                       f" / composite parts sum {float(total)} != points {u.max_points}")
        for p in rule.parts:
            if isinstance(p.rule, TieredRule):
                tiered(p.rule, p.points, f"“{p.name}”")
    return out


class ScoredUnit(BaseModel):
    """One scored item of the scorecard: a numbered sub-item, or a whole indicator without them."""

    id: str
    sub: int | None
    name: str
    max_points: float
    text: str
    required_elements: list[str]
    element_terms: dict[str, list[str]] = Field(default_factory=dict)
    keywords: list[str]
    evidence_types: list[DocType]
    notes: list[Note]
    scoring: ScoringRule
    deadline: Deadline | None = None
    step: float = Field(DEFAULT_STEP, description="评分步长: a reviewer's points are a multiple of it")

    @property
    def key(self) -> str:
        return self.id if self.sub is None else f"{self.id}({self.sub})"

    def terms_for(self, element: str) -> list[str]:
        """Surface forms whose presence shows the element (the element's own name when none are listed)."""
        return self.element_terms.get(element) or [element]

    def search_terms(self) -> list[str]:
        """Retrieval terms for this unit: its keywords, then the surface forms of its required elements."""
        terms = list(self.keywords)
        for element in self.required_elements:
            terms += self.terms_for(element)
        return _dedupe(terms)


class LevelNode(BaseModel):
    name: str
    points: float = Field(gt=0)
    children: list[LevelNode] = Field(default_factory=list)


class Catalog(BaseModel):
    id: str
    title: str
    applies_to: str = ""
    # the bodies the 适用 line names (e.g. 廊坊开发区): they seed a workspace's unit roster
    assessed_units: list[AssessedUnit] = Field(default_factory=list)
    year: int | None = None
    total_points: float
    source: str = ""
    notes: list[Note] = Field(default_factory=list)
    levels: list[LevelNode]
    indicators: list[Indicator]
    step: float | None = Field(None, gt=0, description="评分步长 of every item not naming its own (default 0.5)")
    _units_cache: tuple[tuple, dict[tuple[str, int | None], ScoredUnit]] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _arithmetic(self) -> Catalog:
        problems = self.problems()
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def problems(self) -> list[str]:
        out: list[str] = []
        for iid, n in Counter(i.id for i in self.indicators).items():
            if n > 1:
                out.append(f"{iid}: 指标编号重复 {n} 次 / duplicate indicator id")
        for ind in self.indicators:
            out.extend(ind.problems(self.step))
        # each stated subtotal must equal the sum of the indicators under it
        for l1 in self.levels:
            under1 = [i for i in self.indicators if i.level1 == l1.name]
            if not under1:
                out.append(f"{l1.name}: 一级指标下没有指标 / level-1 entry has no indicators")
            got = _sum(i.points for i in under1)
            if got != _sum([l1.points]):
                out.append(f"{l1.name}: 所属指标分值合计 {fmt_points(float(got))} ≠ 一级指标分值 {fmt_points(l1.points)}"
                           f" / indicators sum {float(got)} != level-1 subtotal {l1.points}")
            for l2 in l1.children:
                under2 = [i for i in under1 if i.level2 == l2.name]
                got2 = _sum(i.points for i in under2)
                if got2 != _sum([l2.points]):
                    out.append(f"{l1.name}/{l2.name}: 所属指标分值合计 {fmt_points(float(got2))} ≠ 二级指标分值 "
                               f"{fmt_points(l2.points)} / indicators sum {float(got2)} != level-2 subtotal {l2.points}")
        known = {(l1.name, l2.name) for l1 in self.levels for l2 in l1.children}
        for ind in self.indicators:
            if (ind.level1, ind.level2) not in known:
                out.append(f"{ind.id}: 一级/二级指标“{ind.level1}/{ind.level2}”不在分级小计表中"
                           f" / levels not declared in `levels`")
        whole = _sum(lv.points for lv in self.levels)
        if whole != _sum([self.total_points]):
            out.append(f"{self.id}: 一级指标分值合计 {fmt_points(float(whole))} ≠ 总分 {fmt_points(self.total_points)}"
                       f" / level-1 subtotals sum {float(whole)} != total {self.total_points}")
        return out

    # --- lookups -----------------------------------------------------------------------------

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def select(self, prefix: str | None) -> list[Indicator]:
        """Indicators whose id equals `prefix` or lies under it (5.1 -> 5.1.1 ... 5.1.6)."""
        if not prefix:
            return list(self.indicators)
        return [i for i in self.indicators if i.id == prefix or i.id.startswith(prefix + ".")]

    def scored_units(self) -> list[ScoredUnit]:
        return list(self._units().values())

    def unit(self, indicator_id: str, sub: int | None = None) -> ScoredUnit:
        try:
            return self._units()[(indicator_id, sub)]
        except KeyError:
            raise KeyError(f"{indicator_id}({sub})") from None

    def _units(self) -> dict[tuple[str, int | None], ScoredUnit]:
        """The scored units by (id, sub), built once per catalog content: a screen of a hundred units asks
        thousands of times (issue 15). Keyed by the content's identity, so a changed copy builds its own."""
        key = (id(self.indicators), tuple(id(i) for i in self.indicators), self.step)
        if self._units_cache is None or self._units_cache[0] != key:
            units = {(u.id, u.sub): u for ind in self.indicators for u in ind.scored_units(self.step)}
            self._units_cache = (key, units)
        return self._units_cache[1]


# --------------------------------------------------------------------------------------------
# The id list (the spec's indicator-ids.tsv, shipped beside the catalog)
# --------------------------------------------------------------------------------------------


class IdRow(BaseModel):
    id: str
    level1: str
    level2: str
    level3: str | None
    points: float
    sub_points: dict[int, float]
    scoring_kind: str


def read_ids_tsv(path: Path) -> list[IdRow]:
    rows: list[IdRow] = []
    with path.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            subs: dict[int, float] = {}
            for part in rec["sub_items (number:points)"].split():
                num, _, pts = part.partition(":")
                if num.isdigit():
                    subs[int(num)] = float(pts)
            rows.append(IdRow(
                id=rec["id"], level1=rec["level1"], level2=rec["level2"],
                level3=None if rec["level3"] in ("", "-") else rec["level3"],
                points=float(rec["points"]), sub_points=subs, scoring_kind=rec["scoring_kind"],
            ))
    return rows


def check_against_ids(cat: Catalog, rows: list[IdRow]) -> list[str]:
    """The catalog must list exactly the ids of the tsv, with the same names and points."""
    out: list[str] = []
    by_id = {r.id: r for r in rows}
    ids = [i.id for i in cat.indicators]
    for missing in [r.id for r in rows if r.id not in set(ids)]:
        out.append(f"{missing}: 编号表中有、目录中缺少 / id in the id list but not in the catalog")
    for ind in cat.indicators:
        row = by_id.get(ind.id)
        if row is None:
            out.append(f"{ind.id}: 目录中有、编号表中没有 / id not in the id list")
            continue
        for fld in ("level1", "level2", "level3"):
            if getattr(ind, fld) != getattr(row, fld):
                out.append(f"{ind.id}: {fld}“{getattr(ind, fld)}”与编号表“{getattr(row, fld)}”不一致 / name mismatch")
        if _sum([ind.points]) != _sum([row.points]):
            out.append(f"{ind.id}: 指标分值 {fmt_points(ind.points)} 与编号表 {fmt_points(row.points)} 不一致"
                       f" / points differ from the id list")
        subs = {s.number: s.points for s in ind.sub_items}
        if subs and row.sub_points and subs != row.sub_points:
            out.append(f"{ind.id}: 分项分值 {subs} 与编号表 {row.sub_points} 不一致 / sub-item points differ")
    if ids != [r.id for r in rows if r.id in set(ids)]:
        out.append("指标顺序与编号表不一致 / indicator order differs from the id list")
    return out


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def list_catalogs() -> list[str]:
    """Ids of the catalogs shipped in the package."""
    return sorted(p.stem for p in CATALOG_DIR.glob("*.yaml"))


def resolve_catalog(id_or_path: str | Path) -> Path:
    p = Path(id_or_path)
    if p.suffix in (".yaml", ".yml") or p.is_file():
        if not p.is_file():
            raise CatalogError(f"考核指标目录文件不存在 / catalog file not found: {p}")
        return p
    shipped = CATALOG_DIR / f"{id_or_path}.yaml"
    if not shipped.is_file():
        raise CatalogError(
            f"未知的考核指标目录“{id_or_path}”，可用：{'、'.join(list_catalogs()) or '无'}"
            f" / unknown catalog {id_or_path!r}"
        )
    return shipped


def load_catalog(id_or_path: str | Path = DEFAULT_CATALOG) -> Catalog:
    """A validated catalog by id (package `indicators/catalogs/`) or by file path.

    Cached per file version and shared between callers: treat it as read-only (model_copy to change).
    """
    path = resolve_catalog(id_or_path).resolve()
    ids = path.with_name(f"{path.stem}.ids.tsv")
    return _load(path, path.stat().st_mtime_ns, ids.stat().st_mtime_ns if ids.is_file() else None)


@lru_cache(maxsize=16)
def _load(path: Path, _mtime: int, _ids_mtime: int | None) -> Catalog:
    """Cached per file version (the id list's too): edits are picked up, repeated loads are free."""
    data = read_mapping(path, CatalogError, "无法读取考核指标目录 {name} / unreadable catalog: {exc}",
                        "考核指标目录 {name} 不是映射结构 / catalog is not a mapping")
    try:
        cat = Catalog.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"考核指标目录 {path.name} 校验失败 / invalid catalog:\n{_explain(exc, data)}") from None
    ids_file = path.with_name(f"{path.stem}.ids.tsv")
    if ids_file.is_file():
        problems = check_against_ids(cat, read_ids_tsv(ids_file))
        if problems:
            raise CatalogError(f"考核指标目录 {path.name} 与编号表 {ids_file.name} 不一致 / "
                               f"catalog differs from its id list:\n" + "\n".join(problems))
    return cat


def _explain(exc: ValidationError, data: dict) -> str:
    """Pydantic errors with the entry they belong to (indicator id rather than list index)."""
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            entry = (data.get("indicators") or [{}])[loc[1]]
            loc[:2] = [entry.get("id", loc[1]) if isinstance(entry, dict) else loc[1]]
        where = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}" if where else msg)
    return "\n".join(lines)


def dump_catalog(cat: Catalog) -> str:
    """The YAML text of a catalog (used by the importer), without defaults that add nothing."""
    data = cat.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
