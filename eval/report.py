"""Human-readable (Chinese, Markdown) rendering of a metrics.json object."""

from __future__ import annotations

from typing import Any

from core.document import DOC_TYPE_LABELS, DocType
from core.findings import FLAG_LABELS

ROWS = [  # key, label, kind
    ("items", "评分项数", "count"),
    ("verdict_accuracy", "判定准确率", "pct"),
    ("verdict_kappa", "加权kappa", "kappa"),
    ("points_mae", "每项分值平均绝对误差", "points"),
    ("total_abs_error", "每例总分平均绝对误差", "points"),
    ("citation_precision", "引文精确率", "pct"),
    ("citation_recall", "引文召回率", "pct"),
    ("citation_verbatim", "引文逐字可核率", "pct"),
    ("abstention_rate", "“材料不足”占比", "pct"),
]
VERDICT_LABELS = {"met": "符合", "partial": "部分符合", "not_met": "不符合", "insufficient_evidence": "材料不足"}


def fmt(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "points":
        return f"{value:.2f}分"
    if kind == "kappa":
        return f"{value:.3f}"
    return str(value)


def _doc_type_label(key: str) -> str:
    try:
        return DOC_TYPE_LABELS[DocType(key)]
    except ValueError:
        return key


def _group_table(groups: dict[str, dict[str, Any]], first: str, label=lambda k: k) -> list[str]:
    keys = ["items", "verdict_accuracy", "points_mae", "citation_recall", "abstention_rate"]
    heads = [next(lbl for k, lbl, _ in ROWS if k == key) for key in keys]
    lines = [f"| {first} | " + " | ".join(heads) + " |", "|" + " --- |" * (len(keys) + 1)]
    for name, g in groups.items():
        cells = [fmt(g.get(k), next(kind for kk, _, kind in ROWS if kk == k)) for k in keys]
        lines.append(f"| {label(name)} | " + " | ".join(cells) + " |")
    return lines


def render_markdown(metrics: dict[str, Any], title: str = "评测报告") -> str:
    lines = [f"# {title}", "", f"样例 {metrics.get('cases', 0)} 个，评分项 {metrics.get('items', 0)} 个"
             + (f"，其中助手未给出结论 {metrics['missing_items']} 个" if metrics.get("missing_items") else "")
             + (f"，用时 {metrics['seconds']:.1f} 秒" if metrics.get("seconds") is not None else "") + "。", "",
             "| 指标 | 数值 |", "| --- | --- |"]
    lines += [f"| {label} | {fmt(metrics.get(key), kind)} |" for key, label, kind in ROWS]
    confusion = metrics.get("verdict_confusion")
    if confusion:
        cols = list(VERDICT_LABELS)
        lines += ["", "## 判定对照（行：人工，列：助手）", "",
                  "| 人工＼助手 | " + " | ".join(VERDICT_LABELS[c] for c in cols) + " |",
                  "|" + " --- |" * (len(cols) + 1)]
        lines += [f"| {VERDICT_LABELS[g]} | " + " | ".join(str(confusion[g].get(c, 0)) for c in cols) + " |"
                  for g in cols if g in confusion]
    if metrics.get("by_indicator"):
        lines += ["", "## 按指标", "", *_group_table(metrics["by_indicator"], "指标编号")]
    if metrics.get("by_doc_type"):
        lines += ["", "## 按材料类型", "", *_group_table(metrics["by_doc_type"], "材料类型", _doc_type_label)]
    lines += _doc_type_section(metrics.get("doc_type_confusion") or {})
    return "\n".join(lines) + "\n"


def _doc_type_section(confusion: dict[str, Any]) -> list[str]:
    """Document-type classification against the gold types (cases whose gold.yaml has `documents:`)."""
    matrix = confusion.get("matrix") or {}
    if not matrix:
        return []
    cols = sorted({got for row in matrix.values() for got in row}, key=lambda k: (k not in matrix, k))
    lines = ["", "## 材料类型识别（行：人工标注，列：助手识别）", "",
             f"已标注类型的材料 {confusion.get('files', 0)} 件，识别一致率 {fmt(confusion.get('accuracy'), 'pct')}。", "",
             "| 人工＼助手 | " + " | ".join(_doc_type_label(c) if c != "missing" else "未入库" for c in cols) + " |",
             "|" + " --- |" * (len(cols) + 1)]
    lines += [f"| {_doc_type_label(g)} | " + " | ".join(str(row.get(c, 0)) for c in cols) + " |"
              for g, row in matrix.items()]
    wrong = confusion.get("misclassified") or []
    if wrong:
        lines += ["", "识别不一致的材料：", ""]
        for w in wrong:
            conf = w.get("confidence")
            sure = f"，把握{conf:.0%}" if isinstance(conf, int | float) else ""
            got = _doc_type_label(w["got"]) if w["got"] != "missing" else "未入库"
            lines.append(f"- {_cell(w.get('case', ''))}《{_cell(w['file'])}》：人工标注{_doc_type_label(w['gold'])}，"
                         f"助手识别为{got}{sure}")
    return lines


# ---------------------------------------------------------------- the harness report (report.md)

_KEY_LABELS = {k: lbl for k, lbl, _ in ROWS} | {"cases": "样例数", "missing_items": "未给出结论的项数",
                                                 "seconds": "用时（秒）", "chat_accuracy": "问答正确率"}
_KEY_KINDS = {k: kind for k, _, kind in ROWS} | {"cases": "count", "missing_items": "count", "seconds": "seconds",
                                                 "chat_accuracy": "pct"}


def _cell(text: Any) -> str:
    """Markdown table cell: no pipes or line breaks of its own."""
    return str(text).replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _fmt_key(key: str, value: Any) -> str:
    kind = _KEY_KINDS.get(key, "count")
    if kind == "seconds":
        return "—" if value is None else f"{value:.1f}"
    if kind == "count" and isinstance(value, float) and value.is_integer():
        value = int(value)
    return fmt(value, kind)


def _fmt_change(key: str, change: float | None) -> str:
    if change is None:
        return "—"
    kind = _KEY_KINDS.get(key, "count")
    if kind == "pct":
        return f"{change * 100:+.1f}个百分点"
    if kind in ("points", "kappa"):
        return f"{change:+.3f}" if kind == "kappa" else f"{change:+.2f}分"
    return f"{change:+.1f}" if kind == "seconds" else f"{change:+g}"


def _verdict(v: str) -> str:
    return VERDICT_LABELS.get(v, v)


def _item_label(item: dict[str, Any]) -> str:
    sub = f"（第{item['sub']}项）" if item.get("sub") is not None else ""
    return f"{item['case']}　{item['id']}{sub} {item.get('name', '')}".rstrip()


def _quotes(quotes: list[dict[str, Any]]) -> str:
    if not quotes:
        return "（无）"
    lines = []
    for q in quotes:
        page = f"第{q['page']}页" if q.get("page") else ""
        lines.append(f"《{q['file']}》{page}：“{q['quote']}”")
    return "<br>".join(_cell(x) for x in lines)


def _case_table(per_case: list[dict[str, Any]]) -> list[str]:
    lines = ["| 样例 | 单位 | 年度 | 评分项 | 判定一致 | 人工分 | 建议分 | 模型调用 | 缓存命中 | 词元（输入/输出） | 用时（秒） | 说明 |",
             "|" + " --- |" * 12]
    for c in per_case:
        llm = c.get("llm", {})
        note = {"skipped": "未评测", "failed": "助手未能运行"}.get(c.get("status", "ok"), "")
        if c.get("failed_files"):
            note += f"{len(c['failed_files'])}个文件解析失败"
        if not note and c.get("warnings"):
            note = "有警告"
        lines.append(
            f"| {_cell(c['case'])} | {_cell(c.get('unit', ''))} | {c.get('year') or '—'} | {c.get('items', 0)} | "
            f"{c.get('correct', 0)} | {c.get('gold_points', 0):.1f} | {c.get('suggested_points', 0):.1f} | "
            f"{llm.get('calls', 0)} | {llm.get('cache_hits', 0)} | "
            f"{llm.get('prompt_tokens', 0)}/{llm.get('completion_tokens', 0)} | {c.get('seconds', 0):.1f} | {note} |")
    return lines


def _comparison_section(comparison) -> list[str]:
    lines = ["", "## 与上次评测对比", "", "| 指标 | 上次 | 本次 | 变化 | |", "| --- | --- | --- | --- | --- |"]
    for d in comparison.overall:
        mark = "**▼ 变差**" if d.worse else ("▲ 改善" if d.better else "")
        lines.append(f"| {_KEY_LABELS.get(d.key, d.key)} | {_fmt_key(d.key, d.old)} | {_fmt_key(d.key, d.new)} | "
                     f"{_fmt_change(d.key, d.change)} | {mark} |")
    worse_groups = [d for d in comparison.groups if d.worse]
    if worse_groups:
        lines += ["", "按指标、按材料类型变差的项：", "", "| 范围 | 指标 | 上次 | 本次 | 变化 |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {_cell(d.scope)} | {_KEY_LABELS.get(d.key, d.key)} | {_fmt_key(d.key, d.old)} | "
                  f"{_fmt_key(d.key, d.new)} | **{_fmt_change(d.key, d.change)}** |" for d in worse_groups]
    n = len(comparison.regressions)
    lines += ["", f"共 {n} 处变差。" if n else "没有变差的指标。"]
    return lines


def _worst_section(worst: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## 误差最大的评分项（人工与助手对照）", ""]
    if not worst:
        return [*lines, "全部评分项判定和分值均与人工一致。"]
    for n, item in enumerate(worst, 1):
        g, a = item["gold"], item["assistant"]
        flags = "、".join(FLAG_LABELS.get(f, f) for f in a.get("flags", [])) or "—"
        lines += [f"### {n}. {_cell(_item_label(item))}", "",
                  "| | 人工评分 | 助手建议 |", "| --- | --- | --- |",
                  f"| 结论 | {_verdict(g['verdict'])} | {_verdict(a['verdict'])}"
                  + ("" if a.get("answered", True) else "（未给出结论）") + " |",
                  f"| 得分 | {g['points']:.1f} | {a['points']:.1f}（{item['points_error']:+.1f}） |",
                  f"| 依据 | {_quotes(g['evidence'])} | {_quotes(a['citations'])} |",
                  f"| 理由 | {_cell(g.get('notes') or '—')} | {_cell(a.get('rationale') or '—')} |",
                  f"| 来源／提示 | — | {a.get('source', 'none')}／{_cell(flags)} |", ""]
    return lines


def _chat_section(figures: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    """The chat questions (chat.yaml): how many were answered with the right fact and a right citation."""
    lines = ["", "## 问答（chat.yaml）", "",
             f"问题 {figures.get('questions', 0)} 个：事实与引文均正确 {figures.get('correct', 0)} 个"
             f"（{fmt(figures.get('accuracy'), 'pct')}）；回答事实正确率 {fmt(figures.get('answer_accuracy'), 'pct')}，"
             f"引文正确率 {fmt(figures.get('citation_accuracy'), 'pct')}；材料未提及的问题 "
             f"{figures.get('silent_questions', 0)} 个，答对 {figures.get('silent_correct', 0)} 个。"]
    wrong = [r for r in records if not r["correct"]]
    if wrong:
        lines += ["", "| 问题 | 样例 | 应答 | 助手回答 | 事实 | 引文 |", "| --- | --- | --- | --- | --- | --- |"]
        for r in wrong:
            expected = "材料未提及" if r["silent"] else "、".join(r["facts"])
            lines.append(f"| {_cell(r['question'])} | {_cell(r['case'])} | {_cell(expected)} | "
                         f"{_cell(r['answer'].split(chr(10) * 2, 1)[0])} | {'✓' if r['answer_ok'] else '✗'} | "
                         f"{'✓' if r['citation_ok'] else '✗'} |")
    return lines


def render_report(metrics: dict[str, Any], items: list[dict[str, Any]], comparison=None,
                  chart: str | None = "points_error.png", worst: int = 10,
                  chat: list[dict[str, Any]] | None = None) -> str:
    """report.md of `zwgk eval`: the figures, the confusion matrix, per case, the worst items, regressions."""
    from eval.harness import worst_items

    title = "评测报告" + ("（大模型：" + metrics["llm"] + "）" if metrics.get("llm") not in (None, "none") else "（离线）")
    lines = render_markdown(metrics, title=title).rstrip("\n").split("\n")
    if comparison is not None:
        lines += _comparison_section(comparison)
    if chart:
        lines += ["", "## 分值误差", "", f"![每项分值误差与按指标的平均绝对误差]({chart})"]
    usage = metrics.get("usage") or {}
    lines += ["", "## 各样例", "", *_case_table(metrics.get("per_case", [])), "",
              f"模型调用合计 {usage.get('calls', 0)} 次（缓存命中 {usage.get('cache_hits', 0)} 次，放弃 "
              f"{usage.get('failures', 0)} 项），输入 {usage.get('prompt_tokens', 0)} 个词元，输出 "
              f"{usage.get('completion_tokens', 0)} 个词元，等待模型 {usage.get('seconds', 0.0):.1f} 秒。"]
    lines += _worst_section(worst_items(items, worst))
    if metrics.get("chat"):
        lines += _chat_section(metrics["chat"], chat or [])
    notes = [*metrics.get("problems", [])]
    notes += [w for c in metrics.get("per_case", []) if c.get("status") == "ok" for w in c.get("warnings", [])]
    if notes:
        lines += ["", "## 问题与警告", "", *[f"- {_cell(x)}" for x in notes]]
    return "\n".join(lines) + "\n"
