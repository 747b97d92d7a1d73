"""Overview figures for the office head: ranking of totals, units x indicators heat map."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from assistant.fonts import use_cjk_font
from assistant.scorecard import Scorecard, totals_of


def _points(sc: Scorecard) -> float:
    return sc.totals().reviewed  # the unit's one total (assistant.scorecard.totals_of)


def ranking_figure(cards: list[Scorecard]):
    use_cjk_font()
    cards = sorted(cards, key=_points, reverse=True)
    fig, ax = plt.subplots(figsize=(10, max(2.5, 0.5 * len(cards) + 1.2)))
    names = [sc.unit for sc in cards]
    values = [_points(sc) for sc in cards]
    bars = ax.barh(names[::-1], values[::-1], color="#2f6fb3")
    for bar, v in zip(bars, values[::-1], strict=True):
        ax.text(bar.get_width() + 0.5, bar.get_y() + bar.get_height() / 2, f"{v:.1f}", va="center")
    ax.set_xlim(0, 100)
    ax.set_xlabel("得分（已复核项取复核得分，其余取建议得分）")
    ax.set_title("各单位得分排名")
    fig.tight_layout()
    return fig


def heatmap_figure(cards: list[Scorecard]):
    use_cjk_font()
    if not cards:
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "暂无预审结果", ha="center", va="center")
        ax.axis("off")
        return fig
    ids: list[str] = []
    for it in cards[0].items:
        if it.id not in ids:
            ids.append(it.id)
    grid = []
    for sc in cards:
        row = []
        for iid in ids:
            t = totals_of(i for i in sc.items if i.id == iid)
            row.append(t.reviewed / t.max_points if t.max_points else 0)
        grid.append(row)
    fig, ax = plt.subplots(figsize=(max(10, 0.3 * len(ids) + 3), 0.55 * len(cards) + 2.2))
    im = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(ids)), ids, rotation=90, fontsize=8)
    ax.set_yticks(range(len(cards)), [sc.unit for sc in cards])
    ax.set_title("各单位各指标得分率")
    fig.colorbar(im, ax=ax, fraction=0.02, label="得分率")
    fig.tight_layout()
    return fig
