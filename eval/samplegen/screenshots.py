"""Web-page screenshots as PNG (Pillow + Noto Sans CJK): 机构信息, 申请指南, column listings.

The image imitates a portal page: a coloured banner with the site name, a navigation bar, a
breadcrumb, a title and body lines (paragraphs wrap; `kv` lines draw a two-column row; `row` lines
draw a listing entry with its date on the right). Text is large enough for OCR to read cleanly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from eval.samplegen.common import NOTO_SANS_BOLD_TTC, NOTO_SANS_TTC, NOTO_SC_INDEX

WIDTH = 1280
MARGIN = 90
BODY_SIZE = 24
LINE_GAP = 14


class Line(BaseModel):
    kind: Literal["h", "p", "kv", "row", "cols"]
    text: str = ""
    value: str = ""  # kv value / row date
    cells: list[str] = []  # cols: one text per column of Screenshot.columns


class Screenshot(BaseModel):
    site: str
    url: str
    nav: list[str]
    breadcrumb: str
    title: str
    lines: list[Line]
    footer: str
    columns: list[int] = []  # relative widths of `cols` lines (a listing table)


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    return ImageFont.truetype(str(NOTO_SANS_BOLD_TTC if bold else NOTO_SANS_TTC), size, index=NOTO_SC_INDEX)


NO_LINE_START = "，。；：、）》」』”’！？"  # Chinese typesetting keeps these at the end of a line


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if draw.textlength(current + ch, font=font) > width and current and ch not in NO_LINE_START:
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines


def render(shot: Screenshot, path: Path) -> None:
    from PIL import Image, ImageDraw

    body, bold, small, cell_font = _font(BODY_SIZE), _font(BODY_SIZE, True), _font(18), _font(20)
    probe = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    inner = WIDTH - 2 * MARGIN
    # lay out first, then draw on a canvas of the right height
    ops: list[tuple[str, int, str, object]] = []
    y = 250
    for line in shot.lines:
        if line.kind == "h":
            y += 10
            ops.append(("text", y, line.text, bold))
            y += BODY_SIZE + LINE_GAP + 6
        elif line.kind == "p":
            for part in _wrap(probe, line.text, body, inner):
                ops.append(("text", y, part, body))
                y += BODY_SIZE + LINE_GAP
        elif line.kind == "kv":
            value_lines = _wrap(probe, line.value, body, inner - 220)
            ops.append(("key", y, line.text, bold))
            for part in value_lines:
                ops.append(("value", y, part, body))
                y += BODY_SIZE + LINE_GAP
            ops.append(("rule", y - 6, "", None))
            y += 6
        elif line.kind == "cols":
            total = sum(shot.columns)
            x, tallest = MARGIN, 1
            for width, cell in zip(shot.columns, line.cells, strict=True):
                w = inner * width // total
                parts = _wrap(probe, cell, cell_font, w - 16)
                for k, part in enumerate(parts):
                    ops.append(("at", y + k * 26, part, (x, cell_font)))
                tallest = max(tallest, len(parts))
                x += w
            y += tallest * 26 + 14
            ops.append(("rule", y - 8, "", None))
        elif line.kind == "row":
            ops.append(("text", y, "· " + line.text, body))
            ops.append(("date", y, line.value, body))
            y += BODY_SIZE + LINE_GAP + 8
    height = y + 140
    img = Image.new("RGB", (WIDTH, height), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, WIDTH, 110], fill=(176, 30, 35))
    d.text((MARGIN, 30), shot.site, font=_font(40, True), fill="white")
    d.rectangle([0, 110, WIDTH, 160], fill=(235, 235, 235))
    x = MARGIN
    for item in shot.nav:
        d.text((x, 120), item, font=small, fill=(60, 60, 60))
        x += int(d.textlength(item, font=small)) + 40
    d.text((MARGIN, 172), "当前位置：" + shot.breadcrumb, font=small, fill=(90, 90, 90))
    d.text((MARGIN, 205), shot.title, font=_font(30, True), fill=(20, 20, 20))
    for op, oy, text, font in ops:
        if op in ("text", "key"):
            d.text((MARGIN, oy), text, font=font, fill=(30, 30, 30))
        elif op == "at":
            (ax, afont) = font
            d.text((ax, oy), text, font=afont, fill=(30, 30, 30))
        elif op == "value":
            d.text((MARGIN + 220, oy), text, font=font, fill=(30, 30, 30))
        elif op == "date":
            d.text((WIDTH - MARGIN - int(d.textlength(text, font=font)), oy), text, font=font, fill=(90, 90, 90))
        elif op == "rule":
            d.line([MARGIN, oy, WIDTH - MARGIN, oy], fill=(220, 220, 220), width=1)
    d.line([0, height - 80, WIDTH, height - 80], fill=(200, 200, 200), width=2)
    d.text((MARGIN, height - 60), shot.footer, font=small, fill=(110, 110, 110))
    d.text((WIDTH - MARGIN - int(d.textlength(shot.url, font=small)), height - 60), shot.url, font=small,
           fill=(110, 110, 110))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG", optimize=True)
