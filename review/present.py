"""What the review screens show, as plain data and Markdown (no Gradio here, so it is unit-tested).

Chinese civil-service conventions: points with one decimal, dates as 2023年1月31日 (times in Beijing
time, since the office works in it), indicator names exactly as in the catalog.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from assistant.checkpoints import item_key
from assistant.export import BEIJING
from assistant.scorecard import Scorecard, ScoreItem
from core.document import DOC_TYPE_LABELS, DocType, Document, IngestStatus
from core.findings import FLAG_LABELS, VERDICT_LABELS, Citation, Flag, Source
from indicators.units import LEVEL_LABELS, ROSTER_LEVELS
from indicators.units import SOURCE_LABELS as LEVEL_SOURCE_LABELS
from review.store import ACTION_LABELS, AuditEntry, Decision

TABLE_HEADERS = ["编号", "一级指标", "指标名称", "满分", "建议得分", "复核得分", "结论", "复核状态", "提示"]
# Plain text, no emoji: the office's machines (and headless Chromium here) have no colour-emoji font.
STATUS_LABELS = {"confirmed": "已确认", "overridden": "已改分", "pending": "待复核"}
# Row colours: decided items green/orange, items the assistant wants a human to look at red.
STATUS_COLORS = {"confirmed": "#e6f4ea", "overridden": "#fff1db", "pending": "#ffffff", "attention": "#fde2e2"}
UPLOAD_HEADERS = ["文件", "材料类型", "页数", "分块", "状态", "说明"]
MATERIAL_HEADERS = ["文件", "材料类型", "识别把握", "识别依据"]
AUTO_TYPE = "auto"  # the type dropdown's "back to the classifier" choice
UNIT_LEVEL_HEADERS = ["单位", "级别", "依据", "上级单位"]
OVERVIEW_HEADERS = ["单位", "考核年度", "满分", "建议得分", "复核后得分", "已复核", "待讨论"]
NO_ITEM = "在评分表中点击一行，查看该项的考核要点、审查意见和原文引文。"


def date_cn(d: dt.date | None = None) -> str:
    d = d or dt.datetime.now(BEIJING).date()
    return f"{d.year}年{d.month}月{d.day}日"


def time_cn(iso: str | None) -> str:
    """A stored UTC ISO timestamp as 2023年1月31日 14:05 (Beijing time)."""
    if not iso:
        return ""
    t = dt.datetime.fromisoformat(iso)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    t = t.astimezone(BEIJING)
    return f"{date_cn(t.date())} {t:%H:%M}"


def pts(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def key_of(item: ScoreItem) -> str:
    return item_key(item.id, item.sub)


def label_of(item: ScoreItem) -> str:
    return item.id + (f"（{item.sub}）" if item.sub is not None else "")


def flags_cn(flags: list[str]) -> str:
    return "、".join(FLAG_LABELS.get(f, f) for f in flags)


def row_status(item: ScoreItem, decision: Decision | None) -> str:
    if decision is None or decision.status == "pending":
        return "attention" if Flag.needs_human in item.flags else "pending"
    return decision.status


def status_label(decision: Decision | None) -> str:
    label = STATUS_LABELS.get(decision.status if decision else "pending", STATUS_LABELS["pending"])
    if decision and decision.suggestion_changed:
        label += "（建议分已变化）"
    if decision and decision.discuss:
        label += "｜待讨论"
    return label


def scorecard_rows(sc: Scorecard, decisions: dict[str, Decision]) -> tuple[list[list[str]], list[str]]:
    """Table rows and each row's status (for its colour)."""
    rows, statuses = [], []
    for it in sc.items:
        d = decisions.get(key_of(it))
        decided = d is not None and d.status in ("confirmed", "overridden")
        # needs_human first, so the reviewer sees it even when the column is narrow
        flags = flags_cn(sorted(it.flags, key=lambda f: f != Flag.needs_human))
        rows.append([label_of(it), it.level1, it.name, pts(it.max_points), pts(it.suggested_points),
                     pts(d.points) if decided else "", VERDICT_LABELS[it.verdict], status_label(d), flags])
        statuses.append(row_status(it, d))
    return rows, statuses


# Which rows the reviewer wants to see; each filter is a test on (item, decision, row status).
ROW_FILTERS = {
    "全部": lambda it, d, st: True,
    "需人工复核": lambda it, d, st: st == "attention",
    "待复核": lambda it, d, st: st in ("pending", "attention"),
    "已复核": lambda it, d, st: st in ("confirmed", "overridden"),
    "建议分已变化": lambda it, d, st: bool(d and d.suggestion_changed),
    "待讨论": lambda it, d, st: bool(d and d.discuss),
}


def scorecard_frame(sc: Scorecard | None, decisions: dict[str, Decision], show: str = "全部",
                    current: str | None = None):
    """A pandas Styler (Gradio's Dataframe keeps its background colours), rows filtered by `show`; the
    item in the panel (`current`) in bold."""
    if sc is None:
        return pd.DataFrame(columns=TABLE_HEADERS)
    rows, statuses = scorecard_rows(sc, decisions)
    keep = ROW_FILTERS.get(show, ROW_FILTERS["全部"])
    picked = [i for i, it in enumerate(sc.items) if keep(it, decisions.get(key_of(it)), statuses[i])]
    bold = [key_of(sc.items[i]) == current for i in picked]
    rows, statuses = [rows[i] for i in picked], [statuses[i] for i in picked]
    df = pd.DataFrame(rows, columns=TABLE_HEADERS)

    def style(r):
        css = f"background-color: {STATUS_COLORS[statuses[r.name]]}"
        return [css + ("; font-weight: bold" if bold[r.name] else "")] * len(r)

    return df.style.apply(style, axis=1)


def decided(decision: Decision | None) -> bool:
    return decision is not None and decision.status in ("confirmed", "overridden")


def progress_line(sc: Scorecard | None) -> str:
    """The queue's one line: how far the review is and where the total stands (Scorecard.totals)."""
    if sc is None:
        return ""
    t = sc.totals()
    done = "全部已审" if t.complete else f"剩余 {t.remaining}"
    return f"已审 {t.decided}/{t.items}，{done}，预计总分 {t.reviewed:.1f}"


def totals_markdown(sc: Scorecard | None) -> str:
    """The scorecard header: per 一级指标 and in all, by the one total (sc carries the decisions)."""
    if sc is None:
        return "尚未预审。请在“材料与预审”中上传材料并开始预审。"
    t = sc.totals()
    attention = sum(1 for it in sc.items if Flag.needs_human in it.flags)
    lines = [f"**{sc.unit}**　考核年度：{f'{sc.year}年' if sc.year else '未识别'}　"
             f"已复核 {t.decided}/{t.items} 项　需人工复核 {attention} 项", "",
             "| 一级指标 | 满分 | 建议得分 | 复核后得分 |", "| --- | ---: | ---: | ---: |"]
    for name, lv in sc.level1_totals().items():
        lines.append(f"| {name} | {lv.max_points:.1f} | {lv.suggested:.1f} | {lv.reviewed:.1f} |")
    lines.append(f"| **合计** | **{t.max_points:.1f}** | **{t.suggested:.1f}** | **{t.reviewed:.1f}** |")
    lines.append("\n行颜色：绿色已确认，橙色已改分，红色为助手提示需人工复核的项，加粗为当前项。"
                 "复核后得分中，未复核的项按建议得分计。")
    return "\n".join(lines)


# --- the review queue ------------------------------------------------------------------------------

def shown_keys(sc: Scorecard | None, decisions: dict[str, Decision], show: str = "全部") -> list[str]:
    """The items the table shows under a filter, in catalog order."""
    if sc is None:
        return []
    keep = ROW_FILTERS.get(show, ROW_FILTERS["全部"])
    return [key_of(it) for it in sc.items
            if keep(it, decisions.get(key_of(it)), row_status(it, decisions.get(key_of(it))))]


def next_pending(sc: Scorecard | None, decisions: dict[str, Decision], after: str | None = None) -> str | None:
    """The next unreviewed item after `after` in catalog order, wrapping round; None when all are decided."""
    if sc is None:
        return None
    keys = [key_of(it) for it in sc.items]
    start = keys.index(after) + 1 if after in keys else 0
    for key in keys[start:] + keys[:start]:
        if not decided(decisions.get(key)):
            return key
    return None


def step_key(keys: list[str], current: str | None, step: int) -> str | None:
    """下一条 (+1) / 上一条 (-1) among the shown items; from nowhere, the first (or last)."""
    if not keys:
        return None
    if current not in keys:
        return keys[0] if step > 0 else keys[-1]
    return keys[min(max(keys.index(current) + step, 0), len(keys) - 1)]


def bulk_markdown(items: list[ScoreItem]) -> str:
    """What the bulk confirmation is about to confirm, item by item, for the dialog."""
    if not items:
        return "没有可批量确认的项：待复核的项中，没有由规则判定、带有可核实引文且无需人工复核的项。"
    total = sum(it.suggested_points for it in items)
    lines = [f"**将按建议得分确认以下 {len(items)} 项（合计 {total:.1f} 分），每项单独记入复核记录：**", "",
             "| 编号 | 指标名称 | 建议得分 | 结论 | 引文数 |", "| --- | --- | ---: | --- | ---: |"]
    for it in items:
        lines.append(f"| {label_of(it)} | {_cell(it.name)} | {it.suggested_points:.1f} | "
                     f"{VERDICT_LABELS[it.verdict]} | {len([c for c in it.citations if c.doc_id])} |")
    return "\n".join(lines)


def decision_note(ok: bool, text: str) -> str:
    """The line beside the decision buttons: a save, or why nothing was saved (the page stays as it was)."""
    return text if ok else f'<span class="zw-err">{html.escape(text)}</span>'


def citation_label(n: int, c: Citation, width: int = 60) -> str:
    page = f" 第{c.page}页" if c.page else ""
    quote = c.quote if len(c.quote) <= width else c.quote[:width] + "…"
    label = getattr(c, "label", None)  # a chat answer's table cell: its table, row and column
    return f"[{n}] {c.file}{page}：" + (f"{label} = {quote}" if label else f"“{quote}”")


def citation_value(n: int, c: Citation) -> str:
    return f"{c.doc_id}|{c.start}|{c.end}|{n}"


def citation_choices(citations: list[Citation]) -> list[tuple[str, str]]:
    return [(citation_label(n, c), citation_value(n, c)) for n, c in enumerate(citations, 1) if c.doc_id]


def parse_citation_value(value: str) -> tuple[str, int, int]:
    doc_id, start, end, _n = value.split("|")
    return doc_id, int(start), int(end)


def item_markdown(item: ScoreItem | None, decision: Decision | None) -> str:
    if item is None:
        return NO_ITEM
    lines = [
        f"### {label_of(item)} {item.name}（满分 {item.max_points:.1f} 分）",
        f"**考核要点：** {html.escape(item.requirement or '（指标表未列明）')}",
        f"**结论：** {VERDICT_LABELS[item.verdict]}　**建议得分：** {item.suggested_points:.1f} 分　"
        f"**依据来源：** {Source(item.source).label}",
        f"**提示：** {flags_cn(item.flags) or '无'}",
        f"**审查意见：** {html.escape(item.rationale)}",
    ]
    if decision and decision.version and decision.status != "pending":
        lines.append(f"**复核：** {STATUS_LABELS.get(decision.status, decision.status)}　"
                     f"复核得分 {pts(decision.points)} 分　复核人 {decision.reviewer}　{time_cn(decision.updated_at)}"
                     + (f"　理由：{html.escape(decision.reason)}" if decision.reason else ""))
    if decision and decision.comment:
        lines.append(f"**备注：** {html.escape(decision.comment)}")
    if decision and decision.discuss:
        lines.append("**已标记待讨论。**")
    if decision and decision.suggestion_changed:
        lines.append("**注意：重新预审后建议得分已变化，请再次确认。**")
    if not item.citations:
        lines.append("_（本项没有可核实的原文引文）_")
    return "\n\n".join(lines)


def _audit_change(e: AuditEntry) -> str:
    old, new = e.old or {}, e.new or {}
    if e.action in ("confirm", "override"):
        return f"{pts(old.get('points'))} → {pts(new.get('points'))} 分"
    if e.action == "comment":
        return f"备注：{new.get('comment') or '（清空）'}"
    if e.action == "discuss":
        return "标记待讨论" if new.get("discuss") else "取消待讨论"
    return ""


def _cell(text: str) -> str:
    """Free text inside a Markdown table cell: escaped, one line, no column breaks."""
    return html.escape(" ".join(text.split())).replace("|", "&#124;")


def history_markdown(entries: list[AuditEntry]) -> str:
    """An item's decision history: who, when, what, old → new, reason."""
    if not entries:
        return "**复核记录：** 暂无。"
    lines = ["**复核记录**", "", "| 时间 | 复核人 | 操作 | 变化 | 理由 |", "| --- | --- | --- | --- | --- |"]
    for e in reversed(entries):
        lines.append(f"| {time_cn(e.at)} | {_cell(e.reviewer)} | {ACTION_LABELS.get(e.action, e.action)} | "
                     f"{_cell(_audit_change(e))} | {_cell(e.reason or '')} |")
    return "\n".join(lines)


def overview_rows(cards: list[Scorecard], decisions: dict[str, dict[str, Decision]]) -> list[list[str]]:
    rows = []
    for sc in cards:
        ds, t = decisions.get(sc.unit, {}), sc.totals()
        rows.append([sc.unit, f"{sc.year}年" if sc.year else "", pts(t.max_points), pts(t.suggested),
                     pts(t.reviewed), f"{t.decided}/{t.items}", str(sum(1 for d in ds.values() if d.discuss))])
    return rows


AUTO_YEAR = "auto"


def year_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The assessment year: usually last year's work, assessed early this year."""
    this = (today or dt.datetime.now(BEIJING).date()).year
    return [("自动识别（取材料中最新年度）", AUTO_YEAR)] + [(f"{y}年", str(y)) for y in range(this, this - 8, -1)]


def parse_year(value: str | None) -> int | None:
    return int(value) if value and value != AUTO_YEAR else None


def upload_rows(uploads) -> list[list[str]]:
    """The upload table (uploads: review.service.Upload): how each file was taken, and anything to know."""
    rows = []
    for u in uploads:
        r = u.result
        failed = str(r.status) == "error"
        rows.append([r.file, DOC_TYPE_LABELS.get(r.doc_type, "") if r.doc_type else "", str(r.pages or ""),
                     "" if failed else str(r.chunks), IngestStatus(r.status).label,
                     "".join(x for x in (r.error, u.note) if x)])
    return rows


def doc_type_choices() -> list[tuple[str, str]]:
    """The materials tab's type dropdown: every type by its Chinese label, and "automatic"."""
    return [("自动识别（取消人工指定）", AUTO_TYPE)] + [(DOC_TYPE_LABELS[t], t.value) for t in DocType]


def parse_doc_type(value: str | None) -> DocType | None:
    return None if not value or value == AUTO_TYPE else DocType(value)


def confidence_label(doc: Document) -> str:
    if doc.doc_type_overridden:
        return "人工指定"
    if doc.doc_type_confidence is None:
        return ""
    return f"{doc.doc_type_confidence:.0%}" + ("（待确认）" if doc.doc_type_uncertain else "")


def material_rows(documents: list[Document]) -> list[list[str]]:
    """One row per stored document: its type, how sure the classifier was, and why."""
    return [[d.file, DOC_TYPE_LABELS[d.doc_type], confidence_label(d), "；".join(d.doc_type_signals)]
            for d in sorted(documents, key=lambda d: d.file)]
def unit_level_rows(rows) -> list[list[str]]:
    """The roster table of the materials tab (rows: review.service.UnitLevel)."""
    return [[r.name, LEVEL_LABELS[r.level], LEVEL_SOURCE_LABELS[r.source] if r.source else "无法推断，请设置",
             r.parent or ""] for r in rows]


def level_choices() -> list[tuple[str, str]]:
    return [(LEVEL_LABELS[lv], lv.value) for lv in ROSTER_LEVELS]
