"""Label normalisation and matching for the annual-report tables and headings.

Real reports print the official labels with width variants (full/half width), stray spaces and line
breaks, different quote marks around 三安全一稳定, "，" instead of "、" in the (六) items, and the
numbering prefix (一、 / （三） / 1.) glued to the label or in its own cell. Matching therefore runs on
a key form: NFKC, numbering prefix removed, every character that is not CJK/letter/digit removed.
Order of tests: exact key, then containment of a canonical label of >= 4 characters, then
rapidfuzz `fuzz.ratio` >= FUZZY_THRESHOLD (88: tolerates one or two OCR character errors in a
10-30 character label; two different official labels never score that high against each other).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from core.textnorm import normalize

FUZZY_THRESHOLD = 88.0
MIN_CONTAINED_LEN = 4  # shorter canonical labels (其他, 总计, 规章) must match exactly

_CN_NUM = "一二三四五六七八九十"
# one numbering marker: 一、 / 一. / （一） / (一) / 1. / 1、 / 1．/ 第一部分
NUMBERING = re.compile(
    rf"(?:[{_CN_NUM}]{{1,3}}[、.．,，]|[（(][{_CN_NUM}\d]{{1,3}}[)）][、.．]?|\d{{1,2}}[.．、](?!\d)|第[{_CN_NUM}]{{1,3}}部分[、:：]?)"
)
_NON_WORD = re.compile(r"[^\w]|_")


def strip_numbering(text: str) -> str:
    text = normalize(text)
    while True:
        m = NUMBERING.match(text)
        if not m or m.end() == len(text):
            return text
        text = text[m.end():]


def label_key(text: str) -> str:
    """The comparison form of a label: numbering and punctuation dropped."""
    return _NON_WORD.sub("", strip_numbering(text))


def split_segments(text: str) -> list[str]:
    """Split glued labels ("（三）不予公开1.属于国家秘密") at numbering markers, keeping non-empty keys."""
    norm = normalize(text)
    cuts = [m.start() for m in NUMBERING.finditer(norm) if m.start() > 0]
    pieces, prev = [], 0
    for c in [*cuts, len(norm)]:
        pieces.append(norm[prev:c])
        prev = c
    return [k for k in (label_key(p) for p in pieces) if k]


@dataclass(frozen=True)
class LabelMatch:
    key: str
    score: float  # 100 exact, 95 contained, else the fuzzy ratio


class LabelMatcher:
    """Canonical keys with one or more official spellings each."""

    def __init__(self, entries: dict[str, list[str]]):
        self.entries = [(key, label_key(lbl)) for key, labels in entries.items() for lbl in labels]

    def match(self, text: str, threshold: float = FUZZY_THRESHOLD) -> LabelMatch | None:
        k = label_key(text)
        if not k:
            return None
        for key, canon in self.entries:
            if k == canon:
                return LabelMatch(key, 100.0)
        contained = [(len(c), key) for key, c in self.entries if len(c) >= MIN_CONTAINED_LEN and c in k]
        if contained:
            return LabelMatch(max(contained)[1], 95.0)
        best: LabelMatch | None = None
        for key, canon in self.entries:
            if len(canon) < MIN_CONTAINED_LEN:
                continue
            score = fuzz.ratio(k, canon)
            if score >= threshold and (best is None or score > best.score):
                best = LabelMatch(key, score)
        return best
