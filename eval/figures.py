"""The points-error chart of the evaluation report (matplotlib, CJK font from Debian's Noto / WenQuanYi)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from assistant.fonts import use_cjk_font


def points_error_figure(items: Sequence[dict[str, Any]], by_indicator: Mapping[str, Mapping[str, Any]]):
    """Left: how the signed per-item errors (assistant − gold) are distributed; right: MAE per indicator."""
    use_cjk_font()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1, 1.2]})
    errors = [i["points_error"] for i in items]
    if errors:
        step = 0.25  # bins centred on multiples of a quarter point
        lo = math.floor(min(min(errors), -0.5) / step) * step
        hi = math.ceil(max(max(errors), 0.5) / step) * step
        bins = [lo - step / 2 + k * step for k in range(round((hi - lo) / step) + 2)]
        left.hist(errors, bins=bins, color="#2f6fb3", edgecolor="white")
        left.axvline(0, color="#555555", linewidth=1)
    else:
        left.text(0.5, 0.5, "无评分项", ha="center", va="center", transform=left.transAxes)
    left.set_xlabel("建议分 − 人工分（分）")
    left.set_ylabel("评分项数")
    left.set_title("每项分值误差分布（负值：助手给分偏低）")

    names = [k for k, v in by_indicator.items() if v.get("points_mae") is not None]
    values = [by_indicator[k]["points_mae"] for k in names]
    if names:
        bars = right.barh(names[::-1], values[::-1], color="#c0504d")
        for bar, v in zip(bars, values[::-1], strict=True):
            right.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v:.2f}", va="center", fontsize=8)
        right.set_xlim(0, max([*values, 0.5]) * 1.2)
    right.set_xlabel("平均绝对误差（分）")
    right.set_title("按指标的分值平均绝对误差")
    fig.tight_layout()
    return fig
