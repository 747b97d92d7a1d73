"""The CJK font for every chart the project draws (UI overview and evaluation report): Debian's Noto or WenQuanYi."""

from __future__ import annotations

_CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"]


def use_cjk_font() -> None:
    import matplotlib.pyplot as plt  # imported here: only the callers that draw pay for matplotlib
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    chosen = [f for f in _CJK_FONTS if f in available]
    if chosen:
        plt.rcParams["font.sans-serif"] = chosen + plt.rcParams["font.sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
