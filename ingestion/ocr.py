"""OCR of images and scanned pages with RapidOCR (PP-OCRv4 models inside the wheel, no download).

The engine is loaded once, lazily (0.2 s), and shared. RapidOCR returns text boxes; they are
grouped into lines (boxes whose vertical centres lie within half a line height) and each line is
read left to right, lines top to bottom.

Full-width digits and letters from the recogniser ("５") become ASCII.

文号 repair: RapidOCR reliably misreads the 〔〕 brackets of document numbers as 【】, [], （） or ()
(stack-notes.md §3). Inside a 文号 pattern — an issuer abbreviation ending in 发/办/函/字, a year,
a serial number and 号, e.g. "香政办发【2023】12号" — the brackets are rewritten to 〔〕. Brackets
elsewhere are left as read.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

_engine: Any = None
_lock = threading.Lock()

_WENHAO = re.compile(
    r"((?:县|市|省)?[^\s，。；、,;]{1,6}?(?:发|办|函|字))\s*[【\[（(〔]\s*(20\d\d)\s*[】\]）)〕]\s*(\d+)\s*号"
)


_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                    for c in range(r[0], r[1] + 1)}


def fix_wenhao_brackets(text: str) -> str:
    return _WENHAO.sub(r"\1〔\2〕\3号", text)


def clean_ocr_text(text: str) -> str:
    """OCR noise, not document text: full-width digits/letters the recogniser emits for isolated
    characters ("５") become ASCII; 文号 brackets are repaired. Full-width punctuation stays."""
    return fix_wenhao_brackets(text.translate(_FULLWIDTH_ALNUM))


def engine() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR()
    return _engine


@dataclass
class OcrLine:
    text: str
    top: float
    left: float
    height: float


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def group_lines(boxes: list[tuple[list[list[float]], str]]) -> list[OcrLine]:
    """Boxes (4 corner points, text) -> lines in reading order."""
    items = []
    for points, text in boxes:
        ys = [p[1] for p in points]
        xs = [p[0] for p in points]
        items.append((min(ys), max(ys), min(xs), max(xs), text))
    items.sort(key=lambda it: ((it[0] + it[1]) / 2, it[2]))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for it in items:
        centre = (it[0] + it[1]) / 2
        if rows:
            last = rows[-1]
            top = min(i[0] for i in last)
            bottom = max(i[1] for i in last)
            if abs(centre - (top + bottom) / 2) <= (bottom - top) / 2:
                last.append(it)
                continue
        rows.append([it])
    lines = []
    for row in rows:
        row.sort(key=lambda i: i[2])
        text = ""
        prev_right = None
        height = max(i[1] - i[0] for i in row)
        for _top, _bottom, left, right, piece in row:
            if text and prev_right is not None:
                gap = left - prev_right
                if gap > height or (_is_word_char(text[-1]) and _is_word_char(piece[:1])):
                    text += " "
            text += piece
            prev_right = right
        lines.append(OcrLine(fix_wenhao_brackets(text.strip()), min(i[0] for i in row),
                             min(i[2] for i in row), height))
    return [ln for ln in lines if ln.text]


def ocr_boxes(image: Any) -> list[tuple[list[list[float]], str]]:
    """OCR a numpy RGB/BGR array or an image path; returns text boxes (4 corner points, text)."""
    result, _elapsed = engine()(image)
    return [(box, clean_ocr_text(text)) for box, text, _score in result or []]
