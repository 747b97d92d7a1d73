"""2.1.1 申请接收渠道指引: the 政府信息公开指南 / 申请指南.

sub 1: updated within the year under review (the latest 更新/发布/印发 date it shows, cited).
sub 2: the 现场、信函、网络 channels each with concrete receiving details, and the nine guide fields
of 条例第十二条 (domain-rules.md §2.1), each found (cited) or reported missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.document import BlockKind, DocType, Document
from core.findings import Citation, Flag, cite
from indicators.cntext import Sentence, doc_sentences, find_dates, fmt_date
from indicators.cues import find_elements, first_match, unique
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule

IND = "2.1.1"
GUIDE_CUE = re.compile(r"政府信息公开指南|信息公开申请指南|依申请公开指南|申请指南")

PHONE = r"(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|\d{4}-\d{7,8})"
DETAILS: dict[str, str] = {  # patterns on the NFKC, whitespace-free text
    "地址": r"(地址|地点|位于|办公场所)(为|是)?[:]?[^:;。]{0,6}?[\u4e00-\u9fa5\d]{2,}(路|街|道|号|楼|室|大厦|院|中心|大楼|政府)",
    "邮编": r"(邮编|邮政编码)[:]?\d{6}(?!\d)",
    "电话": rf"(电话|热线|咨询)[^;。]{{0,12}}?{PHONE}",
    "办公时间": r"(办公|受理|工作|接待)时间[:]?.{0,30}?(\d{1,2}[:]\d{2}|[上下]午|工作日|周[一二三四五])[^;。]*",
    "网址": r"https?://[A-Za-z0-9./\-?=&%#_]+|www\.[A-Za-z0-9./\-_]+|[A-Za-z0-9.\-]+\.gov\.cn",
    "电子邮箱": r"[A-Za-z0-9._\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+",
    "传真": rf"传真(号码)?[:]?{PHONE}",
}


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    cue: str
    required: tuple[str, ...]  # the details named as missing when no alternative is complete
    alternatives: tuple[tuple[str, ...], ...]  # the channel is usable when one group is all present
    indicator_requires: bool = True  # 考核要点 names 现场、信函、网络; 传真 is optional but ends a segment


CHANNELS = [
    ChannelSpec("现场申请", r"现场|当面", ("地址", "办公时间"), (("地址", "办公时间"),)),
    # a postcode (邮政编码) or an e-mail address in a contact block names no channel
    ChannelSpec("信函申请", r"信函|邮寄|邮政(?!编码)", ("地址", "邮编"), (("地址", "邮编"),)),
    ChannelSpec("网络申请", r"网络|在线|网上申请|申请平台|互联网|电子邮件",
                ("网址或电子邮箱",), (("网址",), ("电子邮箱",))),
    ChannelSpec("传真申请", r"传真", ("传真",), (("传真",),), indicator_requires=False),
]
REQUIRED_CHANNELS = [c for c in CHANNELS if c.indicator_requires]
DETAIL_LABELS = ["地址", "邮编", "电话", "办公时间", "网址", "电子邮箱", "传真"]

# 条例第十二条: the nine fields of a 政府信息公开指南
GUIDE_FIELDS: dict[str, str] = {
    "分类": r"分类|类别|分为.{0,6}类",
    "编排体系": r"编排|排列|目录体系|索引号",
    "获取方式": r"获取方式|获取途径|获取信息|查阅|申请方式|提出申请|如何申请",
    "机构名称": r"(工作|受理|公开)机构|负责.{0,10}政府信息公开.{0,4}工作|机构名称",
    "办公地址": DETAILS["地址"],
    "办公时间": DETAILS["办公时间"],
    "联系电话": DETAILS["电话"],
    "传真号码": DETAILS["传真"],
    "互联网联系方式": rf"{DETAILS['网址']}|{DETAILS['电子邮箱']}",
}


def guides(ev: Evidence) -> list[Document]:
    """Documents that are the guide: their title (or first heading) names it.

    Not the opening text: a 政府信息公开专栏 page lists “政府信息公开指南” as a column in its navigation.
    """
    out = []
    for d in ev.documents:
        if d.doc_type in (DocType.ledger, DocType.annual_report, DocType.request_reply):
            continue
        first_heading = next((d.text[b.start: b.end] for b in d.blocks if b.kind is BlockKind.heading), "")
        if GUIDE_CUE.search(d.title or "") or GUIDE_CUE.search(first_heading):
            out.append(d)
    return out


@rule("request_guide.updated", IND, [DocType.web_page, DocType.other, DocType.policy_document], sub=1,
      description="政府信息公开指南在考核年度内更新")
def updated(ev: Evidence) -> Iterable[Check]:
    docs = guides(ev)
    for doc in docs:
        found = [(d.value, d.start, d.end) for d in doc.dates]
        for s in doc_sentences(doc):
            if s.has(r"更新|发布|修订|印发|日期|时间|年"):
                found += [(h.value, h.start, h.end) for h in find_dates(s.text, offset=s.start)]
        title = f"指南更新（{doc.file}）"
        if not found:
            yield make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.unknown,
                             rationale="指南未标注发布或更新日期，无法判断是否及时更新。",
                             flags=[Flag.date_unknown, Flag.needs_human])
            continue
        day, a, b = max(found)
        c = [cite(doc, a, b)]
        data = {"latest_date": day.isoformat()}
        if ev.year is None:
            yield make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.info, citations=c,
                             rationale=f"指南最近日期为{fmt_date(day)}（未指定考核年度）。", data=data)
        elif day.year == ev.year:
            yield make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.passed, citations=c,
                             rationale=f"指南最近更新日期为{fmt_date(day)}，在{ev.year}年度内。", data=data)
        elif day.year < ev.year:
            yield make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.failed, citations=c,
                             rationale=f"指南最近日期为{fmt_date(day)}，{ev.year}年度内未见更新。", data=data)
        else:
            yield make_check("request_guide.updated", IND, 1, title=title, outcome=Outcome.unknown, citations=c,
                             rationale=f"指南日期为{fmt_date(day)}，晚于考核年度{ev.year}年，需人工确认考核年度内是否已更新。",
                             flags=[Flag.needs_human], data=data)


def _channel_segments(sents: list[Sentence]) -> dict[str, list[Sentence]]:
    """Sentences describing each channel: from a sentence naming it up to the next one naming another.

    A sentence naming several channels at once ("可通过当面、信函、网络等方式") introduces them all and
    belongs to none: details follow in each channel's own paragraph.
    """
    segs: dict[str, list[Sentence]] = {c.name: [] for c in CHANNELS}
    current: str | None = None
    for s in sents:
        named = [c.name for c in CHANNELS if s.has(c.cue)]
        if len(named) == 1:
            current = named[0]
        elif len(named) > 1:
            current = None
            continue
        if current:
            segs[current].append(s)
    return segs


@rule("request_guide.channels", IND, [DocType.web_page, DocType.other, DocType.policy_document], sub=2,
      description="指南列明现场、信函、网络申请渠道及各渠道的具体接收方式")
def channels(ev: Evidence) -> Iterable[Check]:
    docs = guides(ev)
    for doc in docs:
        segs = _channel_segments(doc_sentences(doc))
        cites: list[Citation] = []
        report, complete = [], 0
        data: dict = {}
        for spec in CHANNELS:
            seg = segs[spec.name]
            if not seg:
                if spec.indicator_requires:
                    report.append(f"{spec.name}：未列明")
                data[spec.name] = None
                continue
            found = {}
            for label in DETAIL_LABELS:
                c = first_match(doc, seg, DETAILS[label])
                if c:
                    found[label] = c
            ok = any(all(x in found for x in alt) for alt in spec.alternatives)
            complete += ok and spec.indicator_requires
            missing = [] if ok else [x for x in spec.required if x not in found]
            cites.append(cite(doc, seg[0].start, seg[0].end))
            cites += found.values()
            have = "、".join(found) or "无具体接收信息"
            report.append(f"{spec.name}：已列明（{have}）" + (f"，缺少{'、'.join(missing)}" if missing else ""))
            data[spec.name] = {"details": sorted(found), "complete": ok}
        outcome = Outcome.passed if complete == len(REQUIRED_CHANNELS) else Outcome.failed
        states, why = channel_states(doc, segs)
        data["channel_states"] = states
        report.append("按渠道计分：" + "、".join(f"{name}{why[name]}" for name in states))
        yield make_check("request_guide.channels", IND, 2, title=f"申请渠道及接收方式（{doc.file}）", outcome=outcome,
                         rationale="；".join(report) + "。", citations=cites, measure=complete / len(REQUIRED_CHANNELS),
                         data=data)


PLATFORM = (r"[“\"][^”\"]{2,14}[”\"](栏目|平台|系统|专栏|模块)|(在线|网上|网络)申请(平台|系统|入口)|"
            r"依申请公开(平台|栏目|系统|专栏)|在线填(写|报)|网页表单|申请表单")
STATE_LABELS = {"complete": "（列明具体接收方式）", "named": "（仅提及或可推知，未列明细节）", "absent": "（未列明）"}


SECTION_START = re.compile(r"^\s*([一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章部]|主办|版权所有|网站标识码)")


def _until_next_section(seg: list[Sentence]) -> list[Sentence]:
    """A channel's paragraph ends where the next section (三、答复期限) or the page foot begins."""
    out = seg[:1]
    for s in seg[1:]:
        if SECTION_START.match(s.text):
            break
        out.append(s)
    return out


def channel_states(doc: Document, segs: dict[str, list[Sentence]]) -> tuple[dict[str, str], dict[str, str]]:
    """Per channel for the reviewers' 1.0/0.5/0 ladder (scoring-policy 2.1.1 sub 2).

    A named channel is complete when its details are on the page, in its own paragraph or where the
    guide states them once (the receiving office's address and hours under 受理机构); a named online
    platform or form counts for 网络. A channel never named is implied (0.5) when the receiving
    office's address and hours (现场) or an e-mail (网络) are given; a postcode in a contact block
    alone is no letter channel (0)."""
    sents = doc_sentences(doc)
    page = {label: first_match(doc, sents, DETAILS[label]) is not None for label in DETAIL_LABELS}
    page["平台"] = first_match(doc, sents, PLATFORM) is not None
    states: dict[str, str] = {}
    for spec in REQUIRED_CHANNELS:
        if segs[spec.name]:
            seg = _until_next_section(segs[spec.name])
            own = {label for label in DETAIL_LABELS if first_match(doc, seg, DETAILS[label])}
            # details stated once elsewhere on the page; for 网络 only a named platform: the site's own
            # URL in the footer or a contact e-mail is no application channel
            elsewhere = {label for label, ok in page.items() if ok}
            have = own | (elsewhere & {"平台"} if spec.name == "网络申请" else elsewhere)
            if spec.name == "网络申请" and first_match(doc, seg, PLATFORM):
                have.add("平台")
            alternatives = spec.alternatives + ((("平台",),) if spec.name == "网络申请" else ())
            states[spec.name] = "complete" if any(all(x in have for x in alt) for alt in alternatives) else "named"
        else:
            implied = (spec.name == "现场申请" and page["地址"] and page["办公时间"]) or \
                (spec.name == "网络申请" and (page["电子邮箱"] or page["平台"]))
            states[spec.name] = "named" if implied else "absent"
    return states, {name: STATE_LABELS[state] for name, state in states.items()}


@rule("request_guide.fields", IND, [DocType.web_page, DocType.other, DocType.policy_document], sub=2,
      description="指南包含条例第十二条规定的九项内容")
def fields(ev: Evidence) -> Iterable[Check]:
    for doc in guides(ev):
        found = find_elements(doc, GUIDE_FIELDS, headings_first=False)
        missing = [n for n in GUIDE_FIELDS if n not in found]
        rationale = f"条例第十二条规定的指南内容九项，已载明{len(found)}项（{'、'.join(found) or '无'}）"
        rationale += f"，缺少{'、'.join(missing)}。" if missing else "。"
        yield make_check("request_guide.fields", IND, 2, title=f"指南法定内容（{doc.file}）",
                         outcome=Outcome.passed if not missing else Outcome.failed, rationale=rationale,
                         citations=unique(list(found.values())), measure=len(found) / len(GUIDE_FIELDS),
                         data={"found": list(found), "missing": missing})
