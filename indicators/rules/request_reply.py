"""2.1.2 依申请公开办理: timeliness (sub 1) and normativity (sub 2) of each 依申请公开答复书.

Sources: 条例（2019）第三十条至第三十九条, 行政复议法（2023）第二十条、第二十三条, 行政诉讼法 第四十六条
(domain-rules.md §2.2, §2.5). What a letter says is read by `indicators.replies.extract`; here the
statutes decide. UNCONFIRMED readings (receipt-day counting, extension-notice timing, 部分公开 under
复议前置) never decide alone: they flag the check for a human.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.document import DocType, Document
from core.findings import Citation, Flag, cite
from indicators.cntext import fmt_date
from indicators.replies.extract import extract_reply
from indicators.replies.models import (
    ADVERSE_TYPES,
    CHANNEL_LABELS,
    COMPANION_ARTICLES,
    REPLY_TYPE_BASIS,
    REPLY_TYPE_LABELS,
    Channel,
    ReceiptDateKind,
    ReplyFacts,
    ReplyType,
    Spanned,
    article_label,
)
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule
from indicators.workdays import add_workdays, workdays_between

IND = "2.1.2"
REPLY_LIMIT_WD = 20  # 条例第三十三条第二款
MAX_EXTENSION_WD = 20
REGULATION_2019_IN_FORCE = dt.date(2019, 5, 15)  # 条例第五十六条
REVIEW_LAW_2023_IN_FORCE = dt.date(2024, 1, 1)  # 行政复议法第九十条
REVIEW_DAYS = 60  # 行政复议法第二十条
SUIT_MONTHS = 6  # 行政诉讼法第四十六条
DECISION_ARTICLES = {30, 35, 36, 37, 38, 39}


def _cites(doc: Document, *spans: Spanned | None) -> list[Citation]:
    out, seen = [], set()
    for sp in spans:
        if sp is not None and (sp.start, sp.end) not in seen and sp.end > sp.start:
            seen.add((sp.start, sp.end))
            out.append(cite(doc, sp.start, sp.end))
    return out


_FACTS: dict[tuple, ReplyFacts] = {}  # five rules read the same letters: extract once


def _facts(doc: Document) -> ReplyFacts:
    key = (doc.doc_id, hash(doc.text), tuple((d.kind, d.value, d.start) for d in doc.dates), doc.issuer, doc.year)
    if key not in _FACTS:
        if len(_FACTS) > 2048:
            _FACTS.clear()
        _FACTS[key] = extract_reply(doc)
    return _FACTS[key]


def _replies(ev: Evidence) -> list[tuple[Document, ReplyFacts]]:
    return [(d, _facts(d)) for d in ev.of_type(DocType.request_reply)]


@rule("request_reply.timeliness", IND, [DocType.request_reply], sub=1,
      description="答复是否在条例第三十三条规定的期限内作出（工作日，含调休）")
def timeliness(ev: Evidence) -> Iterable[Check]:
    replies = _replies(ev)
    for doc, f in replies:
        yield _timeliness_check(doc, f)


def _timeliness_check(doc: Document, f: ReplyFacts) -> Check:
    def check(outcome: Outcome, rationale: str, flags: list[str], **kw) -> Check:
        return make_check("request_reply.timeliness", IND, 1, title=f"答复及时性（{doc.file}）",
                          outcome=outcome, rationale=rationale, flags=flags, **kw)

    r = f.receipt
    start = f.correction.corrected_receipt if f.correction and f.correction.corrected_receipt else r.date
    spans = [r.sentence or r.date, f.correction.sentence if f.correction else None, f.reply_date,
             f.extension.sentence if f.extension else None, f.consultation.sentence if f.consultation else None]
    cites = _cites(doc, *spans)
    if start is None or f.reply_date is None:
        missing = "收到申请日期" if start is None else "答复（落款）日期"
        return check(Outcome.unknown, f"答复书未载明{missing}，无法计算答复用时，请人工核实。",
                     [Flag.date_unknown, Flag.needs_human], citations=cites)

    if f.reply_date.value < start.value:
        return check(Outcome.unknown, f"答复日期{fmt_date(f.reply_date.value)}早于收到申请日期{fmt_date(start.value)}，"
                     "日期可能有误，请人工核实。", [Flag.date_unknown, Flag.needs_human], citations=cites)
    flags: list[str] = []
    notes: list[str] = []
    count = workdays_between(start.value, f.reply_date.value)
    limit, limit_parts = REPLY_LIMIT_WD, [f"{REPLY_LIMIT_WD}个工作日"]
    undecided = False

    ext = f.extension
    if ext:
        days = min(ext.workdays, MAX_EXTENSION_WD)
        if ext.workdays > MAX_EXTENSION_WD:
            notes.append(f"答复书称延长{ext.workdays}个工作日，超过条例第三十三条规定的最长20个工作日，按20个工作日计")
        if ext.approved:
            limit += days
            limit_parts.append(f"经机构负责人同意延长{days}个工作日")
            if ext.notice_date:
                into = workdays_between(start.value, ext.notice_date.value).count
                if into > REPLY_LIMIT_WD:
                    notes.append(f"延期告知日期{fmt_date(ext.notice_date.value)}为第{into}个工作日，已超过首个20个工作日"
                                 "（延期告知是否须在期限内作出，规定未明确，需人工判断）")
                    undecided = True
            else:
                notes.append("未载明延期告知申请人的日期")
        else:
            notes.append("答复书提及延长答复期限，但未载明经政府信息公开工作机构负责人同意，延期未计入期限")
            undecided = count.count > REPLY_LIMIT_WD
    cons = f.consultation
    if cons:
        if cons.excluded_workdays is not None:
            limit += cons.excluded_workdays
            limit_parts.append(f"征求意见{cons.excluded_workdays}个工作日不计入")
        else:
            notes.append("答复书称征求了第三方或其他机关意见，但未能确定所用时间")
            undecided = undecided or count.count > limit

    sent_only = r.kind is ReceiptDateKind.sent and r.channel is not Channel.in_person and start is r.date
    if sent_only:
        how = (f"申请经{CHANNEL_LABELS[r.channel]}提交" if r.channel is not Channel.unknown
               else "答复书未说明提交方式")
        notes.append(f"{how}，按条例第三十一条邮寄、网络、传真提交的应以签收或双方确认之日为收到申请之日，"
                     "答复书仅载明提交日期，以提交日期计算（实际收到日期不早于此）")
    if f.correction and f.correction.corrected_receipt:
        notes.append("申请人作出补正，答复期限自收到补正申请之日起计算（条例第三十条）")

    late = count.count > limit
    if late and sent_only:
        undecided = True  # receipt may have been later than the sending date
    deadline = add_workdays(start.value, limit)
    if not count.calendar_covered or not deadline.calendar_covered:
        flags += [Flag.out_of_calendar, Flag.needs_human]
        notes.append("所涉日期超出节假日日历数据范围，按仅排除周末计算，未计入法定节假日和调休，需人工核实")
    if abs(count.count - limit) <= 1:
        flags += [Flag.borderline, Flag.unconfirmed_rule, Flag.needs_human]  # receipt-day counting: §7.8
        notes.append("用时与期限相差不超过1个工作日；收到申请当日是否计入期限规定未明确，需人工复核")

    channel = f"（{CHANNEL_LABELS[r.channel]}）" if r.channel is not Channel.unknown else ""
    head = (f"{fmt_date(start.value)}收到{channel}，{fmt_date(f.reply_date.value)}答复，第{count.count}个工作日，"
            if count.count > 0 else f"{fmt_date(start.value)}收到{channel}，当日答复，")
    limit_text = "＋".join(limit_parts)
    verdict = (f"超过{limit_text}的法定期限（期限届满日{fmt_date(deadline.date)}）" if late
               else f"在{limit_text}的法定期限内（期限届满日{fmt_date(deadline.date)}）")
    rationale = head + verdict + "。" + "".join(n + "。" for n in notes)
    outcome = Outcome.unknown if undecided else (Outcome.failed if late else Outcome.passed)
    if undecided:
        flags.append(Flag.needs_human)
    return check(outcome, rationale, list(dict.fromkeys(flags)), citations=cites,
                 data={"receipt": start.value.isoformat(), "reply": f.reply_date.value.isoformat(),
                       "workdays": count.count, "limit_workdays": limit, "deadline": deadline.date.isoformat(),
                       "channel": r.channel.value, "receipt_kind": r.kind.value if r.kind else None,
                       "calendar_covered": count.calendar_covered and deadline.calendar_covered})


def _norm_check(doc: Document, aspect: str, title: str, outcome: Outcome, rationale: str,
                citations: list[Citation], flags: list[str] | None = None, **kw) -> Check:
    return make_check(f"request_reply.{aspect}", IND, 2, title=f"{title}（{doc.file}）", outcome=outcome,
                      rationale=rationale, citations=citations, flags=flags or [], **kw)


@rule("request_reply.legal_basis", IND, [DocType.request_reply], sub=2,
      description="答复类型可识别，所援引条例条款与答复类型一致")
def legal_basis(ev: Evidence) -> Iterable[Check]:
    replies = _replies(ev)
    for doc, f in replies:
        yield _legal_basis_check(doc, f)


def _compatible(key: tuple[int, int | None], expected: tuple[int, int | None]) -> bool:
    art, item = key
    return art == expected[0] and (expected[1] is None or item in (None, expected[1]))


def _legal_basis_check(doc: Document, f: ReplyFacts) -> Check:
    def check(outcome, rationale, cites, flags=None):
        return _norm_check(doc, "legal_basis", "答复类型与法律依据", outcome, rationale, cites, flags,
                           data={"types": [t.value for t in f.type_set()],
                                 "articles": [a.label() for a in f.regulation_articles()]})

    types = sorted(f.type_set(), key=list(ReplyType).index)
    decision = [a for a in f.regulation_articles() if a.article in DECISION_ARTICLES]
    type_cites = _cites(doc, *f.types)
    if not types:
        implied = [REPLY_TYPE_LABELS[t] for t, e in REPLY_TYPE_BASIS.items()
                   if any(_compatible(a.key(), e) and (a.item or e[1] is None) for a in decision)]
        hint = f"；所援引条款对应“{'、'.join(dict.fromkeys(implied))}”，请核对答复内容是否与之相符" if implied else ""
        return check(Outcome.unknown, f"未能从答复书措辞识别答复类型（条例第三十六条至第三十九条）{hint}。",
                     _cites(doc, *decision), [Flag.needs_human])
    labels = "、".join(REPLY_TYPE_LABELS[t] for t in types)
    if not decision:
        return check(Outcome.failed, f"答复类型为“{labels}”，但答复书未援引《中华人民共和国政府信息公开条例》"
                     "相应条款作为答复依据。", type_cites)
    problems = []
    uncited = 0
    for t in types:
        expected = REPLY_TYPE_BASIS[t]
        if not any(_compatible(a.key(), expected) for a in decision):
            cited = "、".join(dict.fromkeys(a.label() for a in decision))
            problems.append(f"“{REPLY_TYPE_LABELS[t]}”应援引条例{article_label(*expected)}，答复书援引的是{cited}")
            uncited += 1
    allowed = {REPLY_TYPE_BASIS[t] for t in types} | {c for t in types for c in COMPANION_ARTICLES.get(t, set())}
    stray = [a for a in decision if not any(_compatible(a.key(), e) for e in allowed)]
    for a in stray:
        owner = next((t for t, e in REPLY_TYPE_BASIS.items() if _compatible(a.key(), e) and a.item), None)
        meaning = f"（该项适用于“{REPLY_TYPE_LABELS[owner]}”）" if owner else ""
        problems.append(f"援引的条例{a.label()}{meaning}与答复内容不符")
    vague = [a for a in decision if a.article == 36 and a.item is None]
    cites = type_cites + _cites(doc, *decision)
    if problems and not stray and uncited < len(types):
        # a mixed reply whose decisive part cites its item: the other part's missing item is one
        # for a human to weigh, not a substantive defect of the reply (counted once by the ladder)
        return check(Outcome.unknown, f"答复类型为“{labels}”；" + "；".join(problems) + "；其余答复类型的依据正确，"
                     "请人工判断是否构成规范性缺陷。", cites, [Flag.needs_human])
    if problems:
        return check(Outcome.failed, f"答复类型为“{labels}”；" + "；".join(problems) + "。", cites)
    note = "；援引第三十六条未注明具体项" if vague else ""
    basis = "、".join(dict.fromkeys(a.label() for a in decision))
    return check(Outcome.passed, f"答复类型为“{labels}”，援引条例{basis}，依据与答复类型一致{note}。", cites,
                 [Flag.needs_human] if vague else None)


@rule("request_reply.refusal_reasons", IND, [DocType.request_reply], sub=2,
      description="不予公开、部分公开等答复是否说明理由")
def refusal_reasons(ev: Evidence) -> Iterable[Check]:
    for doc, f in _replies(ev):
        adverse = [t for t in f.type_set() if t in ADVERSE_TYPES]
        if not adverse:
            continue  # a full disclosure needs no reasons
        labels = "、".join(REPLY_TYPE_LABELS[t] for t in sorted(adverse, key=list(ReplyType).index))
        if f.refusal_reasons:
            yield _norm_check(doc, "refusal_reasons", "说明理由", Outcome.passed,
                              f"答复类型为“{labels}”，答复书说明了理由。", _cites(doc, *f.refusal_reasons))
        else:
            yield _norm_check(doc, "refusal_reasons", "说明理由", Outcome.failed,
                              f"答复类型为“{labels}”，答复书未说明理由（条例第三十六条第（三）项、第三十七条要求说明理由）。",
                              _cites(doc, *f.types))


@rule("request_reply.remedy", IND, [DocType.request_reply], sub=2,
      description="救济途径告知：行政复议（60日）/行政诉讼（6个月）；2024年起不予公开须告知先申请行政复议")
def remedy(ev: Evidence) -> Iterable[Check]:
    for doc, f in _replies(ev):
        yield _remedy_check(doc, f)


def _remedy_check(doc: Document, f: ReplyFacts) -> Check:
    def check(outcome, rationale, cites, flags=None):
        return _norm_check(doc, "remedy", "救济途径告知", outcome, rationale, cites, flags)

    types = f.type_set()
    adverse = bool(types & ADVERSE_TYPES)
    rn = f.remedy
    if rn is None:
        if adverse or not types:
            return check(Outcome.failed, "答复书未告知申请人申请行政复议或提起行政诉讼的权利和期限"
                         "（行政复议法第二十条第三款：未告知的，申请期限最长可延至一年）。", _cites(doc, *f.types))
        return check(Outcome.info, "答复予以公开，答复书未载明救济途径（对予以公开的答复不作扣分依据）。", [])
    cites = _cites(doc, rn.sentence)
    problems, flags = [], []
    if rn.review_period_days is not None and rn.review_period_days != REVIEW_DAYS:
        problems.append(f"行政复议申请期限写作“{rn.review_period}”，法定为六十日（行政复议法第二十条）")
    if rn.suit_period_months != SUIT_MONTHS and (rn.suit_period_months is not None or rn.suit_period):
        problems.append(f"行政诉讼起诉期限写作“{rn.suit_period}”，法定为六个月（行政诉讼法第四十六条）")
    day = f.reply_date.value if f.reply_date else None
    if day is None:
        flags += [Flag.date_unknown, Flag.needs_human]
    elif day >= REVIEW_LAW_2023_IN_FORCE and rn.alternatives and not rn.review_first:
        if ReplyType.refused in types:
            problems.append(f"答复日期{fmt_date(day)}在新行政复议法施行（2024年1月1日）之后，不予公开答复应告知申请人先申请"
                            "行政复议（行政复议法第二十三条第一款第（四）项、第二款），答复书却告知可选择复议或诉讼")
        elif ReplyType.partial in types:
            flags += [Flag.unconfirmed_rule, Flag.needs_human]
    if problems:
        return check(Outcome.failed, "；".join(problems) + "。", cites, flags)
    if Flag.unconfirmed_rule in flags:
        return check(Outcome.unknown, "部分公开答复告知可选择复议或诉讼；部分公开是否适用行政复议前置（行政复议法第二十三条）"
                     "尚未确认，需人工判断。", cites, flags)
    routes = "、".join(x for x, ok in (("行政复议", rn.review), ("行政诉讼", rn.suit)) if ok)
    periods = "、".join(p for p in (rn.review_period, rn.suit_period) if p)
    return check(Outcome.passed, f"答复书告知了救济途径（{routes}{'，期限' + periods if periods else ''}），"
                 "内容与答复日期适用的法律一致。", cites, flags)


@rule("request_reply.form", IND, [DocType.request_reply], sub=2,
      description="答复书落款（答复机关、日期）齐全；不得沿用2007年条例的15个工作日期限")
def form(ev: Evidence) -> Iterable[Check]:
    for doc, f in _replies(ev):
        missing = [name for name, v in (("答复机关", f.issuer), ("落款日期", f.reply_date)) if not v]
        cites = _cites(doc, f.issuer_span, f.reply_date)
        if missing:
            yield _norm_check(doc, "form", "落款机关和日期", Outcome.failed, f"答复书缺少{'、'.join(missing)}。", cites)
        else:
            yield _norm_check(doc, "form", "落款机关和日期", Outcome.passed,
                              f"答复机关“{f.issuer}”，落款日期{fmt_date(f.reply_date.value)}。", cites)
        day = f.reply_date.value if f.reply_date else (f.receipt.date.value if f.receipt.date else None)
        if f.outdated_deadline and (day is None or day >= REGULATION_2019_IN_FORCE):
            yield _norm_check(doc, "form", "沿用旧条例期限", Outcome.failed,
                              "答复书仍援引2007年条例“15个工作日”的答复期限；2019年5月15日起施行的新条例第三十三条规定为"
                              "20个工作日，延长不超过20个工作日。", _cites(doc, *f.outdated_deadline))
