"""The six parts of an annual report (国办公开办函〔2021〕30号; domain-rules.md 1.2).

A part heading is a line (or a heading block) that starts with a part numeral in any of the usual
forms (一、 一． 一. 一 （一） 第一部分) or with no numeral at all, followed by the title. Titles are
compared on their key form (labels.label_key); a numbered line whose title scores >= TITLE_EXACT
against the official title is the part, one that scores >= TITLE_MISNAMED and shares the part's
keywords is the part under another name ("misnamed"). An unnumbered line must match exactly.

Real portals publish the headings in other shapes too, all found here:
- glued to the first sentence ("一、总体情况2022年，我县…"): the heading span ends with the title, so
  the body keeps the sentence;
- inside a flattened line ("…公开工作。 二、主动公开政府信息情况 第二十条…"): a numeral followed by the
  exact official title, after a sentence end or a space;
- split over two lines ("三、收到和处理政府信息" / "公开申请情况", or "三、" alone on its line);
- renumbered after a part was left out ("四、存在的主要问题及改进情况" where 四 is missing): the title
  decides the part, `renumbered` records the printed numeral.
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
# a page number or footer between the two halves of a heading split by a page break
_PAGE_FOOTER = re.compile(r"^\s*(?:[—\-－–]\s*\d+\s*[—\-－–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)\s*$")
TITLE_EXACT = 90.0
TITLE_MISNAMED = 50.0
TOC_WINDOW = 400  # characters spanned by a 目录 of the six parts
MAX_HEADING_LEN = 40  # characters of a heading line (longer lines are paragraphs that start "一、")

_HEADING = re.compile(r"^\s*(?:第([一二三四五六])部分|[（(]([一二三四五六])[)）]|([一二三四五六])\s*[、.．,，]?|([1-6])\s*[、.．](?!\d))\s*(.*)$")


class PartHit(BaseModel):
    part: int
    title: str = Field(description="the title as printed (normalised)")
    numeral: str | None = None
    start: int  # span of the heading line in Document.text
    end: int
    score: float
    misnamed: bool = False
    renumbered: bool = False  # the printed numeral is not the part's own (a part before it was left out)
    inline: bool = False  # found inside a flattened line, not at the start of one
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
    """(part by numeral or None, title, numeral, strict) for one stripped line. Strict numerals
    (（一）, 1.) also number sub-items, so only the exact title makes them a part."""
    m = _HEADING.match(line)
    if m is None or (m.group(3) and not re.match(r"^[一二三四五六]\s*[、.．,，\s]", line)):
        return None, line, None, False  # no numeral, or "一是…" / a word that starts with a numeral
    if m.group(4):
        return int(m.group(4)), m.group(5), m.group(4), True
    numeral = m.group(1) or m.group(2) or m.group(3)
    return PART_NUMERALS.index(numeral) + 1, m.group(5), numeral, bool(m.group(2))


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


def _title_regex(title: str) -> re.Pattern[str]:
    """The official title with any spacing or punctuation variant between its characters."""
    chars = [c for c in title if c not in "、，,"]
    return re.compile(r"[\s、，,]*".join(re.escape(c) for c in chars))


_TITLE_RES = {n: _title_regex(t) for n, t in PART_TITLES.items()}
# a numeral + exact title inside a line: after a sentence end, a space or a table pipe
_INLINE = re.compile(r"(?:(?<=[。！!？?\s|｜])|^)(?:第([一二三四五六])部分|([一二三四五六])\s*[、.．])\s*")
_LIST_NEXT = "；;，,、"  # a title followed by these is an item of a list (a preamble), not a heading


def _title_end(text: str, offset: int, part: int) -> int | None:
    """End (in `text`) of the official title of `part` starting at `offset`, if it starts there."""
    m = _TITLE_RES[part].match(text, offset)
    return m.end() if m else None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _line_candidates(lines: list[tuple[int, str]], i: int) -> list[PartHit]:
    """Heading candidates for line i (start of line, possibly continued on the next line)."""
    start, line = lines[i]
    stripped = line.strip()
    if not stripped:
        return []
    lead = len(line) - len(line.lstrip())
    s0 = start + lead
    numbered, title, numeral, parenthesised = _candidate(stripped)
    key = label_key(title)
    short = len(normalize(stripped)) <= MAX_HEADING_LEN
    nxt = next(((ln.strip(), p + len(ln) - len(ln.lstrip())) for p, ln in lines[i + 1:i + 5]
                if ln.strip() and not _PAGE_FOOTER.match(ln)), None)
    if numbered is not None:
        title_off = s0 + len(stripped) - len(title)
        own = _title_end(line, title_off - start, numbered)
        if own is not None and line[own:own + 1] in tuple(_LIST_NEXT):
            return []  # "一、总体情况；二、…": a list of the parts (a preamble), not a heading
        if own is not None:  # the official title, maybe glued to its first sentence
            return [PartHit(part=numbered, title=title[: own - (title_off - start)], numeral=numeral, start=s0,
                            end=start + own, score=100.0)]
        official_key = label_key(PART_TITLES[numbered])
        if nxt is not None and short and official_key.startswith(key) and \
                (key + label_key(nxt[0])).startswith(official_key):
            # "三、" or "三、收到和处理政府信息" on one line, the rest of the title on the next
            stop = _cjk_prefix_end(nxt[0], len(official_key) - len(key))
            return [PartHit(part=numbered, title=PART_TITLES[numbered], numeral=numeral, start=s0,
                            end=nxt[1] + stop, score=100.0)]
        if not key:
            return []
        score = _score(numbered, key)
        if score >= TITLE_EXACT:
            return [PartHit(part=numbered, title=title, numeral=numeral, start=s0, end=s0 + len(stripped),
                            score=score)]
        if not parenthesised:
            for other in PART_TITLES:  # renumbered: the numeral of a part, the exact title of another
                if other != numbered and key.startswith(label_key(PART_TITLES[other])):
                    return [PartHit(part=other, title=title, numeral=numeral, start=s0, end=s0 + len(stripped),
                                    score=100.0, renumbered=True)]
        if short and not parenthesised and score >= TITLE_MISNAMED and _has_keywords(numbered, key):
            return [PartHit(part=numbered, title=title, numeral=numeral, start=s0, end=s0 + len(stripped),
                            score=score, misnamed=True)]
        return []
    if short and key:
        for part, official in PART_TITLES.items():
            if key == label_key(official):
                return [PartHit(part=part, title=title, start=s0, end=s0 + len(stripped), score=100.0)]
    return []


def _cjk_prefix_end(text: str, n_key_chars: int) -> int:
    """Offset in `text` after its first n characters of key form (punctuation and spaces skipped)."""
    count = 0
    for i, ch in enumerate(text):
        if label_key(ch):
            count += 1
        if count >= n_key_chars:
            return i + 1
    return 0


def _inline_candidates(start: int, line: str, skip_to: int) -> list[PartHit]:
    """Exact numbered titles inside a flattened line (after `skip_to`, the line's own heading)."""
    out = []
    for m in _INLINE.finditer(line):
        if m.start() < skip_to or m.start() == 0:
            continue
        numeral = m.group(1) or m.group(2)
        part = PART_NUMERALS.index(numeral) + 1
        end = _title_end(line, m.end(), part)
        if end is None or line[end:end + 1] in tuple(_LIST_NEXT):
            continue
        out.append(PartHit(part=part, title=PART_TITLES[part], numeral=numeral, start=start + m.start(),
                           end=start + end, score=100.0, inline=True))
    return out


def find_sections(doc: Document) -> SectionReport:
    candidates: list[PartHit] = []
    lines = _lines(doc.main_text)  # a saved page's site navigation holds no part
    for i, (start, line) in enumerate(lines):
        found = _line_candidates(lines, i)
        candidates.extend(found)
        own_end = found[0].end - start if found else 0
        candidates.extend(_inline_candidates(start, line, own_end))
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
