"""The six parts of an annual report (国办公开办函〔2021〕30号; domain-rules.md 1.2).

A part heading is a line (or a heading block) that starts with a part numeral in any of the usual
forms (一、 一． 一. 一 （一） 第一部分) or with no numeral at all, followed by the title. Titles are
compared on their key form (labels.label_key); a numbered line whose title scores >= TITLE_EXACT
against the official title is the part, one that scores >= TITLE_MISNAMED and shares the part's
keywords is the part under another name ("misnamed"). An unnumbered line must match exactly.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from core.document import Document
from core.textnorm import normalize
from indicators.annual_report.labels import label_key

PART_TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}
PART_NUMERALS = "一二三四五六"
# every keyword group must appear in a misnamed title for it to count as that part
PART_KEYWORDS = {
    1: [("总体", "概述", "基本情况")],
    2: [("主动公开",)],
    3: [("申请",)],
    4: [("复议", "诉讼")],
    5: [("问题",), ("改进", "整改", "措施")],
    6: [("其他",)],
}
TITLE_EXACT = 90.0
TITLE_MISNAMED = 50.0
TOC_WINDOW = 400  # characters spanned by a 目录 of the six parts
MAX_HEADING_LEN = 40  # characters of a heading line (longer lines are paragraphs that start "一、")

_HEADING = re.compile(r"^\s*(?:第([一二三四五六])部分|[（(]([一二三四五六])[)）]|([一二三四五六])\s*[、.．,，]?)\s*(.*)$")


class PartHit(BaseModel):
    part: int
    title: str = Field(description="the title as printed (normalised)")
    numeral: str | None = None
    start: int  # span of the heading line in Document.text
    end: int
    score: float
    misnamed: bool = False
    body_start: int = 0
    body_end: int = 0


class SectionReport(BaseModel):
    hits: list[PartHit] = Field(default_factory=list)  # in document order

    def part(self, n: int) -> PartHit | None:
        return next((h for h in self.hits if h.part == n), None)

    @property
    def missing(self) -> list[int]:
        return [n for n in PART_TITLES if self.part(n) is None]

    @property
    def misnamed(self) -> list[PartHit]:
        return [h for h in self.hits if h.misnamed]

    @property
    def out_of_order(self) -> bool:
        order = [h.part for h in self.hits]
        return order != sorted(order)

    def body(self, doc: Document, n: int) -> str:
        hit = self.part(n)
        return doc.text[hit.body_start:hit.body_end] if hit else ""


def _score(part: int, title_key: str) -> float:
    official = label_key(PART_TITLES[part])
    if title_key.startswith(official):
        return 100.0
    return fuzz.ratio(title_key[: len(official) + 4], official)


def _has_keywords(part: int, title: str) -> bool:
    return all(any(w in title for w in group) for group in PART_KEYWORDS[part])


def _candidate(line: str) -> tuple[int | None, str, str | None, bool]:
    """(part by numeral or None, title, numeral, parenthesised) for one stripped line."""
    m = _HEADING.match(line)
    if m is None or (m.group(3) and not re.match(r"^[一二三四五六]\s*[、.．,，\s]", line)):
        return None, line, None, False  # no numeral, or "一是…" / a word that starts with a numeral
    numeral = m.group(1) or m.group(2) or m.group(3)
    return PART_NUMERALS.index(numeral) + 1, m.group(4), numeral, bool(m.group(2))


def _drop_table_of_contents(candidates: list[PartHit]) -> list[PartHit]:
    """A 目录 lists the part titles close together before the parts themselves: when the first
    occurrences of at least three parts that occur again later sit within TOC_WINDOW characters,
    those first occurrences are the table of contents, not the headings."""
    repeated = [p for p in PART_TITLES if sum(c.part == p for c in candidates) >= 2]
    if len(repeated) < 3:
        return candidates
    firsts = [next(c for c in candidates if c.part == p) for p in repeated]
    if max(c.start for c in firsts) - min(c.start for c in firsts) > TOC_WINDOW:
        return candidates
    drop = {id(c) for c in firsts}
    return [c for c in candidates if id(c) not in drop]


def find_sections(doc: Document) -> SectionReport:
    candidates: list[PartHit] = []
    pos = 0
    for line in doc.main_text.split("\n"):  # a saved page's site navigation holds no part
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        numbered, title, numeral, parenthesised = _candidate(stripped)
        key = label_key(title)
        if not key:
            continue
        lead = len(line) - len(line.lstrip())
        span = (start + lead, start + lead + len(stripped))
        short = len(normalize(stripped)) <= MAX_HEADING_LEN
        if numbered is not None:
            score = _score(numbered, key)
            if score >= TITLE_EXACT:
                candidates.append(PartHit(part=numbered, title=title, numeral=numeral, start=span[0], end=span[1],
                                          score=score))
            elif short and not parenthesised and score >= TITLE_MISNAMED and _has_keywords(numbered, key):
                candidates.append(PartHit(part=numbered, title=title, numeral=numeral, start=span[0], end=span[1],
                                          score=score, misnamed=True))
        elif short:
            for part, official in PART_TITLES.items():
                if key == label_key(official):
                    candidates.append(PartHit(part=part, title=title, start=span[0], end=span[1], score=100.0))
    candidates = _drop_table_of_contents(candidates)
    hits: list[PartHit] = []
    cursor = -1
    for part in PART_TITLES:  # first occurrence after the previous part; else the best anywhere
        mine = [c for c in candidates if c.part == part]
        if not mine:
            continue
        after = [c for c in mine if c.start > cursor]
        best = after[0] if after and not after[0].misnamed else max(after or mine, key=lambda c: (c.score, -c.start))
        hits.append(best)
        cursor = max(cursor, best.start)
    hits.sort(key=lambda h: h.start)
    for i, h in enumerate(hits):
        h.body_start = h.end
        h.body_end = hits[i + 1].start if i + 1 < len(hits) else doc.main_end
    return SectionReport(hits=hits)
