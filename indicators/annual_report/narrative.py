"""Numbers the report's text states, matched by meaning against its tables (and against itself).

Precision first: a false alarm costs as much as a miss, so a statement is only extracted when its
wording fixes the meaning: "收到/新收…政府信息公开申请N件" is 一、本年新收 (总计); "办结N件" is
(七)总计 (办结 is not 新收; bare 办理 is ambiguous and not read); "予以公开N件" is (一) (never 不予公开).
A sentence that speaks of another year (上年/去年/同比/another 20XX年 before the number) or a part
("其中…") is skipped. A comparison is made only when every table cell behind it is filled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel, Field

from indicators.annual_report.tables import CellValue, Table2, Table3, Table4

_NUM = r"(\d+)"
_COUNT = r"(?:件|项)"  # applications are counted in 件, sometimes in 项
_TOTAL_WORD = r"(?:共计|共|总计|合计|累计)?"
_APP = r"(?:政府信息公开|信息公开|依申请公开)"
_ABOUT_REQUESTS = re.compile(r"申请")
_ABOUT_DISCLOSURE = re.compile(r"政府信息公开|信息公开|依申请")


@dataclass(frozen=True)
class CountPattern:
    kind: str
    title: str  # Chinese, names the table cell compared
    regex: re.Pattern[str]
    cells: Callable[[Table2 | None, Table3 | None, Table4 | None], list[CellValue] | None]
    # the paragraph must also mention this: "办结158件" in a 领导信箱 paragraph, or a 司法局's own
    # "办理行政复议案件120件", are not about disclosure requests
    context: re.Pattern[str] | None = None


def _t3(rows: list[str], col: str = "total"):
    def get(_t2, t3, _t4):
        return [t3.get(r, col) for r in rows] if t3 is not None else None
    return get


def _t3_group(prefix: str):
    def get(_t2, t3, _t4):
        return [t3.get(r, "total") for r in t3.result_rows if r.startswith(prefix)] if t3 is not None else None
    return get


def _t4(cells: list[tuple[str, str]]):
    def get(_t2, _t3, t4):
        return [t4.get(g, c) for g, c in cells] if t4 is not None else None
    return get


def _t2(row: str, col: str):
    def get(t2, _t3, _t4):
        return [t2.get(row, col)] if t2 is not None else None
    return get


COUNT_PATTERNS = [
    CountPattern("new", "本年新收申请数（表三“一”行总计）",
                 re.compile(rf"(?:新收|收到|新受理)(?:和处理)?(?:各类)?{_APP}申请{_TOTAL_WORD}{_NUM}{_COUNT}"), _t3(["1"])),
    # real phrasings: "收到政府信息依申请公开11件", "收到和处理依申请公开17件", "共收到8项依申请公开"
    CountPattern("new", "本年新收申请数（表三“一”行总计）",
                 re.compile(rf"(?:新收|收到|新受理)(?:和处理)?(?:政府信息)?依申请公开(?:申请)?{_TOTAL_WORD}{_NUM}{_COUNT}"),
                 _t3(["1"])),
    CountPattern("new", "本年新收申请数（表三“一”行总计）",
                 re.compile(rf"(?:新收|收到|新受理)(?:各类)?{_NUM}{_COUNT}(?:政府信息公开|依申请公开)(?:申请)?"), _t3(["1"])),
    CountPattern("carried", "上年结转申请数（表三“二”行总计）",
                 re.compile(rf"上年(?:度)?(?:结转|转结)(?:的)?{_APP}?申请?{_TOTAL_WORD}{_NUM}{_COUNT}"), _t3(["2"]),
                 _ABOUT_REQUESTS),
    CountPattern("carry_over", "结转下年度继续办理数（表三“四”行总计）",
                 re.compile(rf"(?:结转|转)(?:至|到)?下(?:一)?年度?(?:继续)?办理(?:的)?(?:申请)?{_TOTAL_WORD}{_NUM}{_COUNT}"),
                 _t3(["4"]), _ABOUT_REQUESTS),
    CountPattern("concluded", "办结数（表三“（七）总计”行总计）",
                 re.compile(rf"(?:办结|办理完毕|办理完结)(?:了|的)?{_APP}?(?:申请)?{_TOTAL_WORD}{_NUM}件"), _t3(["3.7"]), _ABOUT_REQUESTS),
    CountPattern("open", "予以公开数（表三“（一）予以公开”行总计）",
                 re.compile(rf"(?<!不)予以公开(?:的)?(?:申请)?{_TOTAL_WORD}{_NUM}件"), _t3(["3.1"]), _ABOUT_REQUESTS),
    CountPattern("partial", "部分公开数（表三“（二）部分公开”行总计）",
                 re.compile(rf"部分公开(?:的)?(?:申请)?{_TOTAL_WORD}{_NUM}件"), _t3(["3.2"]), _ABOUT_REQUESTS),
    CountPattern("deny", "不予公开数（表三“（三）不予公开”各项之和）",
                 re.compile(rf"不予公开(?:的)?(?:申请)?{_TOTAL_WORD}{_NUM}件"), _t3_group("3.3."), _ABOUT_REQUESTS),
    CountPattern("unable", "无法提供数（表三“（四）无法提供”各项之和）",
                 re.compile(rf"无法提供(?:的)?(?:申请)?{_TOTAL_WORD}{_NUM}件"), _t3_group("3.4."), _ABOUT_REQUESTS),
    CountPattern("no_process", "不予处理数（表三“（五）不予处理”各项之和）",
                 re.compile(rf"不予处理(?:的)?(?:申请)?{_TOTAL_WORD}{_NUM}件"), _t3_group("3.5."), _ABOUT_REQUESTS),
    CountPattern("review", "行政复议数（表四“行政复议—总计”）",
                 re.compile(rf"行政复议(?:案件|申请)?(?:数量|数)?{_TOTAL_WORD}{_NUM}(?:件|起)"), _t4([("review", "total")]),
                 _ABOUT_DISCLOSURE),
    CountPattern("litigation", "行政诉讼数（表四两类“行政诉讼—总计”之和）",
                 re.compile(rf"行政诉讼(?:案件)?(?:数量|数)?{_TOTAL_WORD}{_NUM}(?:件|起)"),
                 _t4([("direct", "total"), ("after_review", "total")]), _ABOUT_DISCLOSURE),
    CountPattern("normative_in_force", "现行有效规范性文件数（表二“行政规范性文件—现行有效件数”）",
                 re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件{_TOTAL_WORD}{_NUM}(?:件|个|份)"),
                 _t2("normative", "in_force")),
    CountPattern("normative_issued", "本年制发规范性文件数（表二“行政规范性文件—本年制发件数”）",
                 re.compile(rf"(?:本年|全年)?制发(?:了)?(?:行政)?规范性文件{_TOTAL_WORD}{_NUM}(?:件|个|份)"),
                 _t2("normative", "issued")),
]

# "未发生因政府信息公开引起的行政复议、行政诉讼": the text states 0 for both (the table must agree)
_NONE_RE = re.compile(r"(?:未|没有)(?:发生|收到|出现)[^。；，,]{0,24}?(?:(行政复议)(?:[或和、及]|以及)?(行政诉讼)?|(行政诉讼))")
ZERO_KINDS = {"行政复议": "review", "行政诉讼": "litigation"}

OUTCOME_KINDS = {"open", "partial", "deny", "unable", "no_process"}
# "办结…N件，其中予以公开…" splits the (七)总计 into outcomes; other "其中" parents are subsets
_WHOLE_CONCLUDED = re.compile(r"办结|办理结果|办理完毕|作出答复")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
_OTHER_TIME = re.compile(r"上年(?!结转|转结|度结转)|去年|上一年|上年度(?!结转|转结)|同比|同期|较上")
_YEAR = re.compile(r"(\d{4})年")
_PART_MARK = re.compile(r"其中")
_HEDGE = re.compile(r"等|主要|以上|超过|约|余|多|近|分别为?[^，、]*等")
_UNIT = r"(条|件|个|篇|次|项|期|场)"


class Mention(BaseModel):
    """A number the text states, with its span and the sentence it sits in."""

    value: int
    start: int
    end: int


class CountStatement(BaseModel):
    kind: str
    title: str
    value: Mention
    sentence: tuple[int, int]
    cells: list[CellValue] = Field(default_factory=list)
    table_value: int | None = None  # None: some cell behind it is not filled -> no comparison


class PartsStatement(BaseModel):
    total: Mention
    parts: list[Mention]
    unit: str
    sentence: tuple[int, int]

    @property
    def parts_sum(self) -> int:
        return sum(p.value for p in self.parts)


class PercentStatement(BaseModel):
    percent: float
    percent_span: tuple[int, int]
    decimals: int
    numerator: Mention
    base: Mention
    sentence: tuple[int, int]

    @property
    def computed(self) -> float:
        return self.numerator.value / self.base.value * 100

    @property
    def tolerance(self) -> float:
        # rounding, truncation or rounding up to the printed precision are all accepted
        return 10 ** -self.decimals + 1e-9

    @property
    def consistent(self) -> bool:
        return abs(self.computed - self.percent) <= self.tolerance


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    for m in _SENTENCE.finditer(text):
        yield m.start(), m.group()


def _paragraph(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)]


def _speaks_of_other_time(prefix: str, year: int | None) -> bool:
    if _OTHER_TIME.search(prefix):
        return True
    return year is not None and any(int(y) != year for y in _YEAR.findall(prefix))


def count_statements(text: str, year: int | None, t2: Table2 | None, t3: Table3 | None,
                     t4: Table4 | None) -> list[CountStatement]:
    out: list[CountStatement] = []
    for s_start, sentence in _sentences(text):
        for pat in COUNT_PATTERNS:
            for m in pat.regex.finditer(sentence):
                clause_start = max(sentence.rfind("，", 0, m.start()), sentence.rfind(",", 0, m.start())) + 1
                if _PART_MARK.search(sentence[clause_start:m.start()]) and not (
                        pat.kind in OUTCOME_KINDS and _WHOLE_CONCLUDED.search(sentence[:clause_start])):
                    continue  # "其中…" is a subset (a channel, a month) unless it splits all concluded cases
                if _speaks_of_other_time(sentence[: m.start()], year):
                    continue
                if pat.context is not None and not pat.context.search(_paragraph(text, s_start + m.start())):
                    continue
                cells = pat.cells(t2, t3, t4) or []
                filled = bool(cells) and all(c.filled for c in cells)
                out.append(CountStatement(
                    kind=pat.kind, title=pat.title,
                    value=Mention(value=int(m.group(1)), start=s_start + m.start(1), end=s_start + m.end(1)),
                    sentence=(s_start, s_start + len(sentence)), cells=cells,
                    table_value=int(sum(c.value for c in cells)) if filled else None))
        out.extend(_zero_statements(text, s_start, sentence, year, t2, t3, t4))
    return out


def _zero_statements(text: str, s_start: int, sentence: str, year: int | None, t2, t3, t4) -> list[CountStatement]:
    """"没有发生依申请公开引起的行政复议或行政诉讼": 0 复议 and 0 诉讼, stated in words."""
    out = []
    for m in _NONE_RE.finditer(sentence):
        if _speaks_of_other_time(sentence[: m.start()], year) or not _ABOUT_DISCLOSURE.search(
                _paragraph(text, s_start + m.start())):
            continue
        for group in (1, 2, 3):
            if not m.group(group):
                continue
            kind = ZERO_KINDS[m.group(group)]
            pat = next(p for p in COUNT_PATTERNS if p.kind == kind)
            cells = pat.cells(t2, t3, t4) or []
            filled = bool(cells) and all(c.filled for c in cells)
            out.append(CountStatement(
                kind=kind, title=pat.title,
                value=Mention(value=0, start=s_start + m.start(group), end=s_start + m.end(group)),
                sentence=(s_start, s_start + len(sentence)), cells=cells,
                table_value=int(sum(c.value for c in cells)) if filled else None))
    return out


# parts summing to less than this share of the total are read as a partial list, not checked; between it
# and the total the list looks exhaustive and the difference an error
PARTS_MIN_COVER = 0.8
_TOTAL_RE = re.compile(rf"(?:共|共计|总计|合计|累计)[^，。；\d%]{{0,12}}?(\d+){_UNIT}")
_PART_RE = re.compile(rf"(\d+(?:\.\d+)?){_UNIT}?")


# a total and its "其中…" may sit in two sentences: "…共公开21597条。其中门户网站7055条，…14542条。"
_PARTS_SENTENCE = re.compile(r"[^。；;！？!?\n]+(?:。(?=其中)[^。；;！？!?\n]+)*")
_NOTE = re.compile(r"（[^（）]*）|\([^()]*\)")  # a parenthesised note: its numbers and 等 are not parts


def _blank_notes(text: str) -> str:
    """Parenthesised notes replaced by spaces of the same length (offsets kept)."""
    return _NOTE.sub(lambda m: " " * len(m.group()), text)


def parts_statements(text: str) -> list[PartsStatement]:
    """'共510条，其中…198条、…142条、…137条': an enumerated total whose parts are all listed."""
    out = []
    for m in _PARTS_SENTENCE.finditer(text):
        s_start, sentence = m.start(), _blank_notes(m.group())
        total = _TOTAL_RE.search(sentence)
        if not total:
            continue
        mark = sentence.find("其中", total.end())
        if mark < 0 or "%" in sentence[mark:]:
            continue
        nested = _TOTAL_RE.search(sentence, mark) is not None  # "其中A共N条": a part that is itself a total
        region = sentence[mark + 2:]
        if _HEDGE.search(region):
            continue
        numbers = list(_PART_RE.finditer(region))
        if len(numbers) < 2 or any(n.group(2) != total.group(2) or "." in n.group(1) for n in numbers):
            continue  # a number without the total's unit (a year, a percentage): not a plain enumeration
        parts_sum = sum(int(n.group(1)) for n in numbers)
        if parts_sum < PARTS_MIN_COVER * int(total.group(1)):
            continue  # far short of the total: an illustrative, not exhaustive, list ("其中…" of a few kinds)
        if nested and parts_sum != int(total.group(1)):
            continue  # a nested breakdown may repeat its own parts: only a sum that matches is read
        base = s_start + mark + 2
        out.append(PartsStatement(
            total=Mention(value=int(total.group(1)), start=s_start + total.start(1), end=s_start + total.end(1)),
            parts=[Mention(value=int(n.group(1)), start=base + n.start(1), end=base + n.end(1)) for n in numbers],
            unit=total.group(2), sentence=(s_start, s_start + len(sentence))))
    return out


_PERCENT_RE = re.compile(r"(?:占比|占总数的|占|比例为|比例达)(?:为|达)?(\d+(?:\.(\d+))?)%")
_BASE_RE = re.compile(rf"(?:共|共计|总计|合计|全年|累计)(?:收到|办结|受理|发布|公开)?[^，。；\d%]{{0,12}}?(\d+){_UNIT}")
_NUMERATOR_RE = re.compile(rf"(\d+){_UNIT}[^，。；\d%]{{0,4}}[，,]?$")


def percent_statements(text: str) -> list[PercentStatement]:
    """'共收到申请120件，其中予以公开90件，占比75%': the percentage recomputed from its named base."""
    out = []
    for s_start, sentence in _sentences(text):
        for p in _PERCENT_RE.finditer(sentence):
            before = sentence[: p.start()]
            num = _NUMERATOR_RE.search(before)
            bases = [b for b in _BASE_RE.finditer(before) if num and b.end() <= num.start()]
            if not num or not bases:
                continue
            base = bases[-1]
            if base.group(2) != num.group(2) or int(base.group(1)) == 0 or int(num.group(1)) > int(base.group(1)):
                continue
            out.append(PercentStatement(
                percent=float(p.group(1)), percent_span=(s_start + p.start(1), s_start + p.end(1) + 1),
                decimals=len(p.group(2) or ""),
                numerator=Mention(value=int(num.group(1)), start=s_start + num.start(1), end=s_start + num.end(1)),
                base=Mention(value=int(base.group(1)), start=s_start + base.start(1), end=s_start + base.end(1)),
                sentence=(s_start, s_start + len(sentence))))
    return out


# a figure of the year's disclosure work, stated in words: "主动公开政府信息4条", "开展政策解读活动15次",
# "全县共受理政府信息公开申请91件", "全年未收到依申请公开信息", "没有收到、也没有办理政府信息公开申请"
_FIGURE = re.compile(r"\d+\s*(?:条|件|项|份|次|篇|期|场)")
_FIGURE_TOPIC = re.compile(r"公开|申请|规范性文件|解读|行政复议|行政诉讼")
_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|受理|发生)[^。；]{0,16}?(?:申请|依申请公开)")


def figure_sentences(text: str, year: int | None) -> list[tuple[int, int]]:
    """Spans of the sentences that state a figure of this year's disclosure work in words: what a
    reviewer holds against the statistical tables (read for display, never compared or scored)."""
    out = []
    for s_start, sentence in _sentences(text):
        figure = _FIGURE.search(sentence) or _NONE_RECEIVED.search(sentence)
        if not figure or not _FIGURE_TOPIC.search(sentence) or len(sentence) > 300:
            continue
        if _speaks_of_other_time(sentence[: figure.start()], year):
            continue
        lead = len(sentence) - len(sentence.lstrip())
        out.append((s_start + lead, s_start + len(sentence.rstrip())))
    return out
