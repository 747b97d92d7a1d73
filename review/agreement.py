"""How far the assistant agrees with the reviewers: per unit, per indicator and per sub-item.

One computation (`agreement`) on typed records (`ReviewedItem`: an item's current suggestion beside its
reviewer decision), used by `zwgk agreement`, the 一致性 tab and `zwgk gold export`. The figures are
those of the eval (eval/metrics.py) with the reviewer as gold: verdict agreement is `verdict_accuracy`
and the mean absolute point difference `points_mae`, so `zwgk eval` on an exported unit reports the
same figures for it as long as the assistant still proposes what the unit's current result holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

from assistant.checkpoints import item_key
from assistant.scorecard import Scorecard, ScoreItem
from core.findings import Citation, Verdict
from indicators.scoring import verdict_for_points
from review.store import Decision

DECIDED = ("confirmed", "overridden")
TOP_REASONS = 3  # override reasons shown per group
CLUSTERS = 10  # items listed where overrides cluster


class ReviewedItem(BaseModel):
    """One decided item: what the assistant proposes now beside what the reviewer decided."""

    unit: str
    year: int | None = None
    key: str  # "1.1.9#1", the store's item key
    id: str
    sub: int | None = None
    label: str  # "1.1.9 年度报告（第1项）"
    max_points: float
    assistant_verdict: Verdict
    assistant_points: float
    citations: list[Citation] = Field(default_factory=list)  # the assistant's, as the reviewer saw them
    reviewer_verdict: Verdict
    reviewer_points: float
    overridden: bool
    reason: str = ""
    comment: str = ""
    reviewer: str = ""
    rule_error: bool = False
    rule_note: str = ""
    suggestion_changed: bool = False  # a re-run changed the suggestion after the decision

    @property
    def agreed(self) -> bool:
        return self.assistant_verdict == self.reviewer_verdict

    @property
    def point_diff(self) -> float:
        """Reviewer minus assistant: positive where the assistant gave too little."""
        return self.reviewer_points - self.assistant_points


class UnitReview(BaseModel):
    """A unit's review progress and its decided items."""

    unit: str
    year: int | None = None
    total: int  # items of its scorecard
    items: list[ReviewedItem] = Field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total > 0 and len(self.items) == self.total


def reviewer_verdict(item: ScoreItem, d: Decision) -> Verdict:
    """The verdict a decision stands for. Decisions stored before verdicts were kept: a confirm of the
    suggestion still shown takes its verdict, anything else the verdict its points stand for."""
    if d.verdict is not None:
        return d.verdict
    if d.status == "confirmed" and d.suggested_points is not None \
            and abs(d.suggested_points - item.suggested_points) < 1e-9:
        return item.verdict
    return verdict_for_points(d.points or 0.0, item.max_points)


def unit_review(sc: Scorecard, decisions: Mapping[str, Decision]) -> UnitReview:
    """The decided items of one unit's scorecard (keys as in the store), in catalog order."""
    out = []
    for item in sc.items:
        key = item_key(item.id, item.sub)
        d = decisions.get(key)
        if d is None or d.status not in DECIDED or d.points is None:
            continue
        out.append(ReviewedItem(
            unit=sc.unit, year=sc.year, key=key, id=item.id, sub=item.sub, label=item.label,
            max_points=item.max_points, assistant_verdict=item.verdict, assistant_points=item.suggested_points,
            citations=list(item.citations), reviewer_verdict=reviewer_verdict(item, d), reviewer_points=d.points,
            overridden=d.status == "overridden", reason=d.reason, comment=d.comment, reviewer=d.reviewer,
            rule_error=d.rule_error, rule_note=d.rule_note, suggestion_changed=d.suggestion_changed,
        ))
    return UnitReview(unit=sc.unit, year=sc.year, total=len(sc.items), items=out)


def collect(service, units: Iterable[str] | None = None) -> list[UnitReview]:
    """Every pre-screened unit of a ReviewService's workspace (or the named ones) with its decisions."""
    out = []
    for unit in (units if units is not None else service.units()):
        sc = service.scorecard(unit)
        if sc is not None:
            out.append(unit_review(sc, service.decisions(unit)))
    return out


# ---------------------------------------------------------------- figures


class ReasonCount(BaseModel):
    reason: str
    count: int


class AgreementStats(BaseModel):
    items: int  # items reviewed
    agreed: int  # same verdict as the reviewer
    verdict_agreement: float | None  # agreed / items (the eval's verdict_accuracy)
    mean_abs_point_diff: float | None  # mean |reviewer - assistant| (the eval's points_mae)
    mean_point_diff: float | None  # mean reviewer - assistant: > 0 the assistant gives too little
    overrides: int
    override_rate: float | None
    rule_errors: int  # overrides marked 规则有误
    top_reasons: list[ReasonCount] = Field(default_factory=list)  # most common override reasons


class ItemAgreement(AgreementStats):
    key: str
    id: str
    sub: int | None = None
    label: str
    units_overridden: list[str] = Field(default_factory=list)


class RuleErrorEntry(BaseModel):
    """One override marked 规则有误: the work list of rules to fix."""

    unit: str
    key: str
    label: str
    assistant_verdict: Verdict
    assistant_points: float
    reviewer_verdict: Verdict
    reviewer_points: float
    reason: str
    note: str
    reviewer: str
    file: str | None = None  # the assistant's first citation: the passage the rule read
    page: int | None = None
    quote: str = ""


class UnitProgress(BaseModel):
    unit: str
    year: int | None = None
    reviewed: int
    total: int


class AgreementReport(BaseModel):
    units: list[UnitProgress]
    overall: AgreementStats
    by_unit: dict[str, AgreementStats]
    by_indicator: dict[str, AgreementStats]
    by_item: dict[str, ItemAgreement]  # by store key, catalog order
    clusters: list[ItemAgreement]  # the items where overrides and disagreements gather, worst first
    rule_errors: list[RuleErrorEntry]


def _ratio(num: float, den: int) -> float | None:
    return num / den if den else None


def _reason(text: str) -> str:
    return text.strip().rstrip("。；;，, ")


def stats(items: Sequence[ReviewedItem]) -> AgreementStats:
    n = len(items)
    overrides = [i for i in items if i.overridden]
    reasons = Counter(r for i in overrides if (r := _reason(i.reason)))
    return AgreementStats(
        items=n, agreed=sum(i.agreed for i in items),
        verdict_agreement=_ratio(sum(i.agreed for i in items), n),
        mean_abs_point_diff=_ratio(sum(abs(i.point_diff) for i in items), n),
        mean_point_diff=_ratio(sum(i.point_diff for i in items), n),
        overrides=len(overrides), override_rate=_ratio(len(overrides), n),
        rule_errors=sum(i.rule_error for i in overrides),
        top_reasons=[ReasonCount(reason=r, count=c) for r, c in reasons.most_common(TOP_REASONS)],
    )


def _group(items: Iterable[ReviewedItem], key) -> dict[str, list[ReviewedItem]]:
    out: dict[str, list[ReviewedItem]] = {}
    for i in items:  # first-seen order: every scorecard lists its items in catalog order
        out.setdefault(key(i), []).append(i)
    return out


def rule_error_entry(i: ReviewedItem) -> RuleErrorEntry:
    first = i.citations[0] if i.citations else None
    return RuleErrorEntry(
        unit=i.unit, key=i.key, label=i.label, assistant_verdict=i.assistant_verdict,
        assistant_points=i.assistant_points, reviewer_verdict=i.reviewer_verdict, reviewer_points=i.reviewer_points,
        reason=i.reason, note=i.rule_note, reviewer=i.reviewer, file=first.file if first else None,
        page=first.page if first else None, quote=first.quote if first else "",
    )


def agreement(reviews: Sequence[UnitReview]) -> AgreementReport:
    """The figures of `zwgk agreement` and the 一致性 tab over the decided items of these units."""
    items = [i for r in reviews for i in r.items]
    by_item = {}
    for key, group in _group(items, lambda i: i.key).items():
        first = group[0]
        by_item[key] = ItemAgreement(
            **stats(group).model_dump(), key=key, id=first.id, sub=first.sub, label=first.label,
            units_overridden=[i.unit for i in group if i.overridden])
    order = {k: n for n, k in enumerate(by_item)}
    # where to look first: most overrides, then most disagreements, then rules marked wrong, catalog order
    clusters = sorted((a for a in by_item.values() if a.overrides or a.agreed < a.items),
                      key=lambda a: (-a.overrides, -(a.items - a.agreed), -a.rule_errors, order[a.key]))
    return AgreementReport(
        units=[UnitProgress(unit=r.unit, year=r.year, reviewed=len(r.items), total=r.total) for r in reviews],
        overall=stats(items),
        by_unit={u: stats(g) for u, g in _group(items, lambda i: i.unit).items()},
        by_indicator={k: stats(g) for k, g in _group(items, lambda i: i.id).items()},
        by_item=by_item,
        clusters=clusters[:CLUSTERS],
        rule_errors=[rule_error_entry(i) for i in items if i.overridden and i.rule_error],
    )


# ---------------------------------------------------------------- tables (CLI and tab)

STATS_HEADERS = ["已复核项", "判定一致", "一致率", "平均分差（绝对值）", "平均偏差（复核−助手）", "改分项", "规则有误", "常见改分理由"]
UNIT_HEADERS = ["单位", "考核年度", "复核进度", *STATS_HEADERS[1:]]
INDICATOR_HEADERS = ["指标", *STATS_HEADERS]
ITEM_HEADERS = ["评分项", *STATS_HEADERS]
CLUSTER_HEADERS = ["评分项", "改分项", "判定不一致", "规则有误", "改分单位", "常见改分理由"]
RULE_HEADERS = ["单位", "评分项", "助手", "复核", "改分理由", "规则有误说明", "引文"]


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "—"
    x = x if abs(x) >= 0.005 else 0.0  # no "-0.00"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def reasons_text(reasons: Sequence[ReasonCount]) -> str:
    return "；".join(f"{r.reason}（{r.count}）" for r in reasons)


def _stats_cells(s: AgreementStats) -> list:
    return [s.items, s.agreed, pct(s.verdict_agreement), num(s.mean_abs_point_diff), num(s.mean_point_diff, True),
            s.overrides, s.rule_errors, reasons_text(s.top_reasons)]


def unit_rows(report: AgreementReport) -> list[list]:
    rows = []
    for u in report.units:
        s = report.by_unit.get(u.unit) or stats([])
        rows.append([u.unit, u.year or "—", f"{u.reviewed}/{u.total}", *_stats_cells(s)[1:]])
    return rows


def indicator_rows(report: AgreementReport) -> list[list]:
    return [[k, *_stats_cells(s)] for k, s in report.by_indicator.items()]


def item_rows(report: AgreementReport) -> list[list]:
    return [[a.label, *_stats_cells(a)] for a in report.by_item.values()]


def cluster_rows(report: AgreementReport) -> list[list]:
    return [[a.label, a.overrides, a.items - a.agreed, a.rule_errors, "、".join(dict.fromkeys(a.units_overridden)),
             reasons_text(a.top_reasons)] for a in report.clusters]


def _verdict_points(v: Verdict, p: float) -> str:
    return f"{v.label} {p:.1f}"


def quote_text(e: RuleErrorEntry) -> str:
    if not e.quote:
        return "（无引文）"
    where = e.file + (f" 第{e.page}页" if e.page else "") if e.file else ""
    return f"{where}：“{e.quote}”" if where else f"“{e.quote}”"


def rule_rows(report: AgreementReport) -> list[list]:
    return [[e.unit, e.label, _verdict_points(e.assistant_verdict, e.assistant_points),
             _verdict_points(e.reviewer_verdict, e.reviewer_points), e.reason, e.note, quote_text(e)]
            for e in report.rule_errors]


def summary_line(report: AgreementReport) -> str:
    s = report.overall
    if not s.items:
        return "尚无复核决定：在评分表中确认或改分后，这里显示助手与复核人的一致性。"
    return (f"共 {len(report.by_unit)} 个单位、{s.items} 项已复核：判定一致 {s.agreed} 项（{pct(s.verdict_agreement)}），"
            f"平均分差 {num(s.mean_abs_point_diff)} 分，改分 {s.overrides} 项，其中标记规则有误 {s.rule_errors} 项。")
