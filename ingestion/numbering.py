"""Chinese heading numbering: 一、 （一） 1. （1） -> heading levels 1-4 (第X章 1, 第X节 2).

A numbered line is taken as a heading only when it is short, does not read as a full sentence
(run-in headings such as "（一）加强领导。各单位要……" stay paragraphs: they are body text) and is
not a table row laid out as text (a label followed by two or more numbers, or tab-separated).
"""

from __future__ import annotations

import re

_CN_NUM = "一二三四五六七八九十百零〇"
_LEVELS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^\s*第[{_CN_NUM}]+章")),
    (2, re.compile(rf"^\s*第[{_CN_NUM}]+节")),
    (1, re.compile(rf"^\s*[{_CN_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^\s*[（(]\s*[{_CN_NUM}]+\s*[）)]")),
    (3, re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)")),
    (4, re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]")),
]
MAX_HEADING_CHARS = 40
_TABLE_ROW = re.compile(r"(\s+[-\d.,%]+){2,}\s*$|\t")


def numbering_level(text: str) -> int | None:
    """The level implied by the line's leading number, whatever its length."""
    for level, pattern in _LEVELS:
        if pattern.match(text):
            return level
    return None


def heading_level(text: str) -> int | None:
    """Heading level of a line, or None for body text."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or "\n" in stripped:
        return None
    level = numbering_level(stripped)
    if level is None:
        return None
    body = stripped.rstrip("。；;")
    if "。" in body:  # a sentence follows the number: run-in heading, keep as paragraph
        return None
    if _TABLE_ROW.search(stripped):  # "（一）予以公开  3  1  0  4": a table row laid out as text
        return None
    return level
