"""Document metadata from the parsed text: title, issuing body, dates, year of work, document type.

Dates: Arabic (2023年1月31日, 2023-01-31, 2023.1.31, 2023/1/31) and Chinese-numeral
(二〇二三年一月三十一日) forms, classified by what stands around them: a 发布日期/发布时间 label ->
publication; 成文日期, or a date line among the last lines (the 落款) -> signing; "于…收到/收悉" or
a 收到…日期 label -> receipt; otherwise other. Spans cover the date string exactly.

Document type: weighted signals (title keywords, the six headings of the annual-report format, the
report's table labels, the salutation and closing of a reply, the file type); the highest total
wins and `doc_type_signals` lists the signals that voted for it, in Chinese.

A saved web page's site navigation (the 【网站导航】 section after Document.main_end) is not read:
menu entries say nothing about the page's own title, dates or type.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.document import BlockKind, DateKind, DocType, Document, FoundDate
from core.textnorm import normalize, normalize_long

_CN_DIGIT = {"〇": 0, "○": 0, "Ｏ": 0, "O": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
    re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"([〇○Ｏ零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"),
]
_PUBLICATION = re.compile(r"((发布日期|发布时间|发文日期|发布于|公开日期|信息时间)\s*[:：]?|(^|[\s　])(时间|日期)\s*[:：])\s*$")
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
_TITLE_END = re.compile(r"(报告|解读|答复书|告知书|通知|决定|意见|办法|规定|方案|台账|公告|通报|规划|细则|指南)$")
_TITLE_WORDS = re.compile(r"(报告|解读|答复|告知书|通知|决定|意见|办法|规定|方案|台账|登记表|公告|通报|规划|细则|指南)")

SIX_HEADINGS = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
ANNUAL_TABLE_LABELS = ["本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理",
                       "本年制发件数", "本年处理决定数量"]


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
        elif _PUBLICATION.search(before):
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


@dataclass
class Signal:
    doc_type: DocType
    weight: int
    label: str


# "·香河县人民政府2023年政府信息公开工作年度报告 2024-01-26": one entry of a column's document list
_LISTING_LINE = re.compile(
    r"(?m)^\s*[·•●◆▪\-：:]?\s*[^\s：:][^：:\n]{4,80}?[ \t　]+\[?(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?\]?[ \t]*$")


_IMAGE_TYPES = ("png", "jpg", "gif", "bmp", "tiff", "webp")


def type_signals(doc: Document, title: str | None) -> list[Signal]:
    t = normalize(title or "")
    main = doc.main_text
    body = normalize_long(main[:60000])
    head = body[:3000]
    out: list[Signal] = []

    def add(kind: DocType, weight: int, label: str) -> None:
        out.append(Signal(kind, weight, label))

    if doc.file_type in ("xlsx", "csv", "xls"):
        add(DocType.ledger, 5, "文件为电子表格")
    if doc.file_type in ("html", "mht"):
        add(DocType.web_page, 2, "文件为网页")
    if doc.file_type in _IMAGE_TYPES:
        add(DocType.web_page, 1, "文件为截图")
    listed = len(_LISTING_LINE.findall(main[:20000]))
    if listed >= 2:  # a column page listing documents with dates: a web page, whatever its titles say
        add(DocType.web_page, 6, f"栏目列表页（{listed} 条带日期的条目）")
    if "当前位置" in head or "您的位置" in head:
        add(DocType.web_page, 2, "含网页导航（当前位置）")
    six = sum(1 for h in SIX_HEADINGS if normalize(h) in body)
    labels = [lab for lab in ANNUAL_TABLE_LABELS if lab in body]
    if "年度报告" in t:
        # on a web page or screenshot without the report's own structure, the title names a report
        # the page lists or links to; the page is not the report
        page_like = doc.file_type in ("html", "mht", *_IMAGE_TYPES) and six < 3 and not labels
        weight = 1 if page_like else 5 if "政府信息公开" in t else 3
        add(DocType.annual_report, weight, "标题含“年度报告”")
    if "解读" in t or "一图读懂" in t or "图解" in t:
        add(DocType.policy_interpretation, 5, "标题含“解读/图解”")
    if re.search(r"答复|告知书|补正通知|延期通知", t):
        add(DocType.request_reply, 5, "标题含“答复/告知书”")
    if re.search(r"台账|登记表|统计表|花名册|清单", t):
        add(DocType.ledger, 4, "标题含“台账/登记表”")
    if re.search(r"关于印发|通知|意见|办法|规定|实施方案|细则|决定", t) and "解读" not in t:
        add(DocType.policy_document, 2, "标题为政策文件名称")
    if _WENHAO.search(head) and not re.search(r"答复|告知", t):
        add(DocType.policy_document, 1, "开头有文号")
    if six >= 3:
        add(DocType.annual_report, six, f"含年度报告格式的 {six} 个部分标题")
    if labels:
        add(DocType.annual_report, 3, f"含年度报告表格项目“{labels[0]}”")
    salutation = _salutation(doc)
    if salutation == "person" or "您(单位)于" in head or "你(单位)于" in head:
        add(DocType.request_reply, 3, "以申请人称呼开头")
    elif salutation == "bodies":
        add(DocType.policy_document, 1, "有主送机关")
    if re.search(r"(您|你).{0,8}于.{0,20}(提出|提交|申请)", head):
        add(DocType.request_reply, 2, "提及申请人提出申请")
    if "特此告知" in body or "特此答复" in body:
        add(DocType.request_reply, 2, "含“特此告知/答复”")
    if re.search(r"政策解读|解读如下|起草背景|出台背景|主要内容", head):
        add(DocType.policy_interpretation, 2, "正文含解读要素（背景/主要内容）")
    return out


_SALUTATION = re.compile(r"^[^。；：:\s]{1,40}[:：]$")
_ADDRESSED_BODIES = re.compile(r"^各|人民政府|部门|单位|直属机构|委员会|[局委办厅]$")


def _salutation(doc: Document) -> str | None:
    """The addressee line near the start ("李四：" -> person; "各乡镇人民政府：" -> bodies, a 主送机关)."""
    for block in doc.blocks[:8]:
        line = doc.text[block.start:block.end].strip()
        if block.kind == BlockKind.navigation:
            break
        if block.kind == BlockKind.table or "。" in line or len(line) > 41:
            break  # the body has begun: no addressee line
        if _SALUTATION.match(line) and "如下" not in line:
            name = line[:-1]
            if name.startswith(("申请人", "尊敬的")):
                return "person"
            return "bodies" if _ADDRESSED_BODIES.search(name) else "person"
    return None


def classify(doc: Document, title: str | None) -> tuple[DocType, list[str]]:
    signals = type_signals(doc, title)
    if not signals:
        return DocType.other, ["无明确类型特征"]
    totals: dict[DocType, int] = {}
    for s in signals:
        totals[s.doc_type] = totals.get(s.doc_type, 0) + s.weight
    best = max(totals, key=lambda k: (totals[k], -list(DocType).index(k)))
    return best, [f"{s.label}（+{s.weight}）" for s in signals if s.doc_type == best]


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
        doc.doc_type, doc.doc_type_signals, doc.doc_type_overridden = doc_type, ["人工指定"], True
    else:
        doc.doc_type, doc.doc_type_signals = classify(doc, doc.title)
    doc.year = find_year(doc, doc.title, doc.dates, doc.doc_type)
    return doc
