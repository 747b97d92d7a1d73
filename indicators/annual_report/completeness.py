"""Is the material the whole report? (What portals and reviewers really pass around.)

Many captures of a published report are excerpts: a page export that stops after ~2,000 characters,
one page of a flip-book PDF, a screenshot of the first screen. Parts and tables that are not in such
material are not missing from the report, so no rule may fail the report for them: the rules say the
material is incomplete and ask for the whole report instead (Outcome.unknown).

The material is an excerpt when
- no part heading is found at all (a page or a fragment of the report), or
- the material starts after part 一 (a later page: the first heading found is not 一 and neither a page
  of the report's beginning nor its title precedes it), or
- the text stops before part 五 (the last part found is 一–四 and every later part is absent) and no
  closing date (落款) follows, or it stops in part 五 in the middle of a sentence or table.
A complete report that lacks a part in the middle (一、二、三、五、六) or ends with its 落款 after part 四
shows the gap: that is a defect the material proves.

Empty headings: a part 二/三/四 heading with (almost) nothing under it, in a report that runs on to
later parts. When the material shows images there (a content image on the heading's page, or any
content image of a web page; logos and icons are dropped by the parser) or says the table is attached
(见附件/见附表/见下图), the table was published as an image the capture did not keep: it is asked for,
not failed (`image_parts`). Without such a sign the material shows the table missing.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from core.document import Document, MediaKind
from core.textnorm import normalize
from indicators.annual_report.sections import PART_NUMERALS, PART_TITLES, SectionReport

WHOLE_REPORT_NOTE = "完整的年度报告全文（六个部分、三张统计表及落款）和网站发布日期"
TABLE_PARTS = (2, 3, 4)
EMPTY_BODY_CHARS = 12  # key characters under a heading below which the part counts as empty
CLOSING_LINES = 5  # the 落款 date is looked for in the last lines of the text
_CLOSING_DATE = re.compile(r"^\s*(?:\S{0,30}?\s*)?(?:20\d{2}|二〇[一二三四五六七八九〇零]{2})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日\s*$")
_TERMINAL = "。！？!?；;）)」”\"』】"
_PROMISE = re.compile(r"(?:6|六)\s*个部分|(?:6|六)\s*部分")
_ATTACHED = re.compile(r"见附件|见附表|附表\s*\d|见下图|见图|如图|图片|表略|[（(]略[)）]")
_PAGE_MARK = re.compile(r"第\s*\d+\s*页|—\s*\d+\s*—")


class Completeness(BaseModel):
    excerpt: bool = False
    reasons: list[str] = Field(default_factory=list)  # Chinese, why the material is taken for an excerpt
    last_part: int = 0  # the last part heading found (0: none)
    cut_in_part: int | None = None  # the part in which the material stops (excerpt only)
    outside: list[int] = Field(default_factory=list)  # parts the material does not reach (excerpt only)
    empty_parts: list[int] = Field(default_factory=list)  # 二–四 headings with nothing under them
    image_parts: list[int] = Field(default_factory=list)  # those of them whose table is shown as an image
    promised_six: bool = False  # the preamble announces six parts
    closing: bool = False  # a 落款 date ends the text

    def beyond_material(self, part: int) -> bool:
        """The part (or its table) cannot be judged from the material: it lies outside the excerpt, or
        it is the part in which the material stops."""
        return self.excerpt and (part in self.outside or part == self.cut_in_part)

    def note(self) -> str:
        """Chinese: why the material cannot decide, and what to provide."""
        return "材料不完整（" + "；".join(self.reasons) + "），缺失部分不能据此认定为遗漏，请提供" + WHOLE_REPORT_NOTE + "。"


def _closing(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()][-CLOSING_LINES:]
    return any(len(normalize(ln)) <= 40 and _CLOSING_DATE.match(normalize(ln)) for ln in lines)


def _ends_mid_sentence(text: str) -> bool:
    tail = text.rstrip(" \t\r\n|｜")
    return bool(tail) and tail[-1] not in _TERMINAL


def _body_chars(doc: Document, sections: SectionReport, part: int) -> int:
    return len(re.sub(r"[\W_]", "", normalize(sections.body(doc, part))))


def _has_table_in(doc: Document, start: int, end: int) -> bool:
    return any(b.table is not None and start <= b.start < end for b in doc.blocks)


def assess(doc: Document, sections: SectionReport) -> Completeness:
    text = doc.main_text
    found = [h.part for h in sections.hits]
    last = max(found, default=0)
    result = Completeness(last_part=last, promised_six=bool(_PROMISE.search(text[:800])), closing=_closing(text))
    trailing = [n for n in PART_TITLES if n > last]
    if not found:
        result.excerpt, result.outside = True, list(PART_TITLES)
        why = "材料中未见年度报告各部分的标题，像是报告的一页或片段"
        if _PAGE_MARK.search(doc.title or "") or _PAGE_MARK.search(doc.file or ""):
            why = "材料只是报告的一页，未见年度报告各部分的标题"
        result.reasons.append(why)
        return result
    first = min(found)
    if first > 1 and (_PAGE_MARK.search(doc.file or "") or "年度报告" not in text[: sections.hits[0].start]):
        result.excerpt = True
        result.outside = [n for n in PART_TITLES if n < first]
        result.reasons.append(f"材料从“{PART_NUMERALS[first - 1]}、{PART_TITLES[first]}”开始，此前部分不在材料中")
    if trailing and not result.closing and (last <= 4 or _ends_mid_sentence(text)):
        result.excerpt, result.cut_in_part = True, last
        result.outside += trailing
        result.reasons.append(f"材料中的年度报告在“{PART_NUMERALS[last - 1]}、{PART_TITLES[last]}”处中断，其后"
                              + "、".join(PART_NUMERALS[n - 1] for n in trailing) + "部分及落款均不在材料中")
    if result.excerpt and result.promised_six:
        result.reasons.append("报告前言称全文共六个部分")
    for hit in sections.hits:
        if hit.part not in TABLE_PARTS or hit.part == last:
            continue
        if _body_chars(doc, sections, hit.part) < EMPTY_BODY_CHARS and \
                not _has_table_in(doc, hit.body_start, hit.body_end):
            result.empty_parts.append(hit.part)
            if _image_shown(doc, sections, hit):
                result.image_parts.append(hit.part)
    return result


def _image_shown(doc: Document, sections: SectionReport, hit) -> bool:
    if _ATTACHED.search(sections.body(doc, hit.part)):
        return True
    images = [m for m in doc.media if m.kind == MediaKind.image]
    if not images:
        return False
    if not doc.page_starts:  # a web page: any content image may be the table
        return True
    page = doc.page_of(hit.start)
    return any(m.page in (page, (page or 0) + 1) for m in images)
