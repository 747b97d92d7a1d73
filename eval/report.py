"""Human-readable (Chinese, Markdown) rendering of a metrics.json object."""

from __future__ import annotations

from typing import Any

from ingestion.models import DOC_TYPE_LABELS, DocType

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
    return "\n".join(lines) + "\n"
