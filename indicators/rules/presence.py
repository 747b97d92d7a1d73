"""Presence rules on web-page evidence: 1.1.2 机构信息, 1.1.1 规范性文件 有效性标注 and 专栏, 5.1.1 信息公开专栏.

All go through the shared "required elements present" helper (indicators/elements.py). The lists
come from the statute and the table: 条例第二十条第（二）项 for 1.1.2, the 1.1.1 考核要点, and for 5.1.1
the four first-level columns of 国办公开办函〔2019〕61号 as read in the 浙江 implementation
(domain-rules.md §3, CONFIRMED-2; the second-level columns of its 参考方案 are UNCONFIRMED and are
not checked).

On a saved web page the column names are often only in the site's menus: the HTML parser keeps them
in a 【网站导航】 section after the main text (Links with navigation=True), which the presence helper
searches and cites; other rules of this module (the 1.1.1(2) 文号 list) read the main text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.document import BlockKind, DocType, Document
from core.findings import Flag, cite
from core.textnorm import normalize
from indicators.cntext import DOC_NO_RE
from indicators.elements import Element, presence_checks
from indicators.rules.base import Check, Evidence, Outcome, abstain_check, make_check, rule

PAGE_TYPES = (DocType.web_page, DocType.other)

_NAME = r"[\u4e00-\u9fa5·]{2,4}"
_PHONE = r"[(（]?0\d{2,3}[)）]?-?\d{7,8}|1[3-9]\d{9}"

INSTITUTION_ELEMENTS = (
    Element("setup", "机构设置", (r"机构设置", r"内设机构", r"下设机构", r"机构概况")),
    Element("functions", "职能", (r"主要职责", r"机关职能", r"职能职责", r"工作职责", r"职能", r"职责")),
    Element("address", "办公地址", (r"(?:办公地址|办公地点|通讯地址|联系地址|地址):?[\u4e00-\u9fa5\w]{2,}",)),
    Element("hours", "办公时间", (r"(?:办公时间|工作时间):?[^。;；]{0,20}?\d{1,2}:\d{2}(?:[-—~～至]\d{1,2}:\d{2})?",
                                r"(?:办公时间|工作时间):?(?:周一至周五|星期一至星期五|法定工作日|工作日)")),
    Element("contact", "联系方式", (rf"(?:联系电话|咨询电话|办公电话|联系方式|电话|传真):?(?:{_PHONE})",
                                  r"(?:电子邮箱|邮箱):?[\w.-]+@[\w.-]+")),
    Element("head", "负责人姓名", (rf"(?:主要负责人|负责人|局长|县长|区长|市长|主任|书记|镇长|乡长|院长|队长):{_NAME}",
                               rf"姓名:{_NAME}")),
)


@rule("presence.1.1.2.institution", "1.1.2", PAGE_TYPES, description="1.1.2 机构信息六要素公开")
def institution_info(evidence: Evidence) -> Iterator[Check]:
    yield from presence_checks("presence.1.1.2.institution", "1.1.2", None, "机构信息",
                               evidence.of_type(*PAGE_TYPES, year="any"), INSTITUTION_ELEMENTS,
                               relevant={"setup", "functions", "head"})


# ---------------------------------------------------------------- 1.1.1 规范性文件

VALIDITY_LABELS = ("现行有效", "有效", "失效", "已失效", "废止", "已废止", "部分失效", "已修改", "已修订", "修订")
_LABEL_FIELD = re.compile(r"(?:有效性|效力状态|效力|时效性|状态)\s*[:：]?\s*(现行有效|有效|已?失效|已?废止|部分失效|已修[改订])")
_BRACKETED_LABEL = re.compile(r"[【\[（(]\s*(现行有效|有效|已?失效|已?废止|部分失效)\s*[】\]）)]")
_SPLIT = re.compile(r"[\t|｜]+|\s{2,}|\s+(?=\S+$)")


def validity_label(line: str) -> str | None:
    """The validity label an entry carries: a separate cell/field, "有效性：现行有效", or "【失效】"."""
    for pattern in (_LABEL_FIELD, _BRACKETED_LABEL):
        if m := pattern.search(line):
            return m.group(1)
    tokens = [normalize(t) for t in _SPLIT.split(line) if t.strip()]
    return next((t for t in tokens[1:] if t in VALIDITY_LABELS), None)


def _entries(doc: Document) -> Iterator[tuple[int, int, str]]:
    pos = 0
    for line in doc.main_text.split("\n"):  # not the site navigation: its entries are no list
        if DOC_NO_RE.search(line) and line.strip():
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + len(line.rstrip()), line
        pos += len(line) + 1


@rule("presence.1.1.1.validity", "1.1.1", PAGE_TYPES, sub=2, description="1.1.1(2) 行政规范性文件有效性标注")
def validity_labels(evidence: Evidence) -> Iterator[Check]:
    pages = [d for d in evidence.of_type(*PAGE_TYPES, year="any") if "规范性文件" in normalize(d.main_text)]
    entries = [(d, s, e, validity_label(line)) for d in pages for s, e, line in _entries(d)]
    if not entries:
        return  # no page listing 规范性文件: no Check (no evidence)
    labelled = [x for x in entries if x[3]]
    unlabelled = [x for x in entries if not x[3]]
    share = len(labelled) / len(entries)
    rationale = f"页面列出规范性文件{len(entries)}件，标注有效性的{len(labelled)}件（{share:.0%}）。"
    if unlabelled:
        rationale += f"未标注的{len(unlabelled)}件已引用（至多10件）。"
    shown = unlabelled[:10] + labelled[:10]
    yield make_check(
        "presence.1.1.1.validity", "1.1.1", 2, title="规范性文件有效性标注",
        outcome=Outcome.passed if not unlabelled else Outcome.failed, rationale=rationale, measure=round(share, 4),
        citations=[cite(d, s, e) for d, s, e, _ in shown],
        data={"entries": len(entries), "labelled": len(labelled),
              "labels": sorted({lab for *_, lab in labelled if lab}),
              "state": "all" if not unlabelled else "some" if labelled else "none"},
    )


WHOLE_SET = "本级政府制定的全部行政规范性文件目录（含各文件的成文日期和公开日期），如规范性文件库或清单的完整截图"


@rule("presence.1.1.1.timely", "1.1.1", PAGE_TYPES, sub=1, description="1.1.1(1) 及时更新公开本级政府制定的规范性文件",
      decided_by=WHOLE_SET)
def normative_timely(evidence: Evidence) -> Iterator[Check]:
    """Whether all of them were published on time needs the whole set with dates: one document or
    one page of a list cannot show it (scoring-policy 1.1.1 sub 1)."""
    pages = evidence.of_type(*PAGE_TYPES, DocType.policy_document, year="any")
    if pages:
        yield abstain_check("presence.1.1.1.timely", "1.1.1", 1, title="规范性文件及时更新公开", note=WHOLE_SET,
                            rationale=f"材料含{len(pages)}份页面或文件，不能说明本级政府的规范性文件是否全部及时公开。")


SPECIAL_COLUMN = (
    Element("column", "规范性文件专栏或集中公开链接",
            (r"(?:行政)?规范性文件(?:专栏|栏目|库|集中公开)?", r"规章及规范性文件"), structural=True),
)


COLUMN_NAME_CHARS = 16
_COLUMN_LINE = re.compile(r"^(?:.*[>＞»/]\s*)?((?:行政)?规范性文件(?:专栏|栏目|库)?|规章及规范性文件)\s*$")


def _names_a_column(pages: list[Document], citation) -> bool:
    """The heading or link holding the hit is a column's name, not a title that contains the words."""
    for doc in pages:
        if doc.file != citation.file:
            continue
        spans = [(ln.start, ln.end) for ln in doc.links] + [(b.start, b.end) for b in doc.blocks
                                                          if b.kind == BlockKind.heading]
        around = [doc.text[a:b] for a, b in spans if a <= citation.start and citation.end <= b]
        return any(_COLUMN_LINE.match(normalize(t).strip()) for t in around)
    return False


def _column_line(doc: Document):
    """A line that is the column's name on its own, or a breadcrumb (当前位置：…>行政规范性文件) ending in it."""
    pos = 0
    for raw in doc.main_text.split("\n"):
        line = normalize(raw).strip()
        m = _COLUMN_LINE.match(line)
        if m and (len(line) <= COLUMN_NAME_CHARS or re.search(r"[>＞»]", line)):
            lead = len(raw) - len(raw.lstrip())
            return cite(doc, pos + lead, pos + len(raw.rstrip()))
        pos += len(raw) + 1
    return None
COLUMN_MATERIAL = "政府网站规范性文件专栏（如“行政规范性文件库”）的页面或截图，显示栏目名称及其中的文件"


@rule("presence.1.1.1.column", "1.1.1", PAGE_TYPES, sub=3, description="1.1.1(3) 规范性文件专栏或链接集中公开",
      decided_by=COLUMN_MATERIAL)
def normative_column(evidence: Evidence) -> Iterator[Check]:
    pages = evidence.of_type(*PAGE_TYPES, year="any")
    checks = presence_checks("presence.1.1.1.column", "1.1.1", 3, "规范性文件专栏", pages, SPECIAL_COLUMN,
                             relevant={"column"})
    # a column is a short heading or link (行政规范性文件库), not a document title that contains the words
    shown = [c for c in checks if c.outcome == Outcome.passed and c.data.get("structural")
             and c.citations and _names_a_column(pages, c.citations[0])]
    line = next((hit for d in pages if (hit := _column_line(d)) is not None), None)
    if shown:  # a column heading or link is on the page
        yield from checks
    elif line is not None:  # a screenshot: the column's own title line or its breadcrumb
        yield make_check("presence.1.1.1.column", "1.1.1", 3, title="规范性文件专栏：规范性文件专栏或集中公开链接",
                         outcome=Outcome.passed, citations=[line], data={"element": "column", "structural": False},
                         rationale=f"页面显示栏目“{line.quote.strip()}”（栏目标题行或当前位置导航）。")
    elif any("规范性文件" in normalize(d.main_text) for d in pages):
        # the words in running text (a cleanup decision, a list) do not show a 专栏
        yield abstain_check("presence.1.1.1.column", "1.1.1", 3, title="规范性文件专栏", note=COLUMN_MATERIAL,
                            citations=[c for ch in checks for c in ch.citations][:2],
                            rationale="材料中未见规范性文件专栏（栏目标题或链接）；所提供页面不能说明网站是否设有该专栏。")


# ---------------------------------------------------------------- 5.1.1 政府信息公开专栏 (61号)

OPENNESS_COLUMNS = (
    Element("column", "政府信息公开栏目", (r"政府信息公开(?!指南|制度|年报|工作年度报告|年度报告)",), structural=True),
    # inside the 政府信息公开 column, sites often drop the 政府 prefix: 信息公开指南, 信息公开年报
    Element("guide", "政府信息公开指南", (r"(?:政府)?信息公开指南",), structural=True),
    Element("rules", "政府信息公开制度", (r"(?:政府)?信息公开制度",), structural=True),
    Element("statutory", "法定主动公开内容", (r"法定主动公开内容",), structural=True),
    Element("annual", "政府信息公开年报",
            (r"(?:政府)?信息公开年报", r"(?:政府)?信息公开(?:工作)?年度报告"), structural=True),
)


@rule("presence.5.1.1.columns", "5.1.1", PAGE_TYPES, description="5.1.1 政府信息公开专栏四个一级栏目（61号）")
def openness_columns(evidence: Evidence) -> Iterator[Check]:
    checks = presence_checks("presence.5.1.1.columns", "5.1.1", None, "政府信息公开专栏",
                             evidence.of_type(*PAGE_TYPES, year="any"), OPENNESS_COLUMNS,
                             relevant={"guide", "rules", "statutory", "annual"})
    yield from checks
    if checks:
        yield make_check(
            "presence.5.1.1.columns", "5.1.1", title="61号版面设计（人工核实部分）", outcome=Outcome.info,
            rationale="栏目是否位于政府网站首页显著位置、二级栏目是否采用61号所附《政府信息公开栏目页面设计参考方案》，"
            "无法从页面材料自动判定（参考方案的二级栏目内容未经核实），请人工核实。",
            flags=[Flag.unconfirmed_rule, Flag.needs_human],
        )
