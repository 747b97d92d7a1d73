"""2.1.1 申请接收渠道指引: the 政府信息公开指南 / 申请指南 (scoring-policy.md 2.1.1).

sub 1 "is the guide current": does it state the provisions of the 2019 条例 (20个工作日, extension at most
20, fees per 国办函〔2020〕109号, a receiving office with contacts)? A guide still stating the 2007 条例's
15个工作日 (or an extension of 15) is not current whatever its date; dates on the page are not read
(a sentence such as "自2016年1月1日起正式受理" says when requests were first accepted, not when the
guide was updated).

sub 2 the 现场、信函、网络 channels, each graded 1.0 (named with its receiving details), 0.5 (named
without them, or only implied by the receiving office's details) or 0 (absent): one Check per guide
whose data carries the grade and details per channel. Details stated elsewhere in the guide (the
address and postcode under 受理机构, the hours under 受理时间) are linked to the channels they serve.
The nine 条例第十二条 guide fields are reported as an info-only Check (not on the sub-2 ladder).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.document import BlockKind, DocType, Document
from core.findings import Citation, Flag, cite, unique_citations
from indicators.cntext import Sentence, sentences
from indicators.cues import find_elements
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule

IND = "2.1.1"
# the guide names 信息公开 (a 行政许可 申请指南 or 办事指南 is a service guide, not this one)
GUIDE_CUE = re.compile(r"信息公开[^，。]{0,6}指南|公开指南|依申请公开(?:指南|须知|说明)|信息公开申请(?:的)?(?:指南|说明|须知|流程)")
NOT_GUIDES = (DocType.ledger, DocType.annual_report, DocType.request_reply, DocType.request_notice)
# the guide itself, and pages or documents of no more specific type that may be it (a guide issued by
# a 通知 is a policy document); guides() then keeps those classified so or whose title names a guide
GUIDE_TYPES = (DocType.disclosure_guide, DocType.web_page, DocType.other, DocType.policy_document)

PHONE = r"(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|\d{4}-\d{7,8})"
# receiving details, on the NFKC whitespace-free text (full-width colon and brackets are ASCII there)
ADDRESS = r"地址(?:为)?:?[\u4e00-\u9fa5A-Za-z\d\-#()]{4,}"
POSTCODE = r"(?:邮编|邮政编码)(?:为)?:?\d{6}(?!\d)"
RECIPIENT = r"寄(?:到|至|往|送至|送到)[\u4e00-\u9fa5]{4,}|收件人|收信人"
MARKING = r"信封[^。;]{0,12}(?:注明|标注|标明|写明)"
HOURS = (r"(?:办公|工作|受理|接待|咨询|服务)时间(?:为)?:?[^。;]{0,6}?"
         r"(?:\d{1,2}:\d{2}|[上下]午|工作日|周[一二三四五六日]|星期|上班时间)")
URL = r"https?://[A-Za-z0-9./\-?=&%#_]+|www\.[A-Za-z0-9./\-_]+|[A-Za-z0-9.\-]+\.gov\.cn"
EMAIL = r"[A-Za-z0-9._\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
PLATFORM = (r"依申请公开[”\"'’]?(?:平台|栏目|系统|专栏|页面|模块)|申请(?:平台|系统)|网页表单|在线(?:填写|提交|申请)|"
            r"网上申请(?:平台|系统)")
FAX = rf"传真(?:号码|电话)?:?{PHONE}"
TEL = rf"(?:电话|热线|咨询)[^;。]{{0,12}}?{PHONE}"

DETAIL_PATTERNS = {"地址": ADDRESS, "邮编": POSTCODE, "收件机关": RECIPIENT, "信封标注": MARKING, "办公时间": HOURS,
                   "网址": URL, "电子邮箱": EMAIL, "申请平台": PLATFORM}

# a channel named as a way of applying (not the applicant's own 邮寄地址, not a 当场答复)
CHANNEL_CUES = {
    "现场": r"当面|现场(?:申请|提交|递交|提出|办理|方式|渠道)|窗口(?:申请|提交|递交)",
    "信函": r"信函|邮政寄送|邮寄(?!地址)|寄(?:到|至|往)|信封",
    "网络": (r"网上申请|网络(?:申请|方式|渠道|等方式)|互联网(?:申请|提出|提交|方式|渠道)|通过互联网|在线申请|网上提交|电子邮件(?:方式|申请|提交|发送)|"
           r"发送(?:至|到)[^。;,]{0,12}邮箱|依申请公开[”\"'’]?(?:平台|栏目|系统)|网页表单"),
    "传真": r"传真(?:申请|方式|渠道|提交|发送|到)|以传真",  # not graded; it ends the other channels' paragraphs
}
GRADED = ("现场", "信函", "网络")
STATE_OF_GRADE = {1.0: "complete", 0.5: "named", 0.0: "absent"}
# sentences about complaints and remedies: their address or phone is no receiving office's
NOT_OFFICE = r"投诉|举报|监督|复议|诉讼"
SITE_FURNITURE = r"主办(?:单位)?:|承办(?:单位)?:|版权所有|ICP|网站标识码|技术支持|当前位置"
# 查阅点 of 主动公开 information are places to read, not to apply
READING_ONLY = r"查阅"
BARE = re.compile(r"^(?:[(]?[\d一二三四五六七八九十]+[)、.．]?\)?)?[\u4e00-\u9fa5、]{0,10}[。:;]?$")


@dataclass(frozen=True)
class Unit:
    """A sentence of the guide with where it stands: a heading's level, a table cell."""

    sent: Sentence
    heading: int | None  # heading level (None for body text)
    table: bool = False

    @property
    def bare(self) -> bool:
        """A numbered channel title with nothing else ("3.当面申请。"): never the evidence cited."""
        return bool(BARE.match(self.sent.norm.text))

    @property
    def section_break(self) -> bool:
        """A top-level heading (一、…) or a short title line without punctuation (接收): a new part."""
        text = self.sent.norm.text
        if self.heading is not None and self.heading <= 1:
            return True
        if self.heading is None and re.match(r"[一二三四五六七八九十]+[、.]", text) and len(text) <= 20:
            return True  # a part's title read from a screenshot (no heading blocks there)
        return self.heading is None and len(text) <= 6 and not re.search(r"[。,;:、]", text)

    @property
    def site_furniture(self) -> bool:
        """A page footer (主办单位, ICP, the page's own address) read from a screenshot: no receiving detail."""
        return self.sent.has(SITE_FURNITURE)


def guides(ev: Evidence) -> list[Document]:
    """Documents that are the guide: classified so, or their title (or first heading) names it.

    Not the opening text: a 政府信息公开专栏 page lists “政府信息公开指南” as a column in its navigation.
    """
    out = []
    for d in ev.documents:
        if d.doc_type in NOT_GUIDES:
            continue
        first_heading = next((d.text[b.start: b.end] for b in d.blocks if b.kind is BlockKind.heading), "")
        if (d.doc_type is DocType.disclosure_guide or GUIDE_CUE.search(d.title or "")
                or GUIDE_CUE.search(first_heading)):
            out.append(d)
    return out


def units(doc: Document) -> list[Unit]:
    """The guide's sentences in order (main text only), each with its block's kind."""
    if not doc.blocks:
        return [Unit(s, None) for s in sentences(doc.text)]
    out = []
    for b in sorted(doc.blocks, key=lambda b: b.start):
        if b.kind is BlockKind.navigation:
            continue
        wrapped = b.kind in (BlockKind.paragraph, BlockKind.heading)
        level = (b.level if b.level is not None else 0) if b.kind is BlockKind.heading else None
        for s in sentences(doc.text[b.start: b.end], offset=b.start, newline_ends=not wrapped):
            out.append(Unit(s, level, b.kind is BlockKind.table))
    return out


def _sentence_cite(doc: Document, u: Unit) -> Citation:
    return cite(doc, u.sent.start, u.sent.end)


# ---------------------------------------------------------------- sub 1: current provisions

CURRENT = {
    "答复期限20个工作日": r"(?:20|二十)个工作日",
    "延期不超过20个工作日": r"(?:延长|延期)[^。;]{0,30}(?:20|二十)个工作日",
    "信息处理费按国办函〔2020〕109号": r"国办函[〔\[(]2020[〕\])]109号|信息处理费管理办法",
    "依据2019年修订的条例": r"国务院令第?711号|2019年4月3日[^。;]{0,12}修订|2019年5月15日起施行",
    "补正按2019年条例第三十条": r"补正[^。]{0,60}第三十条|第三十条[^。]{0,30}补正",
}
OUTDATED = r"(?:15|十五)个工作日"
OLD_WORDING = {  # the 2007 条例's wording without its deadlines: a human decides
    "依据2007年条例（国务院令第492号）": r"国务院令第?492号|2008年5月1日起施行",
    "沿用2007年条例“作出更改、补充”的表述": r"作出更改、补充",
}
OFFICE = (r"受理机构|信息公开(?:工作)?机构|受理[^。;]{0,12}(?:科室|部门|机构)|(?:负责|承办)[^。;]{0,20}政府信息公开[^。;]{0,6}工作|"
          r"负责[^。;]{0,12}依申请公开")
OFFICE_NAMED = r"受理机构(?:为|是)|是[^。;]{0,30}受理机构|由[^。;]{0,30}受理|负责[^。;]{0,30}(?:政府信息公开|依申请公开)"


def _about_reply_deadline(u: Unit) -> bool:
    """The sentence speaks of the reply deadline or its extension (not the 15 days a third party has
    to give its opinion under 条例第三十二条)."""
    return u.sent.has(r"答复|延长|延期|期限") and not u.sent.has(r"第三方|征求意见|提出意见")


@rule("request_guide.updated", IND, GUIDE_TYPES, sub=1,
      description="政府信息公开指南内容现行（载明2019年修订条例的规定，如20个工作日答复期限）")
def updated(ev: Evidence) -> Iterable[Check]:
    docs = guides(ev)
    for doc in docs:
        yield _current_check(doc)


def _current_check(doc: Document) -> Check:
    us = [u for u in units(doc) if not u.table]
    title = f"指南内容是否现行（{doc.file}）"
    outdated = [u for u in us if u.sent.has(OUTDATED) and _about_reply_deadline(u)]
    current: dict[str, Unit] = {}
    for label, pattern in CURRENT.items():
        hit = next((u for u in us if u.sent.has(pattern)
                    and (label != "答复期限20个工作日" or _about_reply_deadline(u))), None)
        if hit:
            current[label] = hit
    old_wording = {label: u for label, pattern in OLD_WORDING.items() if (u := _first(us, pattern))}
    offices = [u for u in us if (u.sent.has(OFFICE) or u.sent.has(OFFICE_NAMED)) and not u.sent.has(NOT_OFFICE)]
    # the sentence naming the receiving office first, then any sentence, then a heading
    office = (next((u for u in offices if u.sent.has(OFFICE_NAMED)), None)
              or next((u for u in offices if u.heading is None), None) or next(iter(offices), None))
    contacts = [u for u in us if not u.sent.has(NOT_OFFICE) and any(u.sent.has(p) for p in (TEL, EMAIL, ADDRESS))]
    data = {"current": list(current), "outdated": [u.sent.text for u in outdated], "old_wording": list(old_wording),
            "office_with_contacts": bool(office and contacts)}
    if outdated:
        cites = [_sentence_cite(doc, u) for u in outdated]
        return make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.failed, citations=cites,
                          data=data, rationale="指南仍载有2007年条例的答复期限（15个工作日，或延期15个工作日），"
                          "与2019年修订的条例第三十三条（20个工作日、延期不超过20个工作日）不符，指南未及时更新。")
    office_note = "，并列明受理机构及联系方式" if office and contacts else "，但未见受理机构的联系方式"
    # the office, then one line of each kind of contact (phone, address, e-mail)
    by_kind = [next((u for u in contacts if u.sent.has(p)), None) for p in (TEL, ADDRESS, EMAIL)]
    office_cites = [_sentence_cite(doc, u) for u in ([office] if office else []) + [u for u in by_kind if u]]
    if current:
        cites = unique_citations([_sentence_cite(doc, u) for u in current.values()] + office_cites)
        return make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.passed, citations=cites,
                          data=data, rationale=f"指南载明现行规定（{'、'.join(current)}）{office_note}，"
                          "未见2007年条例的15个工作日等旧规定。")
    if old_wording:
        cites = [_sentence_cite(doc, u) for u in old_wording.values()]
        return make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.unknown, citations=cites,
                          flags=[Flag.needs_human], data=data,
                          rationale=f"指南未写答复期限，但{'、'.join(old_wording)}，请人工核实指南是否按2019年条例更新"
                          "（材料不全时请补充指南全文）。")
    if office and contacts:
        return make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.passed,
                          citations=unique_citations(office_cites), flags=[Flag.low_confidence], data=data,
                          rationale="指南未写答复期限和收费依据，未见2007年条例的15个工作日等旧规定，"
                          "并列明受理机构及联系方式，按现行指南计；如材料为节选，请核对指南全文。")
    return make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.unknown, flags=[Flag.needs_human],
                      data=data, rationale="指南未载明答复期限、收费依据或受理机构联系方式，无法判断是否按2019年条例"
                      "更新，请补充指南全文。")


# ---------------------------------------------------------------- sub 2: channels


@dataclass
class ChannelFinding:
    name: str
    named: list[Unit] = field(default_factory=list)  # the sentences naming it as a way of applying
    segment: list[Unit] = field(default_factory=list)  # its own paragraph(s)
    details: dict[str, Unit] = field(default_factory=dict)  # detail label -> the sentence stating it
    linked: set[str] = field(default_factory=set)  # details taken from elsewhere in the guide (受理机构 …)
    grade: float = 0.0
    missing: list[str] = field(default_factory=list)


def _named(u: Unit) -> list[str]:
    return [name for name, cue in CHANNEL_CUES.items() if u.sent.has(cue)]


def _segments(us: list[Unit]) -> dict[str, ChannelFinding]:
    """Each channel's own sentences: from a sentence naming it up to one naming another channel, or to
    the next part of the guide. A sentence naming several channels ("可通过当面、信函、网络等方式")
    names them all and belongs to none: details follow in each channel's own paragraph."""
    found = {name: ChannelFinding(name) for name in CHANNEL_CUES}
    current: str | None = None
    for u in us:
        if u.table or u.site_furniture:
            current = None
            continue
        names = _named(u)
        if u.section_break and not names:
            current = None
            continue
        for name in names:
            found[name].named.append(u)
        if len(names) == 1:
            current = names[0]
        elif len(names) > 1:
            current = None
            continue
        if current:
            found[current].segment.append(u)
    return found


def _first(us: Iterable[Unit], pattern: str) -> Unit | None:
    return next((u for u in us if u.sent.has(pattern)), None)


def _grade(ch: ChannelFinding, pool: list[Unit]) -> None:
    """Grade one channel: its own sentences first, then the receiving office's details (pool)."""

    own = ch.segment + [u for u in ch.named if u not in ch.segment]

    def detail(label: str, own_only: bool = False) -> bool:
        pattern = DETAIL_PATTERNS[label]
        hit = _first(own, pattern)
        if hit is None and not own_only:
            hit = _first(pool, pattern)
            if hit is not None:
                ch.linked.add(label)
        if hit is not None:
            ch.details[label] = hit
        return hit is not None

    named = bool(ch.named)
    if ch.name == "现场":
        needs = {"地址": detail("地址"), "办公时间": detail("办公时间")}
        complete = all(needs.values())
    elif ch.name == "信函":
        needs = {"地址": detail("地址") | detail("收件机关", own_only=True), "邮编": detail("邮编")}
        detail("信封标注", own_only=True)
        complete = all(needs.values())
        if not named:  # a postal address or postcode in a contact block is no letter channel
            ch.details.clear()
            ch.linked.clear()
    else:
        stated = [detail(x, own_only=True) for x in ("网址", "申请平台", "电子邮箱")]
        if not any(stated) and named:
            seg_mentions_mail = any(u.sent.has(r"邮箱|电子邮件") for u in own)
            seg_mentions_site = any(u.sent.has(r"网站|网址|门户") for u in own)
            if seg_mentions_mail:
                detail("电子邮箱")
            if seg_mentions_site and "电子邮箱" not in ch.details:
                detail("网址")
        elif not named:
            detail("电子邮箱")  # an e-mail of the receiving office: online applications implied
        needs = {"网址、申请平台或受理邮箱": bool(ch.details)}
        complete = bool(ch.details)
    ch.missing = [k for k, ok in needs.items() if not ok]
    if named:
        ch.grade = 1.0 if complete else 0.5
    elif ch.name == "现场" and complete:
        ch.grade = 0.5  # the receiving office's address and hours: one may apply there, not said
    elif ch.name == "网络" and ch.details:
        ch.grade = 0.5  # the receiving office's e-mail, not said to accept applications
    else:
        ch.grade = 0.0
        ch.details.clear()
        ch.linked.clear()


def grade_channels(doc: Document) -> dict[str, ChannelFinding]:
    us = units(doc)
    found = _segments(us)
    pool = [u for u in us if not u.table and not u.site_furniture and not u.sent.has(NOT_OFFICE)
            and not (u.sent.has(READING_ONLY) and not u.sent.has(r"申请"))]
    for name in GRADED:
        _grade(found[name], pool)
    return {name: found[name] for name in GRADED}


def _statement(ch: ChannelFinding) -> Unit | None:
    """The sentence that says how to apply through the channel: not a bare title like "3.当面申请。"."""
    candidates = [u for u in ch.segment + ch.named if not u.bare]
    return next((u for u in candidates if u.sent.has(r"申请人|公众|可以|可|请|应")), None) or next(iter(candidates), None)


def _describe(ch: ChannelFinding) -> str:
    grade = f"{ch.grade:.1f}"
    if not ch.named and ch.grade == 0:
        return f"{ch.name}：未列明（{grade}）"
    have = "、".join(ch.details) or "无具体接收信息"
    linked = f"，其中{'、'.join(sorted(ch.linked))}见指南其他部分（受理机构等）" if ch.linked else ""
    if not ch.named:
        return f"{ch.name}：未写明可用此方式申请，仅能从受理机构的{have}推知（{grade}）"
    missing = f"，缺少{'、'.join(ch.missing)}" if ch.missing else ""
    return f"{ch.name}：已列明（{have}{linked}{missing}）（{grade}）"


@rule("request_guide.channels", IND, GUIDE_TYPES, sub=2,
      description="指南列明现场、信函、网络申请渠道及各渠道的具体接收方式")
def channels(ev: Evidence) -> Iterable[Check]:
    docs = guides(ev)
    for doc in docs:
        graded = grade_channels(doc)
        cites: list[Citation] = []
        for ch in graded.values():
            if ch.grade == 0:
                continue
            statement = _statement(ch)
            shown = ([statement] if statement else ch.named[:1]) + list(ch.details.values())
            cites += [_sentence_cite(doc, u) for u in shown]
        total = sum(ch.grade for ch in graded.values())
        data = {"channels": {name: {"grade": ch.grade, "details": list(ch.details), "named": bool(ch.named),
                                    "linked": sorted(ch.linked), "missing": ch.missing}
                             for name, ch in graded.items()},
                # the same grades as the catalog's states (scoring-policy 2.1.1 sub 2): the ladder lives there
                "channel_states": {name: STATE_OF_GRADE[ch.grade] for name, ch in graded.items()}}
        rationale = "；".join(_describe(ch) for ch in graded.values())
        rationale += f"。三个渠道合计{total:.1f}（每个渠道：列明且有具体接收方式1.0，仅列明或仅能推知0.5，未列明0）。"
        yield make_check("request_guide.channels", IND, 2, title=f"申请渠道及接收方式（{doc.file}）",
                         outcome=Outcome.passed if total == len(GRADED) else Outcome.failed,
                         rationale=rationale, citations=unique_citations(cites), measure=round(total / len(GRADED), 4),
                         data=data)


# ---------------------------------------------------------------- the nine fields (info only)

# 条例第十二条: the nine fields of a 政府信息公开指南
GUIDE_FIELDS: dict[str, str] = {
    "分类": r"分类|类别|分为.{0,6}类",
    "编排体系": r"编排|排列|目录体系|索引号",
    "获取方式": r"获取方式|获取途径|获取信息|查阅|申请方式|提出申请|如何申请",
    "机构名称": r"(工作|受理|公开)机构|负责.{0,10}政府信息公开.{0,4}工作|机构名称",
    "办公地址": ADDRESS,
    "办公时间": HOURS,
    "联系电话": TEL,
    "传真号码": FAX,
    "互联网联系方式": rf"{URL}|{EMAIL}",
}


@rule("request_guide.fields", IND, GUIDE_TYPES, sub=2,
      description="指南包含条例第十二条规定的九项内容")
def fields(ev: Evidence) -> Iterable[Check]:
    for doc in guides(ev):
        found = find_elements(doc, GUIDE_FIELDS, headings_first=False)
        missing = [n for n in GUIDE_FIELDS if n not in found]
        rationale = f"条例第十二条规定的指南内容九项，已载明{len(found)}项（{'、'.join(found) or '无'}）"
        rationale += f"，缺少{'、'.join(missing)}" if missing else ""
        rationale += "。仅供参考，不计入申请渠道得分。"
        yield make_check("request_guide.fields", IND, 2, title=f"指南法定内容（{doc.file}）", outcome=Outcome.info,
                         rationale=rationale, citations=unique_citations(list(found.values())),
                         data={"found": list(found), "missing": missing, "info_only": True})
