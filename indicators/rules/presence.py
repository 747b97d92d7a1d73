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

from core.document import DocType, Document
from core.findings import Flag, cite
from core.textnorm import normalize
from indicators.cntext import DOC_NO_RE
from indicators.elements import Element, presence_checks
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule

# pages of no more specific type (and unclassified material) may show any of these items
PAGE_TYPES = (DocType.web_page, DocType.other)
ORG_TYPES = (DocType.org_info, DocType.disclosure_guide, *PAGE_TYPES)  # a guide states its office's details too
NORMATIVE_TYPES = (DocType.normative_list, *PAGE_TYPES)
NORMATIVE_COLUMN_TYPES = (DocType.normative_list, DocType.column_page, *PAGE_TYPES)
# the 政府信息公开 column's menu shows on its column pages and on the pages inside it (the guide)
COLUMN_TYPES = (DocType.column_page, DocType.disclosure_guide, *PAGE_TYPES)

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


@rule("presence.1.1.2.institution", "1.1.2", ORG_TYPES, description="1.1.2 机构信息六要素公开")
def institution_info(evidence: Evidence) -> Iterator[Check]:
    yield from presence_checks("presence.1.1.2.institution", "1.1.2", None, "机构信息",
                               evidence.of_type(*ORG_TYPES, year="any"), INSTITUTION_ELEMENTS,
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


ENTRY_MAX_CHARS = 150  # a list entry is a line; a longer one is prose citing documents (a decision's preamble)


def _entries(doc: Document) -> Iterator[tuple[int, int, str]]:
    pos = 0
    for line in doc.main_text.split("\n"):  # not the site navigation: its entries are no list
        if DOC_NO_RE.search(line) and line.strip() and len(normalize(line)) <= ENTRY_MAX_CHARS:
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + len(line.rstrip()), line
        pos += len(line) + 1


@rule("presence.1.1.1.validity", "1.1.1", NORMATIVE_TYPES, sub=2, description="1.1.1(2) 行政规范性文件有效性标注")
def validity_labels(evidence: Evidence) -> Iterator[Check]:
    pages = [d for d in evidence.of_type(*NORMATIVE_TYPES, year="any") if "规范性文件" in normalize(d.main_text)]
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
              "labels": sorted({lab for *_, lab in labelled if lab})},
    )


SPECIAL_COLUMN = (
    Element("column", "规范性文件专栏或集中公开链接",
            (r"(?:行政)?规范性文件(?:专栏|栏目|库|集中公开)?", r"规章及规范性文件"), structural=True),
)


@rule("presence.1.1.1.column", "1.1.1", NORMATIVE_COLUMN_TYPES, sub=3, description="1.1.1(3) 规范性文件专栏或链接集中公开")
def normative_column(evidence: Evidence) -> Iterator[Check]:
    yield from presence_checks("presence.1.1.1.column", "1.1.1", 3, "规范性文件专栏",
                               evidence.of_type(*NORMATIVE_COLUMN_TYPES, year="any"), SPECIAL_COLUMN, relevant={"column"})


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


@rule("presence.5.1.1.columns", "5.1.1", COLUMN_TYPES, description="5.1.1 政府信息公开专栏四个一级栏目（61号）")
def openness_columns(evidence: Evidence) -> Iterator[Check]:
    checks = presence_checks("presence.5.1.1.columns", "5.1.1", None, "政府信息公开专栏",
                             evidence.of_type(*COLUMN_TYPES, year="any"), OPENNESS_COLUMNS,
                             relevant={"guide", "rules", "statutory", "annual"})
    yield from checks
    if checks:
        yield make_check(
            "presence.5.1.1.columns", "5.1.1", title="61号版面设计（人工核实部分）", outcome=Outcome.info,
            rationale="栏目是否位于政府网站首页显著位置、二级栏目是否采用61号所附《政府信息公开栏目页面设计参考方案》，"
            "无法从页面材料自动判定（参考方案的二级栏目内容未经核实），请人工核实。",
            flags=[Flag.unconfirmed_rule, Flag.needs_human],
        )
