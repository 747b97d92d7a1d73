"""A checklist item as the prompts see it, built from the catalog's typed indicator and scored unit.

The scoring rule is rendered into Chinese (扣分情形, 分档, 达标条件, 时限, 说明), so the model reads
the same rule the scoring module applies, and its template is chosen by the rule's kind.
"""

from __future__ import annotations

from pydantic import BaseModel

from indicators.catalog import (
    AdditiveRule,
    CompositeRule,
    DeductionEvent,
    DeductionRule,
    GateRule,
    Indicator,
    ScoredUnit,
    ScoringRule,
    TieredRule,
    fmt_points,
)

_TEMPLATES = {
    "additive": "checklist_additive",
    "deduction": "checklist_deduction",
    "tiered": "checklist_tiered",
    "gate": "checklist_gate",
    "composite": "checklist_tiered",  # parts computed from counts and shares (5.1.3: 质量 + 数量)
}


class ChecklistItem(BaseModel):
    """One scored unit with everything its prompt needs."""

    indicator_id: str
    sub: int | None = None
    level1: str
    level2: str
    level3: str | None = None
    requirement: str  # 考核要点 (of the sub-item when `sub` is set)
    max_points: float
    scoring_kind: str = "additive"  # additive | deduction | tiered | gate | composite | ladder | states
    scoring_detail: str = ""  # the rule in Chinese, from the catalog

    @property
    def path(self) -> str:
        return " > ".join(x for x in (self.level1, self.level2, self.level3) if x)

    @property
    def scope(self) -> str:
        points = f"{fmt_points(self.max_points)}分"
        return f"第{self.sub}项（{points}）" if self.sub is not None else f"整项（{points}）"

    @property
    def template(self) -> str:
        return _TEMPLATES.get(self.scoring_kind, "checklist_additive")

    @classmethod
    def from_unit(cls, indicator: Indicator, unit: ScoredUnit) -> ChecklistItem:
        return cls(
            indicator_id=unit.id, sub=unit.sub, level1=indicator.level1, level2=indicator.level2,
            level3=indicator.level3, requirement=unit.text, max_points=unit.max_points,
            scoring_kind=unit.scoring.kind, scoring_detail=scoring_detail(unit),
        )


def _date_zh(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _events(events: list[DeductionEvent]) -> str:
    return "；".join(f"{e.name}，{e.per}扣{fmt_points(e.amount)}分" for e in events)


def _rule_zh(rule: ScoringRule, max_points: float) -> str:
    if isinstance(rule, AdditiveRule):
        return "按考核要点逐条达标计分"
    if isinstance(rule, DeductionRule):
        cap = f"，最多扣{fmt_points(rule.cap)}分" if rule.cap is not None else "，扣完为止"
        return f"扣分情形：{_events(rule.events)}{cap}"
    if isinstance(rule, TieredRule):
        tiers = "；".join(f"{t.band.label()}得{fmt_points(t.points)}分"
                         for t in sorted(rule.tiers, key=lambda t: -t.band.max))
        text = f"按{rule.measure_name}分档：{tiers}"
        if rule.gaps:
            text += "；考核要点未规定的区间：" + "、".join(g.band.label() for g in rule.gaps) + "（落入时须人工复核）"
        if rule.deductions:
            text += f"；另扣分：{_events(rule.deductions)}"
        return text
    if isinstance(rule, GateRule):
        by = f"（截止{_date_zh(rule.deadline)}）" if rule.deadline else ""
        return f"达标条件：{rule.condition}{by}；达标得{fmt_points(max_points)}分，否则不得分"
    if isinstance(rule, CompositeRule):
        return "由以下部分分别计分后相加：" + "；".join(
            f"{p.name}（{fmt_points(p.points)}分）——{_rule_zh(p.rule, p.points)}" for p in rule.parts
        )
    if rule.kind in ("ladder", "states"):  # the reviewers' ladder, as the catalog states it
        return f"按阶梯计分（先计缺陷或状态，再取对应档次）：{rule.describe()}"
    return ""


def scoring_detail(unit: ScoredUnit) -> str:
    """The unit's scoring rule, deadline, required elements and notes, in Chinese."""
    parts = [_rule_zh(unit.scoring, unit.max_points)]
    if unit.deadline is not None:
        parts.append(f"时限：{unit.deadline.label()}")
    if unit.required_elements:
        parts.append("应包含的要素：" + "、".join(unit.required_elements))
    parts += [f"说明：{n.text}" for n in unit.notes]
    return "\n".join(p for p in parts if p)
