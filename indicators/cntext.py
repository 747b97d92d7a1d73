"""Small Chinese-text helpers shared by rules: sentences with spans, dates, numerals.

Everything returns spans into the ORIGINAL `Document.text`, so a rule can cite what it read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from core.document import BlockKind, Document
from core.textnorm import NormText, normalize_with_map

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "〇○零Ｏ一二两三四五六七八九十百"


def cn_to_int(text: str) -> int | None:
    """'十五' -> 15, '三十六' -> 36, '二〇二五' -> 2025 (digit-by-digit), '36' -> 36."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" not in text and "百" not in text:  # digit sequence, e.g. a year 二〇二五
        try:
            return int("".join(str(_CN_DIGITS[c]) for c in text))
        except KeyError:
            return None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document; `norm` is its NFKC, whitespace-free form (patterns run on it:
    write them with ASCII ,:();!? as NFKC folds the full-width forms), mapped back by `span`."""

    text: str
    start: int
    end: int

    @cached_property
    def norm(self) -> NormText:
        return normalize_with_map(self.text)

    def span(self, nstart: int, nend: int) -> tuple[int, int]:
        """Original document span of a [nstart, nend) span of `norm.text`."""
        a, b = self.norm.to_original(nstart, nend)
        return self.start + a, self.start + b

    def search(self, pattern: re.Pattern[str] | str) -> re.Match[str] | None:
        return re.search(pattern, self.norm.text)

    def has(self, pattern: re.Pattern[str] | str) -> bool:
        return re.search(pattern, self.norm.text) is not None


# a sentence ends at 。！？； (or a line break, outside blocks); the terminator belongs to the sentence
_SENT_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_SENT_RE_WRAPPED = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")


def sentences(text: str, offset: int = 0, newline_ends: bool = True) -> list[Sentence]:
    out = []
    for m in (_SENT_RE if newline_ends else _SENT_RE_WRAPPED).finditer(text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            start = offset + m.start() + lead
            out.append(Sentence(body, start, start + len(body)))
    return out


@dataclass(frozen=True)
class DateHit:
    value: dt.date
    start: int
    end: int
    has_year: bool = True


_NUM = rf"[0-9０-９]+|[{CN_NUM}]+"
_DATE_RE = re.compile(
    rf"(?:(?P<y>[0-9０-９]{{4}}|[〇○零Ｏ一二三四五六七八九]{{4}})\s*年\s*)?"
    rf"(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]"
    r"|(?P<iy>20\d\d)[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})(?!\d)"
)


def _to_int(s: str) -> int | None:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return cn_to_int(s)


def find_dates(text: str, default_year: int | None = None, offset: int = 0) -> list[DateHit]:
    """Every date in `text`: 2025年9月28日, 二〇二五年九月二十八日, 2025-09-28, 2025.9.28, and
    year-less 9月28日 (given `default_year`, marked has_year=False)."""
    hits = []
    for m in _DATE_RE.finditer(text):
        if m.group("iy"):
            y, mo, d, has_year = int(m.group("iy")), int(m.group("im")), int(m.group("id")), True
        else:
            y = _to_int(m.group("y")) if m.group("y") else default_year
            mo, d, has_year = _to_int(m.group("m")), _to_int(m.group("d")), bool(m.group("y"))
        if y is None or mo is None or d is None:
            continue
        try:
            value = dt.date(y, mo, d)
        except ValueError:
            continue
        hits.append(DateHit(value, offset + m.start(), offset + m.end(), has_year))
    return hits


# 文号 brackets vary: 〔2023〕 [2023] 【2023】 （2023） (2023) ［2023］
_DOCNO_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "（": "〔", "）": "〕",
                                 "(": "〔", ")": "〕", "［": "〔", "］": "〕", "{": "〔", "}": "〕"})
DOC_NO_RE = re.compile(r"[\u4e00-\u9fa5]{1,12}[〔\[【（(［{]\s*(?:19|20)\d\d\s*[〕\]】）)］}]\s*第?\s*\d+\s*号")


def normalize_doc_no(doc_no: str) -> str:
    """'廊政办〔2023〕5号' == '廊政办[2023]5号' == '廊政办（2023）第5号'."""
    s = re.sub(r"\s+", "", doc_no).translate(_DOCNO_BRACKETS)
    return re.sub(r"〕第(\d+)号", r"〕\1号", s)


def find_doc_nos(text: str) -> list[tuple[str, int, int]]:
    return [(normalize_doc_no(m.group()), m.start(), m.end()) for m in DOC_NO_RE.finditer(text)]


def fmt_date(day: dt.date) -> str:
    """UI form of a date: 2025年9月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_nos_match(a: str, b: str) -> bool:
    """Two normalised 文号 name the same document when one ends with the other (the regex may have
    swallowed a few words before the issuer's abbreviation) and the shorter keeps >= 2 prefix chars."""
    short, long_ = sorted((a, b), key=len)
    return long_.endswith(short) and short.index("〔") >= 2


def int_to_cn(n: int) -> str:
    """36 -> 三十六, 15 -> 十五, 7 -> 七 (1..99, for article numbers)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def doc_sentences(doc: Document) -> list[Sentence]:
    """The document's sentences, block by block.

    Inside a paragraph or heading block a line break is a wrap (PDF lines keep their breaks in
    `text`), so only 。！？； end a sentence there; table rows and text outside blocks split at
    line breaks too. A saved web page's site navigation is not part of it (see `navigation_sentences`).
    """
    if not doc.blocks:
        return sentences(doc.text)
    out: list[Sentence] = []
    for b in sorted(doc.blocks, key=lambda b: b.start):
        if b.kind == BlockKind.navigation:
            continue
        wrapped = b.kind in (BlockKind.paragraph, BlockKind.heading)
        out += sentences(doc.text[b.start: b.end], offset=b.start, newline_ends=not wrapped)
    return out


def navigation_sentences(doc: Document) -> list[Sentence]:
    """Each entry of a saved web page's site navigation (a menu link's text) as one unit: the
    rules that check a site's columns (5.1.1, 1.1.1(3)) read these, other rules do not."""
    return [Sentence(link.text, link.start, link.end) for link in doc.links
            if link.navigation and link.end > link.start and doc.text[link.start:link.end] == link.text]
