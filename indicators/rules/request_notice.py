"""2.1.2 依申请公开办理: the notices sent while a request is handled (补正告知书, 延期答复告知书).

A notice is not the final reply: its reply type, legal basis and remedy notice are never checked
(those are the final reply's, request_reply.py). It is checked for its own elements:
- 延期 (条例第三十三条第二款): the reason, the approval of the office's head, the new deadline (a date or
  the number of working days), and that it was sent within the first 20 working days (sub 1);
- 补正 (条例第三十条): what is to be corrected and the time allowed to correct it (sub 2).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.document import DocType, Document
from core.findings import Flag, unique_citations
from indicators.cntext import doc_sentences, fmt_date
from indicators.cues import first_match
from indicators.replies.extract import extract_reply
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule
from indicators.workdays import workdays_between

IND = "2.1.2"
FIRST_PERIOD_WD = 20  # 条例第三十三条第二款

EXTENSION_CUE = r"延长答复期限|延期答复|答复期限延长|延长\d+个工作日|延长二十个工作日|延期"
CORRECTION_CUE = r"补正"
EXTENSION_ELEMENTS = {
    "延期理由": r"(因|由于|鉴于)[^。;]{4,}|需要?[^。;]{0,20}(核查|调取|征求|协调|检索|查找|汇总|研究)",
    "机构负责人同意": r"负责人(同意|批准)",
    "延长后的答复期限": r"(将于|于|在)\d{4}年\d{1,2}月\d{1,2}日(前|之前|以前)|延长(答复期限)?(\d+|二十|十五|十)个工作日|延长至",
}
CORRECTION_ELEMENTS = {
    "需补正的内容": r"补正[^。;]{0,30}(内容|材料|事项|信息|以下)|(请|需要?)[^。;]{0,40}(补充|补正|更改|明确|说明)",
    "补正期限": r"(\d+|[一二三四五六七八九十]+)个工作日内|(于|在)\d{4}年\d{1,2}月\d{1,2}日(前|之前|以前)",
}


def notice_kind(doc: Document) -> str | None:
    head = (doc.title or "") + doc.main_text[:400]
    if "补正" in head:
        return "correction"
    if "延期" in head or "延长" in head:
        return "extension"
    return None


def _notices(ev: Evidence) -> list[tuple[Document, str]]:
    return [(d, k) for d in ev.of_type(DocType.request_notice) if (k := notice_kind(d))]


@rule("request_notice.extension_timing", IND, [DocType.request_notice], sub=1,
      description="延期答复告知在收到申请之日起20个工作日内作出（条例第三十三条第二款）")
def extension_timing(ev: Evidence) -> Iterable[Check]:
    for doc, kind in _notices(ev):
        if kind != "extension":
            continue
        facts = extract_reply(doc)
        received, sent = facts.receipt.date, facts.reply_date
        title = f"延期告知时间（{doc.file}）"
        cites = unique_citations([c for c in (
            first_match(doc, doc_sentences(doc), r"收到|提出|提交", whole=True),
            first_match(doc, doc_sentences(doc), EXTENSION_CUE, whole=True)) if c])
        if received is None or sent is None:
            missing = "收到申请日期" if received is None else "告知日期（落款）"
            yield make_check("request_notice.extension_timing", IND, 1, title=title, outcome=Outcome.unknown,
                             rationale=f"延期告知书未载明{missing}，无法判断是否在首个20个工作日内告知，请人工核实。",
                             citations=cites, flags=[Flag.date_unknown, Flag.needs_human])
            continue
        count = workdays_between(received.value, sent.value)
        flags = [] if count.calendar_covered else [Flag.out_of_calendar, Flag.needs_human]
        ok = count.count <= FIRST_PERIOD_WD
        rationale = (f"收到申请{fmt_date(received.value)}，延期告知{fmt_date(sent.value)}，为第{count.count}个工作日，"
                     + ("在首个20个工作日内。" if ok else "已超过首个20个工作日，延期告知不及时。"))
        yield make_check("request_notice.extension_timing", IND, 1, title=title,
                         outcome=Outcome.passed if ok else Outcome.failed, rationale=rationale,
                         citations=cites, flags=flags, data={"workdays": count.count})


@rule("request_notice.elements", IND, [DocType.request_notice], sub=2,
      description="补正告知书载明需补正的内容和期限；延期告知书载明理由、负责人同意和延长后的期限")
def elements(ev: Evidence) -> Iterable[Check]:
    for doc, kind in _notices(ev):
        wanted = EXTENSION_ELEMENTS if kind == "extension" else CORRECTION_ELEMENTS
        label = "延期答复告知书" if kind == "extension" else "补正告知书"
        sents = doc_sentences(doc)
        found = {name: c for name, pattern in wanted.items() if (c := first_match(doc, sents, pattern, whole=True))}
        missing = [n for n in wanted if n not in found]
        rationale = f"{label}载明{'、'.join(found) or '（无）'}" + (f"，未载明{'、'.join(missing)}。" if missing else "。")
        yield make_check("request_notice.elements", IND, 2, title=f"{label}要素（{doc.file}）",
                         outcome=Outcome.failed if missing else Outcome.passed, rationale=rationale,
                         citations=unique_citations(list(found.values())), data={"found": list(found), "missing": missing})
