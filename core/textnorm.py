"""Normalised text for matching, with a map back to the original offsets.

Documents keep their original text for display and citation offsets; matching (citation
verification, label lookup, retrieval) runs on a normalised form: NFKC (full/half width, and the
Kangxi radicals that real PDFs use for 人/民/长/门 fold back to the ordinary characters) with all
whitespace removed (PDF line breaks fall inside words in Chinese text).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class NormText:
    text: str
    # origin[i] = index in the original text of the character that produced normalised char i
    origin: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span back to the smallest original span covering it."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        orig_start = self.origin[start]
        orig_end = self.origin[end - 1] + 1
        return orig_start, orig_end


def normalize_char(ch: str) -> str:
    if ch.isspace() or ch in "\u200b\u200c\u200d\ufeff\u00ad":
        return ""
    return unicodedata.normalize("NFKC", ch)


class _FoldTable(dict):
    """str.translate table filled on first sight of each character: the per-character fold at the
    speed of one C loop over the text (per-character Python calls cost ~0.5 ms a PDF page)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = normalize_char(chr(code))
        return folded


_FOLD = _FoldTable()


def normalize_long(text: str) -> str:
    """The normalised form of any text, uncached (whole documents)."""
    return text.translate(_FOLD)


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """The normalised form of a short string (labels, quotes, queries)."""
    return text.translate(_FOLD)


def normalize_with_map(text: str) -> NormText:
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for piece in _FOLD[ord(ch)]:
            out.append(piece)
            origin.append(i)
    return NormText("".join(out), tuple(origin), len(text))


def find_normalized(haystack: NormText, needle: str, near: int | None = None) -> tuple[int, int] | None:
    """Find `needle` in the normalised haystack; return the ORIGINAL span, or None.

    With several occurrences, the one whose original start is closest to `near` wins
    (a model's offsets may be approximate, its quote exact).
    """
    target = normalize(needle)
    if not target:
        return None
    hits: list[int] = []
    pos = haystack.text.find(target)
    while pos != -1:
        hits.append(pos)
        if near is None:
            break
        pos = haystack.text.find(target, pos + 1)
    if not hits:
        return None
    if near is not None:
        hits.sort(key=lambda p: abs(haystack.origin[p] - near))
    best = hits[0]
    return haystack.to_original(best, best + len(target))


def split_outside_brackets(text: str, separators: str, opening: str = "（(", closing: str = "）)") -> list[str]:
    """The stripped, non-empty pieces of `text` cut at each separator that stands outside brackets:
    "各乡镇（区、办）、各部门" at 、 gives ["各乡镇（区、办）", "各部门"]. A stray closing bracket opens nothing."""
    pieces, current, depth = [], "", 0
    for ch in text:
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]
