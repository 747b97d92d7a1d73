"""Read a 依申请公开答复书 into `ReplyFacts` (pure: no rule decisions here, only what the letter says).

Cue patterns run on each sentence's NFKC, whitespace-free form (full-width ，：（）；！？ fold to
ASCII), so PDF line breaks inside words do not hide a cue; spans are mapped back to the original text.
"""

from __future__ import annotations

import re

from core.document import DateKind, Document
from indicators.cntext import CN_NUM, DateHit, Sentence, cn_to_int, doc_sentences, find_dates
from indicators.replies.models import (
    ArticleRef,
    Channel,
    Consultation,
    Correction,
    DateFact,
    Extension,
    Receipt,
    ReceiptDateKind,
    RemedyNotice,
    ReplyFacts,
    ReplyType,
    ReplyTypeHit,
    Spanned,
)
from indicators.workdays import workdays_between

N = rf"(?:[0-9]+|[{CN_NUM}]+)"

CHANNEL_CUES: list[tuple[Channel, str]] = [  # first match in the receipt sentence, else in the letter
    (Channel.fax, r"传真"),
    (Channel.online, r"网络|网上|在线|互联网|电子邮件|电子邮箱|邮箱|网站|平台|政务服务网|email|e-mail"),
    (Channel.mail, r"邮寄|信函|挂号|EMS|快递|邮政|寄送|来信"),
    (Channel.in_person, r"当面|现场|窗口|面交|亲自"),
]
RECEIVED_CUE = r"收到|签收|受理|确认"
SENT_CUE = r"提交|提出|寄出|寄送|发送|邮寄|递交"

TYPE_CUES: list[tuple[ReplyType, str]] = [
    (ReplyType.partial, r"部分公开|区分处理"),
    (ReplyType.refused, r"不予公开"),
    (ReplyType.not_exist, r"信息不存在|不存在(您|你)?所?(申请|需要)|(没有|未)(制作|获取|保存)(过)?(该|此|相关|您)|"
                          r"经检索.{0,30}(没有|未|无)(找到|查询到|检索到|查到|发现|相关|该|您|所)"),
    (ReplyType.not_ours, r"不属于本(机关|单位|局|部门|委|院|办)(负责)?公开|不属于本(机关|单位|局|部门)(的)?(职责|职权|掌握)"),
    (ReplyType.repeated, r"重复申请|不予重复处理"),
    (ReplyType.special_law, r"(工商|不动产|户籍|婚姻)(登记)?(资料|信息).{0,40}(依照|按照|依据).{0,30}规定办理"),
    (ReplyType.needs_processing, r"(需要|需|须)(对.{0,20})?(进行)?(加工|分析|汇总|统计|另行制作|重新制作)"),
    (ReplyType.petition, r"不作为政府信息公开申请处理|(信访|投诉|举报)(类|事项|诉求)?.{0,30}(不予处理|依法处理|渠道)"),
    (ReplyType.publication, r"公开出版物"),
    (ReplyType.excessive, r"(数量|频次)明显超过合理范围"),
    (ReplyType.correction_lapsed, r"(逾期|未在.{0,12}内)(未|不)?补正|视为放弃(申请|本次申请)"),
    (ReplyType.already_public, r"已(经)?(主动)?(公开|发布|公布)|已在.{1,40}(公开|发布|公布)|"
                               r"(可|请)(通过|登录|在|到).{1,40}(查询|查阅|获取|下载|查看)"),
    (ReplyType.disclosed, r"予以公开|同意公开|现(将|把).{0,40}(提供|寄送|发送|送达)给?(您|你)|随(本|此)?(答复|告知)书?.{0,6}(附|提供)"),
]
REMEDY_CUE = r"行政复议|行政诉讼|提起诉讼|人民法院"
REASON_CUE = (r"因|由于|鉴于|理由|原因|涉及|属于|经(检索|查询|核实|审查|查找)|第十[四五六]条|"
              r"国家秘密|个人隐私|商业秘密|内部事务|过程性|行政执法案卷|危及")
ARTICLE_RE = re.compile(
    rf"第({N})条(?:第?\(?({N})\)?项|\(({N})\))?"
)
LAW_RE = re.compile(r"《([^》]{2,40})》|本条例")
BODY_SUFFIX = re.compile(r"(人民政府|办公室|办公厅|局|委员会|委|中心|街道办事处|管理处|管委会|政府|公司|院|所|队|站)\s*(（?盖?章）?)?$")


def _span(s: Sentence, m: re.Match[str], group: int | str = 0) -> Spanned:
    a, b = s.span(m.start(group), m.end(group))
    return Spanned(start=a, end=b)


def _whole(s: Sentence) -> Spanned:
    return Spanned(start=s.start, end=s.end)


def _date_fact(h: DateHit) -> DateFact:
    return DateFact(value=h.value, start=h.start, end=h.end)


def _dates_in(s: Sentence, all_dates: list[DateHit]) -> list[DateHit]:
    return [h for h in all_dates if s.start <= h.start < s.end]


def _reply_date(doc: Document, all_dates: list[DateHit]) -> DateFact | None:
    signed = doc.date_of(DateKind.signing)
    if signed:
        return DateFact(value=signed.value, start=signed.start, end=signed.end)
    # the 落款 date: the last date standing on a short line of its own in the last part of the letter
    text = doc.main_text
    tail = len(text) * 0.5
    for h in reversed(all_dates):
        line_start = text.rfind("\n", 0, h.start) + 1
        line_end = text.find("\n", h.end)
        line = text[line_start: line_end if line_end != -1 else len(text)].strip()
        if h.start >= tail and len(line) <= 20:
            return _date_fact(h)
    return None


def _issuer(doc: Document, reply_date: DateFact | None) -> tuple[str | None, Spanned | None]:
    if reply_date is not None:
        lines_before = doc.text[: reply_date.start].rstrip().split("\n")
        pos = len(doc.text[: reply_date.start].rstrip())
        # the line on which the date stands may start with the issuer ("XX局  2025年10月20日")
        for line in reversed(lines_before[-3:]):
            name = line.strip()
            end = pos - (len(line) - len(line.rstrip()))
            if name and len(name) <= 40 and BODY_SUFFIX.search(name):
                start = end - len(line.strip())
                return name, Spanned(start=start, end=end)
            pos -= len(line) + 1
    if doc.issuer:
        hit = doc.find(doc.issuer)
        return doc.issuer, Spanned(start=hit.start, end=hit.end) if hit else None
    return None, None


def _applicant(doc: Document) -> tuple[str | None, Spanned | None]:
    m = re.search(r"申请人[:：]\s*([^\s，,。；;]{2,30})", doc.main_text)
    if m:
        return m.group(1), Spanned(start=m.start(1), end=m.end(1))
    pos = 0
    for line in doc.main_text.split("\n")[:8]:  # salutation: "张某某：" / "王某某先生：" / "某某公司："
        name = line.strip()
        if name.endswith(("：", ":")) and 2 <= len(name) <= 31 and not re.search(r"答复|告知|通知|事项", name):
            start = pos + line.index(name)
            return name[:-1], Spanned(start=start, end=start + len(name) - 1)
        pos += len(line) + 1
    return None, None


def _channel(text: str) -> tuple[Channel, re.Match[str] | None]:
    best: tuple[int, Channel, re.Match[str]] | None = None
    for channel, cue in CHANNEL_CUES:
        m = re.search(cue, text, re.IGNORECASE)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), channel, m)
    return (best[1], best[2]) if best else (Channel.unknown, None)


def _classify_date(s: Sentence, h: DateHit, nxt: DateHit | None) -> ReceiptDateKind | None:
    """What the date is: the first verb after it (up to the next date) decides, 收到/签收 -> receipt,
    提交/寄出 -> sending ("您于9月1日提交的申请，本机关已收到": 9月1日 is the sending date)."""
    after = s.text[h.end - s.start: (nxt.start if nxt else s.end) - s.start]
    before = s.text[max(0, h.start - s.start - 8): h.start - s.start]
    if re.search(r"(收到|签收|确认)(日期|时间)?(为|是|:|：)?\s*$", before):
        return ReceiptDateKind.received
    got, sent = re.search(RECEIVED_CUE, after), re.search(SENT_CUE, after)
    if got and (not sent or got.start() < sent.start()):
        return ReceiptDateKind.received
    if sent or "申请" in after:
        return ReceiptDateKind.sent
    return None


def _receipt(doc: Document, sents: list[Sentence], all_dates: list[DateHit]) -> Receipt:
    best: Receipt | None = None
    for s in sents:
        if s.has(r"补正|延长|征求|复议|诉讼") or not s.has(rf"申请|{RECEIVED_CUE}"):
            continue
        hits = _dates_in(s, all_dates)
        for i, h in enumerate(hits):
            kind = _classify_date(s, h, hits[i + 1] if i + 1 < len(hits) else None)
            if kind is None:
                continue
            channel, cm = _channel(s.norm.text)
            cand = Receipt(date=_date_fact(h), kind=kind, channel=channel, sentence=_whole(s),
                           channel_span=_span(s, cm) if cm else None)
            if kind is ReceiptDateKind.received:
                return _with_doc_channel(cand, doc, sents)
            best = best or cand
        if best:
            break
    if best is None:
        found = doc.date_of(DateKind.receipt)
        if found:
            best = Receipt(date=DateFact(value=found.value, start=found.start, end=found.end),
                           kind=ReceiptDateKind.received)
    return _with_doc_channel(best or Receipt(), doc, sents)


def _with_doc_channel(r: Receipt, doc: Document, sents: list[Sentence]) -> Receipt:
    if r.channel is not Channel.unknown:
        return r
    for s in sents:  # the channel may be named elsewhere in the letter
        if s.has(r"复议|诉讼|联系"):
            continue
        channel, cm = _channel(s.norm.text)
        if cm:
            return r.model_copy(update={"channel": channel, "channel_span": _span(s, cm)})
    return r


def _extension(sents: list[Sentence], all_dates: list[DateHit]) -> Extension | None:
    for i, s in enumerate(sents):
        if not s.has(r"延长.{0,8}(期限|时限)|延期答复"):
            continue
        m = s.search(rf"延长.{{0,8}}?({N})个工作日")
        days = cn_to_int(m.group(1)) if m else 20
        window = [s, *sents[i + 1: i + 2]]
        approved = any(w.has(r"负责人(的)?(同意|批准|审批)") for w in window)
        notice = None
        for w in window:
            if w.has(r"告知|通知|送达|答复|延长"):
                dates = _dates_in(w, all_dates)
                if dates:
                    notice = _date_fact(dates[0])
                    break
        return Extension(sentence=_whole(s), workdays=days or 20, approved=approved, notice_date=notice)
    return None


def _consultation(sents: list[Sentence], all_dates: list[DateHit]) -> Consultation | None:
    for i, s in enumerate(sents):
        if not s.has(r"征求.{0,20}意见|第三方.{0,10}意见"):
            continue
        window = [s]
        if len(_dates_in(s, all_dates)) < 2:  # the reply date may stand in the next sentence
            window += [w for w in sents[i + 1: i + 2] if w.has(r"第三方|意见|回复|函") and not w.has(r"延长|延期")]
        stated = next((m for w in window if (m := w.search(rf"({N})个工作日.{{0,20}}不(计算|计入)|不(计算|计入).{{0,20}}?({N})个工作日"))), None)
        dates = [h for w in window for h in _dates_in(w, all_dates)]
        excluded = None
        if stated:
            excluded = cn_to_int(stated.group(1) or stated.group(4))
        elif len(dates) >= 2:  # 发出征求意见函 … 第三方回复: the days in between are not counted
            excluded = workdays_between(dates[0].value, dates[-1].value).count
        return Consultation(sentence=Spanned(start=window[0].start, end=window[-1].end),
                            excluded_workdays=excluded, dates=[_date_fact(h) for h in dates])
    return None


def _correction(sents: list[Sentence], all_dates: list[DateHit]) -> Correction | None:
    for s in sents:
        if s.has(r"补正") and not s.has(r"逾期|视为放弃"):
            received = [h for h in _dates_in(s, all_dates) if re.search(r"收到|补正后", s.text[h.end - s.start:])]
            return Correction(sentence=_whole(s), corrected_receipt=_date_fact(received[-1]) if received else None)
    return None


def _types(sents: list[Sentence]) -> list[ReplyTypeHit]:
    hits: dict[ReplyType, ReplyTypeHit] = {}
    for s in sents:
        if s.has(REMEDY_CUE):
            continue
        for rtype, cue in TYPE_CUES:
            m = s.search(cue)
            if m and rtype not in hits:
                sp = _span(s, m)
                hits[rtype] = ReplyTypeHit(type=rtype, start=sp.start, end=sp.end)
    if ReplyType.partial in hits:  # a partial disclosure refuses part and discloses part by definition
        hits.pop(ReplyType.refused, None)
        hits.pop(ReplyType.disclosed, None)
    if len(hits) > 1:  # "已公开" wording also appears in letters of other types ("已在…公开" of another item)
        hits.pop(ReplyType.already_public, None) if ReplyType.not_exist in hits else None
    return sorted(hits.values(), key=lambda h: h.start)


def _articles(doc: Document, sents: list[Sentence]) -> list[ArticleRef]:
    mentions_regulation = "政府信息公开条例" in doc.norm.text
    refs = []
    for s in sents:
        laws = list(LAW_RE.finditer(s.norm.text))
        for m in ARTICLE_RE.finditer(s.norm.text):
            art = cn_to_int(m.group(1))
            item_text = m.group(2) or m.group(3)
            item = cn_to_int(item_text) if item_text else None
            if art is None:
                continue
            before = [law for law in laws if law.start() < m.start()]
            law = (before[-1].group(1) or "条例") if before else None
            is_reg = ("政府信息公开条例" in law or law == "条例") if law else (mentions_regulation and art <= 56)
            sp = _span(s, m)
            refs.append(ArticleRef(article=art, item=item, law=law, is_regulation=is_reg,
                                   start=sp.start, end=sp.end))
    return refs


def _remedy(sents: list[Sentence]) -> RemedyNotice | None:
    chosen = [s for s in sents if s.has(r"行政复议|行政诉讼|提起诉讼")]
    if not chosen:
        return None
    text = "".join(s.norm.text for s in chosen)
    review_m = None
    for m in re.finditer(rf"({N})(个)?(日|天|个月|月)内(?:(?!诉讼)[^;。]){{0,40}}?复议", text):
        review_m = m
        break
    suit_m = None
    for m in re.finditer(rf"({N})(个)?(日|天|个月|月)内(?:(?!复议)[^;。]){{0,40}}?诉讼", text):
        if re.search(r"复议决定|复议机关", text[max(0, m.start() - 20): m.start()]):
            continue  # 第四十五条: 15日 after a 复议 decision, not the direct-suit period
        suit_m = m
        break
    # the alternative may stand in the next sentence ("…申请行政复议。也可以…提起行政诉讼。")
    alternatives = bool(re.search(r"复议.{0,60}?(或者|或|也可以|也可|直接(向|提起)).{0,40}?诉讼|"
                                  r"复议或(者)?(提起)?(行政)?诉讼", text))
    review_first = bool(re.search(r"(应当|应|须|需)?先.{0,20}行政复议|复议前置", text)) or (
        "复议决定不服" in text and not alternatives)

    def period(m: re.Match[str] | None) -> tuple[str | None, int | None, int | None]:
        if not m:
            return None, None, None
        n = cn_to_int(m.group(1))
        months = m.group(3) in ("个月", "月") or m.group(2) == "个"
        return m.group(0)[: m.end(3) - m.start()], (None if months else n), (n if months else None)

    r_text, r_days, r_months = period(review_m)
    s_text, _, s_months = period(suit_m)
    return RemedyNotice(
        sentence=Spanned(start=chosen[0].start, end=chosen[-1].end),
        review="复议" in text, suit="诉讼" in text, review_first=review_first, alternatives=alternatives,
        review_period=r_text, review_period_days=r_days if r_days is not None else (r_months * 30 if r_months else None),
        suit_period=s_text, suit_period_months=s_months,
    )


def _outdated(sents: list[Sentence]) -> list[Spanned]:
    out = []
    for s in sents:
        m = s.search(r"(15|十五)个工作日")
        if m and not s.has(r"第三方|征求|其他机关|意见|第三十二条|第三十四条"):
            out.append(_span(s, m))
    return out


def extract_reply(doc: Document) -> ReplyFacts:
    sents = doc_sentences(doc)
    text = doc.main_text  # a saved web page's site navigation has no dates of the letter
    years = [h.value.year for h in find_dates(text)]
    all_dates = find_dates(text, default_year=max(years) if years else doc.year)
    reply_date = _reply_date(doc, all_dates)
    issuer, issuer_span = _issuer(doc, reply_date)
    applicant, applicant_span = _applicant(doc)
    types = _types(sents)
    type_sents = [s for s in sents if any(s.start <= h.start < s.end for h in types)]
    near = {id(x) for s in type_sents for x in sents[max(0, sents.index(s) - 1): sents.index(s) + 2]}
    reasons = [_span(s, m) for s in sents if id(s) in near and not s.has(REMEDY_CUE) and (m := s.search(REASON_CUE))]
    reasons = [Spanned(start=s.start, end=s.end) for s in sents
               if any(s.start <= r.start < s.end for r in reasons)]
    return ReplyFacts(
        applicant=applicant, applicant_span=applicant_span,
        receipt=_receipt(doc, sents, all_dates), reply_date=reply_date,
        issuer=issuer, issuer_span=issuer_span,
        extension=_extension(sents, all_dates), consultation=_consultation(sents, all_dates),
        correction=_correction(sents, all_dates), types=types, articles=_articles(doc, sents),
        refusal_reasons=reasons, remedy=_remedy(sents), outdated_deadline=_outdated(sents),
    )
