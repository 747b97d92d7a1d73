"""Document metadata from the parsed text: title, issuing body, dates, year of work, document type.

Dates: Arabic (2023年1月31日, 2023-01-31, 2023.1.31, 2023/1/31) and Chinese-numeral
(二〇二三年一月三十一日) forms, classified by what stands around them: a 发布日期/发布时间 label ->
publication; 成文日期, or a date line among the last lines (the 落款) -> signing; "于…收到/收悉" or
a 收到…日期 label -> receipt; otherwise other. Spans cover the date string exactly.

Document type: ingestion.doctype (weighted signals from the names, structure and content cues; a
confidence); `doc_type_signals` lists the signals that voted for the winner, in Chinese. A type set
by a person (`apply_override`) is kept as is, with confidence 1.

A saved web page's site navigation (the 【网站导航】 section after Document.main_end) is not read:
menu entries say nothing about the page's own title, dates or type.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable

from core.document import BlockKind, DateKind, DocType, Document, FoundDate
from core.textnorm import normalize, normalize_long
from ingestion.doctype import classify_document

_CN_DIGIT = {"〇": 0, "○": 0, "Ｏ": 0, "O": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
    re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"([〇○Ｏ零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"),
]
_PUBLICATION = re.compile(r"((发布日期|发布时间|发文日期|发布于|公开日期|信息时间|信息提供日期|提供日期|生成日期)\s*[:：]?|"
                          r"(^|[\s　])(时间|日期)\s*[:：])\s*$")
# a portal's page header stamps the publication with the time of day: "2024-01-31 15:23:36"
_CLOCK_AFTER = re.compile(r"^\s+\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_HEADER_CHARS = 400
_SIGNING_LABEL = re.compile(r"(成文日期|签发日期|印发日期)\s*[:：]?\s*$")
_RECEIPT_BEFORE = re.compile(r"(收到.{0,6}(日期|时间)|受理日期|收件日期)\s*[:：]?\s*$")
_RECEIPT_AFTER = re.compile(r"^\s*[，,]?\s*(本机关|本单位|本局|我[局委办府院]|我单位)?\s*(收到|收悉|受理|向本机关提出|"
                            r"向我.{0,3}提出|(通过.{0,12})?(提出|提交)的?.{0,16}申请)")
_SIGNING_TAIL_LINES = 6
# "有效期至2025年12月31日", "自2023年5月1日起": a period's bound, not a 落款
_PERIOD_BEFORE = re.compile(r"(至|到|止|自|从|截至|截止|有效期|期限)\s*$")

_ISSUER_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|管理委员会|委员会|街道办事处|办事处|局|厅|委|中心|署|院|政府)"
_ISSUER_IN_TITLE = re.compile(rf"^\s*(.{{2,30}}?{_ISSUER_SUFFIX})(?=\s*(?:(?:19|20)\d\d|关于|政府信息|依申请|政策))")
_ISSUER_LINE = re.compile(rf"^\s*([^\s，。；：:、]{{2,30}}?{_ISSUER_SUFFIX})(?:（(?:盖章|印章)）)?\s*$")
_ISSUER_LABEL = re.compile(rf"(解读机关|解读单位|发布机构|发布机关|发文机关|发文单位|成文机关|信息来源|来源)\s*[:：]\s*"
                           rf"([^\s，。；：:、]{{2,30}}?{_ISSUER_SUFFIX})(?![\u4e00-\u9fff])")
_REPORT_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?.{0,30}?年度报告")
_WENHAO = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【（(](?:19|20)\d\d[〕\]】）)]\d+号")
_TITLE_SKIP = re.compile(r"^(附件\s*\d*|.{0,12}[〔\[【（(](?:19|20)\d\d[〕\]】）)]\d+号|第\s*\d+\s*页|密级.*|[★*]?\s*绝密.*)$")
# what a document's title ends with; a title line may also name a 答复 or a 登记表 further in
_TITLE_NOUNS = "报告|解读|答复书|告知书|通知|决定|意见|办法|规定|方案|台账|公告|通报|规划|细则|指南"
_TITLE_END = re.compile(rf"({_TITLE_NOUNS})$")
_TITLE_WORDS = re.compile(rf"({_TITLE_NOUNS}|答复|登记表)")



def _cn_number(s: str) -> int:
    """一 .. 三十一 -> int."""
    if "十" in s:
        head, _, tail = s.partition("十")
        return (_CN_DIGIT.get(head, 1) if head else 1) * 10 + (_CN_DIGIT.get(tail, 0) if tail else 0)
    return _CN_DIGIT.get(s, 0)


def _to_date(m: re.Match[str]) -> dt.date | None:
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        if y.isdigit():
            return dt.date(int(y), int(mo), int(d))
        return dt.date(int("".join(str(_CN_DIGIT[c]) for c in y)), _cn_number(mo), _cn_number(d))
    except (ValueError, KeyError):
        return None


def parse_date(text: str) -> dt.date | None:
    """The first date in a short string (used by tests and other modules)."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m and (value := _to_date(m)):
            return value
    return None


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, len(text) if le == -1 else le


def find_dates(doc: Document, include_tables: bool = True) -> list[FoundDate]:
    text = doc.main_text  # a web page's site navigation (after the main text) has no dates of its own
    skip = [] if include_tables else [(b.start, b.end) for b in doc.blocks if b.kind == BlockKind.table]
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines_total = len(newlines) + 1
    hits: list[tuple[int, int, dt.date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in skip + taken):
                continue
            value = _to_date(m)
            if value is not None:
                hits.append((m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    out = []
    for start, end, value in sorted(hits):
        ls, le = _line_bounds(text, start, end)
        before, after = text[ls:start], text[end:le]
        line_no = bisect.bisect_left(newlines, start) + 1
        if _SIGNING_LABEL.search(before):
            kind = DateKind.signing
        elif _RECEIPT_BEFORE.search(before) or _RECEIPT_AFTER.search(after):
            kind = DateKind.receipt
        elif _PUBLICATION.search(before) or (start < _HEADER_CHARS and _CLOCK_AFTER.match(after)):
            kind = DateKind.publication
        elif (lines_total - line_no < _SIGNING_TAIL_LINES and len(normalize(before + after)) <= 30
              and not _PERIOD_BEFORE.search(before)):
            kind = DateKind.signing  # a date standing alone among the last lines: the 落款
        else:
            kind = DateKind.other
        out.append(FoundDate(kind=kind, value=value, start=start, end=end, page=doc.page_of(start)))
    # only the last stand-alone date at the end is the 落款
    signing = [d for d in out if d.kind == DateKind.signing]
    for d in signing[:-1]:
        if not _SIGNING_LABEL.search(text[_line_bounds(text, d.start, d.end)[0]:d.start]):
            d.kind = DateKind.other
    return out


def _block_texts(doc: Document, kinds: Iterable[BlockKind] = (BlockKind.heading, BlockKind.paragraph,
                                                               BlockKind.caption)) -> list[str]:
    kinds = set(kinds)
    return [doc.text[b.start:b.end] for b in doc.blocks if b.kind in kinds]


def find_title(doc: Document, stated: str | None, hint: str | None = None) -> str | None:
    if stated and stated.strip():
        return re.sub(r"\s+", "", stated) if _cjk_share(stated) > 0.5 else stated.strip()
    if doc.file_type in ("xlsx", "csv"):
        # a ledger's title is the merged line above its header, if any
        for table in doc.tables():
            first = [c for c in table.cells if c.row == 0 and c.text]
            if table.header_rows > 1 and len(first) == 1:
                return first[0].text
        return None
    texts = [re.sub(r"\s+", "", t) for t in _block_texts(doc)[:8]]
    candidates = [t for t in texts if t and not _TITLE_SKIP.match(t) and len(t) <= 80]
    for i, t in enumerate(candidates[:5]):
        if t.endswith("。"):
            continue
        if _TITLE_WORDS.search(t):
            return t
        # a title wrapped over two lines of a PDF: "…2023年政府信息公开" + "工作年度报告"
        nxt = candidates[i + 1] if i + 1 < len(candidates) else ""
        if (nxt and len(t) + len(nxt) <= 60 and _TITLE_END.search(nxt) and not nxt.endswith("。")
                and not _ISSUER_LINE.match(t) and not re.search(r"文件$", t)):
            return t + nxt
    if hint and 4 <= len(hint) <= 80 and (doc.file_type == "pdf" or normalize(hint) in normalize_long(doc.main_text[:5000])):
        return re.sub(r"\s+", "", hint) if _cjk_share(hint) > 0.5 else hint.strip()
    headings = [re.sub(r"\s+", "", doc.text[b.start:b.end]) for b in doc.blocks
                if b.kind == BlockKind.heading and b.level in (0, 1)]
    if headings:
        return headings[0]
    return candidates[0] if candidates and len(candidates[0]) <= 40 else None


def _cjk_share(s: str) -> float:
    chars = [c for c in s if not c.isspace()]
    return sum(1 for c in chars if "\u4e00" <= c <= "\u9fff") / len(chars) if chars else 0.0


def find_issuer(doc: Document, title: str | None) -> str | None:
    texts = _block_texts(doc, (BlockKind.paragraph, BlockKind.heading, BlockKind.caption))
    for t in reversed(texts[-8:]):
        for line in reversed(t.split("\n")):
            line = _DATE_PATTERNS[0].sub("", line)
            line = _DATE_PATTERNS[2].sub("", line).strip()
            m = _ISSUER_LINE.match(line)
            if m and not _WENHAO.search(line):
                return m.group(1)
    m = _ISSUER_LABEL.search(doc.main_text[:5000])
    if m:
        return m.group(2)
    if title:
        m = _ISSUER_IN_TITLE.match(title)
        if m:
            return m.group(1)
    return None


def find_year(doc: Document, title: str | None, dates: list[FoundDate], doc_type: DocType) -> int | None:
    if title:
        m = _REPORT_YEAR.search(title)
        if m and (doc_type == DocType.annual_report or "年度报告" in title):
            return int(m.group(1))
    for kind in (DateKind.signing, DateKind.publication):
        found = [d for d in dates if d.kind == kind]
        if found:
            return found[-1].value.year
    if title:
        m = re.search(r"((?:19|20)\d\d)\s*年", title)
        if m:
            return int(m.group(1))
    return None


def classify(doc: Document, title: str | None) -> tuple[DocType, list[str]]:
    """The document's type and the signals that voted for it (see ingestion.doctype)."""
    c = classify_document(doc, title)
    return c.doc_type, c.signals


def enrich(doc: Document, stated_title: str | None, meta_dates: list[tuple[DateKind, dt.date]],
           doc_type: DocType | None = None, title_hint: str | None = None) -> Document:
    """Fill title, issuer, dates, doc type and year in place; returns the document."""
    is_sheet = doc.file_type in ("xlsx", "csv")
    doc.title = find_title(doc, stated_title, title_hint)
    doc.dates = find_dates(doc, include_tables=not is_sheet)
    if meta_dates and doc.date_of(DateKind.publication) is None:
        kind, value = meta_dates[0]
        # stated only in the page's meta tags: no span in the visible text
        doc.dates.append(FoundDate(kind=kind, value=value, start=0, end=0, page=None))
    doc.issuer = find_issuer(doc, doc.title)
    if doc_type is not None:
        apply_override(doc, doc_type)
    else:
        apply_classification(doc)
    doc.year = find_year(doc, doc.title, doc.dates, doc.doc_type)
    return doc


def retype(doc: Document, doc_type: DocType | None) -> Document:
    """Set a reviewer's type (None: back to the classifier's) on a parsed document; the year of work
    follows the type (a report's year is the one its title names)."""
    if doc_type is None:
        apply_classification(doc)
    else:
        apply_override(doc, doc_type)
    doc.year = find_year(doc, doc.title, doc.dates, doc.doc_type)
    return doc


def apply_classification(doc: Document) -> Document:
    """Classify from the document's own text and names (ingestion.doctype); clears an override."""
    c = classify_document(doc, doc.title)
    doc.doc_type, doc.doc_type_signals, doc.doc_type_confidence = c.doc_type, c.signals, c.confidence
    doc.doc_type_overridden = False
    return doc


def apply_override(doc: Document, doc_type: DocType) -> Document:
    """A type set by a person: certain, and said so."""
    doc.doc_type, doc.doc_type_signals, doc.doc_type_confidence = doc_type, ["人工指定"], 1.0
    doc.doc_type_overridden = True
    return doc
