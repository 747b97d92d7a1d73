"""Presence rules on web-page evidence: 1.1.2 机构信息, 1.1.1 规范性文件 有效性标注 and 专栏, 5.1.1 信息公开专栏.

Each emits one Check per item with the computed facts in `data` (scoring-policy.md 1.1.1, 1.1.2,
5.1.1; the ladders that turn them into points are catalog data, indicators/scoring.py):
- 1.1.2: the six elements for the body itself, `{"found": [...], "missing": [...]}`, one citation per
  element found. 机构设置 is a list of internal units, not the words "机构设置和职能" in a title. A page
  of one internal office (its duties, 科室负责人) says nothing of the body's own elements: unknown.
- 5.1.1: the four first-level columns of 国办公开办函〔2019〕61号 (政府信息公开指南, 政府信息公开制度,
  法定主动公开内容, 政府信息公开年报) as the page's navigation names them, `{"found", "missing",
  "visible"}`; visible is false when the material shows only a sub-column or a breadcrumb path (then
  missing columns are not shown to be missing and the scorer abstains).
- 1.1.1(2): the status marks (有效/失效/废止/修订) per entry, `{"marked": n, "entries": m}`.
- 1.1.1(3): a 专栏 (行政规范性文件库 …) shown as a column (a menu entry, link or heading that is the
  column's name); the words 规范性文件 in running text or a title are no column, and one page that
  cannot show a column is `unknown`, not a failure.

On a saved web page the column names are often only in the site's menus: the HTML parser keeps them
in a 【网站导航】 section after the main text (Links with navigation=True), which the column rules
read and cite; the 1.1.1(2) entry list reads the main text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from core.document import DocType, Document
from core.findings import Citation, Flag, cite
from core.textnorm import normalize
from indicators.cntext import DOC_NO_RE, Sentence, cn_to_int, doc_sentences, find_doc_nos
from indicators.cues import find_elements as find_cues
from indicators.cues import first_match, heading_sentences
from indicators.elements import Entry, column_entries, entry_citation, find_column
from indicators.rules.base import Check, Evidence, Outcome, abstain_check, make_check, rule

# pages of no more specific type (and unclassified material) may show any of these items
PAGE_TYPES = (DocType.web_page, DocType.other)
# the documents each rule reads (Rule.run hands a rule only the types its @rule declares)
ORG_TYPES = (DocType.org_info, DocType.disclosure_guide, *PAGE_TYPES)  # a guide states its office's details too
NORMATIVE_TYPES = (DocType.normative_list, DocType.policy_document, DocType.column_page, *PAGE_TYPES)
# the 政府信息公开 column's menu shows on its column pages and on the pages inside it (the guide)
COLUMN_TYPES = (DocType.column_page, DocType.disclosure_guide, *PAGE_TYPES)

_NAME = r"[\u4e00-\u9fa5·]{2,4}"
_PHONE = r"[(（]?0\d{2,3}[)）]?-?\d{7,8}|1[3-9]\d{9}"

# ---------------------------------------------------------------- 1.1.2 机构信息

# one internal unit's name: 办公室, 基础教育股, 综合执法大队, 政务服务中心 …
_UNIT = r"[\u4e00-\u9fa5()]{1,16}?(?:办公室|科|股|室|处|中心|大队|中队|支队|所|站|队|部|组|局|办)"
_SETUP_CUE = r"内设机构|内设科室|机构设置|下设|设有|科室设置|内部机构"
_SUBUNIT_HEAD = r"科室负责人|股室负责人|科长|股长|所长|站长"

INSTITUTION_CUES = {
    "职能": r"主要职责|机关职能|职能职责|工作职责|主要职能|职能配置|职责是|职能",
    "办公地址": r"(?:办公地址|办公地点|通讯地址|通信地址|联系地址|地址)(?:为)?:?[\u4e00-\u9fa5\w()]{3,}",
    "办公时间": (r"(?:办公|工作|受理|接待|上班)时间(?:为)?:?[^。;；]{0,20}?\d{1,2}:\d{2}|"
             r"(?:办公|工作|受理|接待|上班)时间(?:为)?:?(?:每周)?(?:周一至周五|星期一至星期五|法定工作日|工作日)"),
    "联系方式": (rf"(?:联系电话|咨询电话|办公电话|值班电话|联系方式|电话|传真):?(?:{_PHONE})|"
             r"(?:电子邮箱|邮箱|电子邮件):?[\w.-]+@[\w.-]+"),
    "负责人姓名": (rf"(?:主要负责人|(?<!科室)(?<!股室)负责人|局长|县长|区长|市长|主任|书记|镇长|乡长|院长|党组书记):{_NAME}|"
              rf"(?<!科室)姓名:{_NAME}"),
}
INSTITUTION_ELEMENTS = ("机构设置", "职能", "办公地址", "办公时间", "联系方式", "负责人姓名")
# what a page says about an element without giving it: a count of units that are not named, the posts
# without the people ("设局长1名、副局长3名"). Cited for the reviewer, never counted.
INSTITUTION_NEAR_MISSES = {
    "机构设置": (r"(?:\d+|[一二三四五六七八九十]+)个(?:内设|直属|下属)?(?:股室|科室|职能股室|内设机构|下属单位|二级机构|事业单位)|"
             r"机构规格|规格为|加挂[^。;]{1,24}牌子"),
    "负责人姓名": r"设(?:局长|主任|县长|区长|镇长|乡长|所长|站长|队长)\d+名|领导职数|职数\d+名",
}


def _unit_list(s: Sentence) -> bool:
    """The sentence lists two or more internal units ("内设机构：办公室、基础教育股、体育股。")."""
    body = re.sub(rf"^.*?(?:{_SETUP_CUE})[^:、]{{0,12}}:", "", s.norm.text)
    items = [x for x in re.split(r"[、,;:。]", body) if x]
    return sum(1 for x in items if re.fullmatch(rf"(?:\d+|[一二三四五六七八九十]+)?[个.、]?{_UNIT}", x)) >= 2


def _unit_line(s: Sentence) -> bool:
    """A line of a list of units: the unit's name alone, or its name followed by its duties."""
    text = re.sub(r"^(?:\d+|[一二三四五六七八九十]+)[、.]|^[(][一二三四五六七八九十\d]+[)]", "", s.norm.text)
    return bool(re.fullmatch(rf"{_UNIT}[。;]?", text) or re.match(rf"{_UNIT}(?::|主要职责|职责|负责)", text))


def find_setup(doc: Document) -> Citation | None:
    """机构设置: the list of the body's internal units, either in one sentence or as the lines under
    a heading naming them (内设机构 / 机构设置 …). The title words "机构设置和职能" are no list."""
    sents = doc_sentences(doc)
    for s in sents:
        if _unit_list(s) and (s.has(_SETUP_CUE) or _under_setup_heading(doc, s)):
            return cite(doc, s.start, s.end)
    for head in heading_sentences(doc):
        if not head.has(_SETUP_CUE):
            continue
        after = [s for s in sents if s.start >= head.end][:30]
        lines = []
        for s in after:
            if _unit_line(s):
                lines.append(s)
            elif lines and len(lines) >= 2:
                break
        if len(lines) >= 2:
            return cite(doc, lines[0].start, lines[-1].end)
    return None


def _under_setup_heading(doc: Document, s: Sentence) -> bool:
    before = [h for h in heading_sentences(doc) if h.end <= s.start]
    return bool(before) and before[-1].has(_SETUP_CUE)


def _subunit_page(doc: Document) -> Citation | None:
    """A page of one internal office (its duties, 科室负责人): the office's, not the body's, elements."""
    for s in doc_sentences(doc):
        if m := s.search(_SUBUNIT_HEAD):
            a, b = s.span(m.start(), m.end())
            return cite(doc, a, b)
    return None


def _org_page(doc: Document) -> bool:
    if doc.doc_type is DocType.org_info:
        return True
    title = normalize(doc.title or "")
    if re.search(r"机构|职能|职责|概况|领导", title) and not re.search(r"指南|年度报告|解读", title):
        return True
    found = find_cues(doc, {k: INSTITUTION_CUES[k] for k in ("职能", "负责人姓名")}, whole=False, skip_title=True)
    return bool(found) or find_setup(doc) is not None


def _first_sentence(docs: Sequence[Document], pattern: str) -> Citation | None:
    for doc in docs:
        if c := first_match(doc, doc_sentences(doc), pattern, whole=True):
            return c
    return None


ORG_MATERIAL = "本机关的机构概况/机构职能页面（含内设机构、职能、办公地址、办公时间、联系方式、负责人姓名）"


@rule("presence.1.1.2.institution", "1.1.2", ORG_TYPES, description="1.1.2 机构信息六要素公开")
def institution_info(evidence: Evidence) -> Iterator[Check]:
    docs = [d for d in evidence.of_type(*ORG_TYPES, year="any") if _org_page(d)]
    if not docs:
        return  # no page of the body's 机构信息: no Check (no evidence), not a failure
    found: dict[str, Citation] = {}
    for doc in docs:
        if "机构设置" not in found and (setup := find_setup(doc)):
            found["机构设置"] = setup
        for key, citation in find_cues(doc, INSTITUTION_CUES, whole=False, skip_title=True).items():
            found.setdefault(key, citation)
    found = {k: found[k] for k in INSTITUTION_ELEMENTS if k in found}
    missing = [k for k in INSTITUTION_ELEMENTS if k not in found]
    data = {"found": list(found), "missing": missing}
    subunit = next((c for d in docs if (c := _subunit_page(d))), None)
    if subunit is not None and "机构设置" not in found and not {"办公地址", "办公时间"} & set(found):
        yield abstain_check(
            "presence.1.1.2.institution", "1.1.2", title="机构信息六要素", note=ORG_MATERIAL,
            citations=[subunit, *found.values()], data={**data, "subunit": True},
            rationale="材料是内设科室（下属单位）的页面，所列职责、负责人、电话属于该科室，不是本机关的机构设置、职能、"
            "办公地址、办公时间、联系方式和负责人；请补充本机关的机构概况/机构职能页面后再评。")
        return
    rationale = f"本机关机构信息六项要素，已找到{len(found)}项（{'、'.join(found) or '无'}）"
    rationale += f"，未找到{'、'.join(missing)}。" if missing else "。"
    if "机构设置" in missing:
        rationale += "机构设置须列出内设机构，仅有“机构设置”字样（如页面标题）不算。"
    near = {k: c for k in missing if k in INSTITUTION_NEAR_MISSES
            and (c := _first_sentence(docs, INSTITUTION_NEAR_MISSES[k]))}
    if near:
        rationale += "另见相关表述但不构成要素（不计分）：" + "；".join(f"{k}——“{c.quote.strip()[:40]}”"
                                                          for k, c in near.items()) + "。"
    yield make_check("presence.1.1.2.institution", "1.1.2", title="机构信息六要素",
                     outcome=Outcome.passed if not missing else Outcome.failed, rationale=rationale,
                     citations=[*found.values(), *near.values()],
                     measure=round(len(found) / len(INSTITUTION_ELEMENTS), 4), data={**data, "near_misses": list(near)})


# ---------------------------------------------------------------- 1.1.1 规范性文件

VALIDITY_LABELS = ("现行有效", "有效", "失效", "已失效", "废止", "已废止", "部分失效", "已修改", "已修订", "修订")
_STATUS = r"现行有效|继续有效|有效|已?失效|已?废止|部分失效|已修[改订]|修订"
_LABEL_FIELD = re.compile(rf"(?:有效性|效力状态|效力|时效性|状态|是否有效|废止日期|失效日期)\s*[:：]?\s*({_STATUS})")
_BRACKETED_LABEL = re.compile(r"[【\[（(]\s*(现行有效|有效|已?失效|已?废止|部分失效)\s*[】\]）)]")
_SPLIT = re.compile(r"[\t|｜]+|\s{2,}|\s+(?=\S+$)")
# a cleanup decision's groups: "《…》等7件规范性文件继续有效" / "等4件规范性文件失效"
_GROUP = re.compile(r"(?:等|共|以下)?([\d一二三四五六七八九十百]+)件(?:行政)?规范性文件(?:予以|宣布|决定)?"
                    r"(继续有效|有效|失效|废止|修订|修改)")


def validity_label(line: str) -> str | None:
    """The validity label an entry carries: a separate cell/field, "有效性：现行有效", "【失效】", or a
    metadata field ("废止日期： 有效" on a document's page)."""
    for pattern in (_LABEL_FIELD, _BRACKETED_LABEL):
        if m := pattern.search(line):
            return m.group(1)
    tokens = [normalize(t) for t in _SPLIT.split(line) if t.strip()]
    return next((t for t in tokens[1:] if t in VALIDITY_LABELS), None)


_LIST_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _entries(doc: Document) -> Iterator[tuple[int, int, str]]:
    """The listed documents: lines with a 文号 (on a list page also lines with a date: lists without 文号)."""
    listing = doc.doc_type is DocType.normative_list
    pos = 0
    for line in doc.main_text.split("\n"):  # not the site navigation: its entries are no list
        if line.strip() and (DOC_NO_RE.search(line) or (listing and _LIST_DATE.search(line) and len(line) <= 200)):
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + len(line.rstrip()), line
        pos += len(line) + 1


def _status_field(doc: Document) -> tuple[int, int, str] | None:
    """A single document's page marks its status in its metadata (有效性：有效)."""
    pos = 0
    for line in doc.main_text.split("\n"):
        if m := _LABEL_FIELD.search(line):
            return pos + m.start(), pos + m.end(), m.group(1)
        pos += len(line) + 1
    return None


def _groups(doc: Document) -> list[tuple[int, int, int, str]]:
    """(start, end, count, status) of each "等N件规范性文件继续有效" statement of a cleanup decision."""
    out = []
    for s in doc_sentences(doc):
        if s.start >= doc.main_end:
            continue
        for m in _GROUP.finditer(s.norm.text):
            n = cn_to_int(m.group(1))
            if n:
                a, b = s.span(m.start(), m.end())
                out.append((a, b, n, m.group(2)))
    return out


def _single_document(doc: Document, entries: Sequence[tuple[int, int, str]]) -> bool:
    """The page of one document (its 文号 in the metadata and the body, nothing listed)."""
    numbers = {no for _, _, line in entries for no, _, _ in find_doc_nos(line)}
    return doc.doc_type is DocType.policy_document or len(numbers) <= 1


@rule("presence.1.1.1.validity", "1.1.1", NORMATIVE_TYPES, sub=2, description="1.1.1(2) 行政规范性文件有效性标注")
def validity_labels(evidence: Evidence) -> Iterator[Check]:
    marked, total = 0, 0
    cites: list[Citation] = []
    unmarked: list[Citation] = []
    labels: set[str] = set()
    for d in evidence.of_type(*NORMATIVE_TYPES, year="any"):
        text = normalize(d.main_text)
        field = _status_field(d)
        if "规范性文件" not in text and d.doc_type not in (DocType.policy_document, DocType.normative_list) \
                and field is None:
            continue
        entries = list(_entries(d))
        groups = _groups(d)
        if groups:  # a cleanup decision: its groups are its entries
            for a, b, n, status in groups:
                marked, total = marked + n, total + n
                labels.add(status)
                cites.append(cite(d, a, b))
        elif field is not None and _single_document(d, entries):
            a, b, status = field
            marked, total = marked + 1, total + 1
            labels.add(status)
            cites.append(cite(d, a, b))
        elif entries:
            for s, e, line in entries:
                total += 1
                if label := validity_label(line):
                    marked += 1
                    labels.add(label)
                    cites.append(cite(d, s, e))
                else:
                    unmarked.append(cite(d, s, e))
        elif d.doc_type is DocType.policy_document:
            total += 1  # one document's page without a status field: its status is not shown
    if not total:
        return  # no page listing 规范性文件: no Check (no evidence)
    rationale = f"材料中规范性文件{total}件，标注有效状态的{marked}件"
    rationale += f"（{'、'.join(sorted(labels))}）。" if labels else "。"
    if unmarked:
        rationale += f"未标注的{len(unmarked)}件已引用（至多10件）。"
    yield make_check(
        "presence.1.1.1.validity", "1.1.1", 2, title="规范性文件有效性标注",
        outcome=Outcome.passed if marked == total else Outcome.failed, rationale=rationale,
        measure=round(marked / total, 4), citations=unmarked[:10] + cites[:10],
        data={"marked": marked, "entries": total, "labels": sorted(labels),
              "state": "all" if marked == total else "some" if marked else "none"},
    )


# a column of normative documents, named as such: the entry is the column's name itself
NORMATIVE_COLUMN = (r"(?:行政)?规范性文件(?:库|专栏|栏目|集中公开|目录|汇编)?|(?:政府)?规章(?:及|和|与)(?:行政)?规范性文件|"
                    r"规范性文件(?:统一)?发布平台|.{0,8}行政规范性文件")


WHOLE_SET = "本级政府制定的全部行政规范性文件目录（含各文件的成文日期和公开日期），如规范性文件库或清单的完整截图"
COLUMN_MATERIAL = "政府网站规范性文件专栏（如“行政规范性文件库”）的页面或截图，显示栏目名称及其中的文件"


@rule("presence.1.1.1.timely", "1.1.1", NORMATIVE_TYPES, sub=1, description="1.1.1(1) 及时更新公开本级政府制定的规范性文件",
      decided_by=WHOLE_SET)
def normative_timely(evidence: Evidence) -> Iterator[Check]:
    """Whether all of them were published on time needs the whole set with dates: one document or
    one page of a list cannot show it (scoring-policy 1.1.1 sub 1)."""
    pages = evidence.of_type(*NORMATIVE_TYPES, year="any")
    if pages:
        yield abstain_check("presence.1.1.1.timely", "1.1.1", 1, title="规范性文件及时更新公开", note=WHOLE_SET,
                            rationale=f"材料含{len(pages)}份页面或文件，不能说明本级政府的规范性文件是否全部及时公开。")


@rule("presence.1.1.1.column", "1.1.1", NORMATIVE_TYPES, sub=3, description="1.1.1(3) 规范性文件专栏或链接集中公开",
      decided_by=COLUMN_MATERIAL)
def normative_column(evidence: Evidence) -> Iterator[Check]:
    docs = [d for d in evidence.of_type(*NORMATIVE_TYPES, year="any")
            if d.doc_type in (DocType.normative_list, DocType.policy_document, DocType.column_page)
            or "规范性文件" in normalize(d.main_text) or _column_named(d)]
    if not docs:
        return
    hit = next((e for d in docs if (e := _column_named(d))), None)
    if hit is not None:
        where = "当前位置导航" if hit.breadcrumb else \
            {"navigation": "网站导航", "link": "页面链接", "heading": "栏目标题", "line": "页面栏目"}[hit.kind]
        yield make_check("presence.1.1.1.column", "1.1.1", 3, title="规范性文件专栏", outcome=Outcome.passed,
                         citations=[entry_citation(hit)], data={"column": True, "entry": hit.sentence.text},
                         rationale=f"{where}中设有“{hit.sentence.text}”栏目，集中公开规范性文件。")
        return
    yield abstain_check("presence.1.1.1.column", "1.1.1", 3, title="规范性文件专栏", note=COLUMN_MATERIAL,
                        data={"column": False},
                        rationale="材料（单个文件页面、文件目录或清理决定）不能显示政府网站是否设有行政规范性文件库等专栏，"
                     "正文中提到“规范性文件”不等于设有专栏；请补充专栏页面截图后再评。")


def _column_named(doc: Document) -> Entry | None:
    """The column named in a menu, link or heading; a breadcrumb step (当前位置：…>行政规范性文件) only on
    the column's own page, i.e. one that lists documents below it."""
    entry = find_column(column_entries(doc), NORMATIVE_COLUMN, full=True)
    if entry is None or (entry.breadcrumb and next(iter(_entries(doc)), None) is None):
        return None
    return entry


# ---------------------------------------------------------------- 5.1.1 政府信息公开专栏 (61号)

OPENNESS_COLUMNS = {
    # inside the 政府信息公开 column, sites often drop the 政府 prefix: 信息公开指南, 信息公开年报
    "政府信息公开指南": r"(?:政府)?信息公开指南",
    "政府信息公开制度": r"(?:政府)?信息公开制度",
    "法定主动公开内容": r"法定主动公开(?:内容|目录)?",
    "政府信息公开年报": r"(?:政府)?信息公开(?:工作)?(?:年报|年度报告)",
}
OPENNESS_ROOT = r"政府信息公开(?:专栏|平台)?$"


COLUMN_NAV_MATERIAL = "政府信息公开专栏首页（含一级栏目导航）的截图或页面"


@rule("presence.5.1.1.columns", "5.1.1", COLUMN_TYPES, description="5.1.1 政府信息公开专栏四个一级栏目（61号）")
def openness_columns(evidence: Evidence) -> Iterator[Check]:
    docs = evidence.of_type(*COLUMN_TYPES, year="any")
    entries_by_doc = {d.doc_id: column_entries(d, vocabulary=list(OPENNESS_COLUMNS.values())) for d in docs}
    hits: dict[str, Entry] = {}
    breadcrumb: dict[str, Entry] = {}
    used: list[Document] = []
    for d in docs:
        entries = entries_by_doc[d.doc_id]
        any_hit = False
        for name, pattern in OPENNESS_COLUMNS.items():
            e = find_column(entries, pattern, full=True)
            if e is None:
                continue
            any_hit = True
            if e.breadcrumb:
                breadcrumb.setdefault(name, e)
            elif name not in hits:
                hits[name] = e
        if any_hit or d.doc_type is DocType.column_page:
            used.append(d)
    if not used:
        return  # no page naming the columns: no Check (no evidence)
    found = [n for n in OPENNESS_COLUMNS if n in hits]
    missing = [n for n in OPENNESS_COLUMNS if n not in hits]
    # the column's navigation is in the material when it names two of the four: a breadcrumb path or a
    # sub-column's page passes through one first-level column only (one of four named: the reviewer decides)
    visible = len(found) >= 2
    root = next((e for d in used if (e := find_column(entries_by_doc[d.doc_id], OPENNESS_ROOT, full=True))
                 and not e.breadcrumb), None)
    data = {"found": found, "missing": missing, "visible": visible, "breadcrumb": list(breadcrumb),
            "column_named": root is not None}
    cites = [entry_citation(hits[n]) for n in found]
    if not visible:
        shown = "、".join(breadcrumb) or "、".join(found)
        yield abstain_check(
            "presence.5.1.1.columns", "5.1.1", title="政府信息公开专栏一级栏目", note=COLUMN_NAV_MATERIAL,
            citations=cites + [entry_citation(e) for n, e in breadcrumb.items() if n not in hits], data=data,
            rationale=f"材料只显示某个子栏目或页面路径（{shown or '无一级栏目'}），看不到政府信息公开专栏的一级栏目导航，"
            "不能据此认定缺少栏目；请补充政府信息公开专栏首页（含一级栏目导航）的截图后再评。")
        return
    rationale = f"政府信息公开专栏的一级栏目（61号）四项，已设{len(found)}项（{'、'.join(found)}）"
    rationale += f"，未见{'、'.join(missing)}。" if missing else "。"
    yield make_check("presence.5.1.1.columns", "5.1.1", title="政府信息公开专栏一级栏目",
                     outcome=Outcome.passed if not missing else Outcome.failed, rationale=rationale,
                     citations=cites, measure=round(len(found) / len(OPENNESS_COLUMNS), 4), data=data)
    yield make_check(
        "presence.5.1.1.columns", "5.1.1", title="61号版面设计（人工核实部分）", outcome=Outcome.info,
        rationale="栏目是否位于政府网站首页显著位置、二级栏目是否采用61号所附《政府信息公开栏目页面设计参考方案》，"
        "无法从页面材料自动判定（参考方案的二级栏目内容未经核实），请人工核实。",
        flags=[Flag.unconfirmed_rule, Flag.needs_human],
    )
