import datetime as dt

from core.document import DateKind, DocType
from core.findings import Flag
from indicators.replies.extract import extract_reply
from indicators.replies.models import Channel, ReceiptDateKind, ReplyType
from indicators.rules import request_reply
from indicators.rules.base import REGISTRY, Evidence, Outcome
from indicators.workdays import add_workdays
from tests.docbuilder import DocBuilder

D = dt.date
REVIEW_FIRST = ("如对本答复不服，可以在收到本答复之日起60日内向香河县人民政府申请行政复议，"
                "对行政复议决定不服的，可以依法向人民法院提起行政诉讼。")
EITHER = ("如对本答复不服，可以在收到本答复之日起60日内向香河县人民政府申请行政复议，"
          "或者在6个月内向香河县人民法院提起行政诉讼。")
DISCLOSE = "经审查，您申请的信息属于可以公开的政府信息，根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，予以公开，现将该文件提供给您。"
REFUSE = "经审查，您申请公开的信息涉及国家秘密，根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项的规定，决定不予公开。"


def reply_doc(receipt_line: str, body: list[str], reply: D | None, *, issuer: str | None = "香河县自然资源局",
              file: str = "答复书.docx", date_text: str | None = None):
    b = DocBuilder(file, DocType.request_reply, unit="香河县自然资源局", year=(reply or D(2025, 1, 1)).year)
    b.heading("香河县自然资源局政府信息公开申请答复书")
    b.para("张某某：")
    b.para(receipt_line)
    for p in body:
        b.para(p)
    if issuer:
        b.para(issuer)
    if reply:
        b.date(DateKind.signing, reply, date_text)
    return b.build()


def received(day: D, channel: str = "当面") -> str:
    return f"本机关于{day.year}年{day.month}月{day.day}日收到您{channel}提交的政府信息公开申请，您申请公开香河县2024年度征地补偿标准。"


def run(rule_func, *docs, year=2025):
    rule = next(r for r in REGISTRY.rules.values() if r.func is rule_func)
    return rule.run(Evidence(unit="香河县自然资源局", year=year, documents=list(docs)))


def one(rule_func, doc, year=None):
    checks = run(rule_func, doc, year=year or doc.year)
    assert len(checks) == 1, checks
    return checks[0]


# --- timeliness -------------------------------------------------------------------------------

def test_day_before_national_day_20_calendar_days_is_9th_workday():
    doc = reply_doc(received(D(2025, 9, 30)), [DISCLOSE, EITHER], D(2025, 10, 20))
    c = one(request_reply.timeliness, doc)
    assert c.outcome is Outcome.passed
    assert c.data["workdays"] == 9
    assert "2025年9月30日收到（当面提交），2025年10月20日答复，第9个工作日" in c.rationale
    assert c.data["deadline"] == add_workdays(D(2025, 9, 30), 20).date.isoformat()
    assert {x.quote for x in c.citations} >= {"2025年10月20日"}


def test_spring_festival_with_make_up_workday():
    doc = reply_doc(received(D(2026, 2, 13)), [DISCLOSE], D(2026, 3, 5))
    c = one(request_reply.timeliness, doc)
    assert c.outcome is Outcome.passed
    assert c.data["workdays"] == 10  # 2-14 (Saturday) and 2-28 (Saturday) are make-up workdays
    late = reply_doc(received(D(2026, 2, 13)), [DISCLOSE], D(2026, 3, 20))
    c2 = one(request_reply.timeliness, late)
    assert c2.outcome is Outcome.failed
    assert "超过20个工作日的法定期限" in c2.rationale


def test_late_reply_fails_with_count():
    doc = reply_doc(received(D(2025, 9, 1), "通过信函邮寄方式") .replace("收到您通过信函邮寄方式提交", "签收您通过信函邮寄方式提交"),
                    [DISCLOSE], D(2025, 10, 20))
    c = one(request_reply.timeliness, doc)
    assert c.outcome is Outcome.failed
    assert c.data["workdays"] == 31
    assert "第31个工作日，超过20个工作日的法定期限" in c.rationale
    assert Flag.borderline not in c.flags


def test_borderline_is_flagged_for_a_human():
    start = D(2025, 5, 6)
    doc = reply_doc(received(start), [DISCLOSE], add_workdays(start, 21).date)
    c = one(request_reply.timeliness, doc)
    assert c.outcome is Outcome.failed
    assert {Flag.borderline, Flag.needs_human, Flag.unconfirmed_rule} <= set(c.flags)


def test_approved_extension_counts_and_unapproved_does_not():
    start, reply = D(2025, 9, 1), D(2025, 10, 20)  # 31st working day
    ext = ("因需要进一步核查，经本机关政府信息公开工作机构负责人同意，延长答复期限20个工作日，"
           "并已于2025年9月26日书面告知您。")
    c = one(request_reply.timeliness, reply_doc(received(start), [ext, DISCLOSE], reply))
    assert c.outcome is Outcome.passed
    assert c.data["limit_workdays"] == 40
    assert "经机构负责人同意延长20个工作日" in c.rationale
    assert any("延长答复期限" in x.quote for x in c.citations)
    unapproved = "因需要进一步核查，本机关延长答复期限20个工作日。"
    c2 = one(request_reply.timeliness, reply_doc(received(start), [unapproved, DISCLOSE], reply))
    assert c2.outcome is Outcome.unknown
    assert Flag.needs_human in c2.flags


def test_consultation_days_are_excluded():
    start, reply = D(2025, 3, 3), D(2025, 4, 10)  # 28th working day
    cons = ("因您申请的信息涉及第三方合法权益，本机关于2025年3月10日向第三方发出征求意见函，"
            "第三方于2025年3月24日书面回复，征求意见所需时间不计算在答复期限内。")
    c = one(request_reply.timeliness, reply_doc(received(start), [cons, DISCLOSE], reply))
    assert c.data["limit_workdays"] == 30  # 10 working days in (3-10, 3-24]
    assert c.outcome is Outcome.passed
    assert "征求意见10个工作日不计入" in c.rationale


def test_correction_restarts_the_clock():
    corr = "您的申请内容不明确，本机关于2025年3月5日告知您补正，并于2025年4月1日收到您补正后的申请。"
    doc = reply_doc(received(D(2025, 3, 3)), [corr, DISCLOSE], D(2025, 4, 20))
    c = one(request_reply.timeliness, doc)
    assert c.data["receipt"] == "2025-04-01"
    assert c.outcome is Outcome.passed


def test_mail_sending_date_only_is_flagged():
    line = "您于2025年9月1日通过邮寄方式提交的政府信息公开申请已收悉。"
    f = extract_reply(reply_doc(line, [DISCLOSE], D(2025, 10, 20)))
    assert f.receipt.kind is ReceiptDateKind.sent and f.receipt.channel is Channel.mail
    c = one(request_reply.timeliness, reply_doc(line, [DISCLOSE], D(2025, 10, 20)))
    assert c.outcome is Outcome.unknown  # late by the sending date, but receipt may have been later
    assert "签收或双方确认之日" in c.rationale
    assert Flag.needs_human in c.flags
    c2 = one(request_reply.timeliness, reply_doc(line, [DISCLOSE], D(2025, 9, 10)))
    assert c2.outcome is Outcome.passed  # on time even counted from the sending date


def test_2027_dates_are_out_of_calendar():
    doc = reply_doc(received(D(2027, 3, 1)), [DISCLOSE, REVIEW_FIRST], D(2027, 3, 20))
    c = one(request_reply.timeliness, doc)
    assert Flag.out_of_calendar in c.flags and Flag.needs_human in c.flags
    assert "超出节假日日历数据范围" in c.rationale


def test_missing_reply_date_is_unknown():
    c = one(request_reply.timeliness, reply_doc(received(D(2025, 3, 3)), [DISCLOSE], None), year=2025)
    assert c.outcome is Outcome.unknown and Flag.date_unknown in c.flags


def test_no_reply_documents_no_checks():
    # nothing examined -> no Check: scoring reads that as insufficient evidence (indicators/scoring.py)
    assert run(request_reply.timeliness) == [] and run(request_reply.legal_basis) == []


# --- normativity ------------------------------------------------------------------------------

def test_refusal_with_correct_basis_reasons_and_review_first_passes():
    doc = reply_doc(received(D(2025, 9, 30)), [REFUSE, REVIEW_FIRST], D(2025, 10, 20))
    assert one(request_reply.legal_basis, doc).outcome is Outcome.passed
    assert one(request_reply.refusal_reasons, doc).outcome is Outcome.passed
    assert one(request_reply.remedy, doc).outcome is Outcome.passed
    form = run(request_reply.form, doc)
    assert [c.outcome for c in form] == [Outcome.passed]


def test_refusal_citing_item_one_is_wrong_basis():
    body = "经审查，您申请公开的信息涉及国家秘密，根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，决定不予公开。"
    c = one(request_reply.legal_basis, reply_doc(received(D(2025, 9, 30)), [body, REVIEW_FIRST], D(2025, 10, 20)))
    assert c.outcome is Outcome.failed
    assert "“不予公开”应援引条例第三十六条第（三）项" in c.rationale
    assert any(x.quote == "第三十六条第（一）项" for x in c.citations)


def test_not_exist_must_cite_item_four():
    body = "经检索，本机关没有找到您所申请的信息，根据《中华人民共和国政府信息公开条例》第三十六条第（三）项的规定，告知您该政府信息不存在。"
    doc = reply_doc(received(D(2025, 9, 30)), [body, EITHER], D(2025, 10, 20))
    f = extract_reply(doc)
    assert f.type_set() == {ReplyType.not_exist}
    c = one(request_reply.legal_basis, doc)
    assert c.outcome is Outcome.failed and "第三十六条第（四）项" in c.rationale
    # 信息不存在 is not 不予公开: choosing 复议 or 诉讼 remains open after 2024
    assert one(request_reply.remedy, doc).outcome is Outcome.passed


def test_type_not_worded_is_left_to_a_human_with_the_article_hint():
    body = "根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，请您向香河县住房和城乡建设局咨询。"
    c = one(request_reply.legal_basis, reply_doc(received(D(2025, 3, 3)), [body, EITHER], D(2025, 3, 20)))
    assert c.outcome is Outcome.unknown and Flag.needs_human in c.flags
    assert "不属于本机关负责公开" in c.rationale


def test_missing_remedy_notice_after_2024_fails():
    doc = reply_doc(received(D(2024, 6, 3)), [REFUSE], D(2024, 6, 20))
    c = one(request_reply.remedy, doc)
    assert c.outcome is Outcome.failed
    assert "未告知" in c.rationale


def test_refusal_after_2024_offering_either_route_fails_but_2023_is_fine():
    c = one(request_reply.remedy, reply_doc(received(D(2024, 3, 4)), [REFUSE, EITHER], D(2024, 3, 20)))
    assert c.outcome is Outcome.failed and "先申请行政复议" in c.rationale
    c23 = one(request_reply.remedy, reply_doc(received(D(2023, 3, 1)), [REFUSE, EITHER], D(2023, 3, 20)))
    assert c23.outcome is Outcome.passed


def test_partial_disclosure_after_2024_with_either_route_is_for_a_human():
    body = ("您申请的信息中含有个人隐私，根据《中华人民共和国政府信息公开条例》第三十七条的规定，"
            "本机关作区分处理，部分公开，对涉及个人隐私的内容不予公开。")
    c = one(request_reply.remedy, reply_doc(received(D(2025, 3, 3)), [body, EITHER], D(2025, 3, 20)))
    assert c.outcome is Outcome.unknown
    assert Flag.unconfirmed_rule in c.flags


def test_wrong_remedy_periods_fail():
    bad = "如不服本答复，可在15日内申请行政复议，或者在3个月内向人民法院提起行政诉讼。"
    c = one(request_reply.remedy, reply_doc(received(D(2023, 3, 1)), [DISCLOSE, bad], D(2023, 3, 20)))
    assert c.outcome is Outcome.failed
    assert "六十日" in c.rationale and "六个月" in c.rationale


def test_refusal_without_reason_fails():
    body = "根据《中华人民共和国政府信息公开条例》第三十六条第（三）项的规定，决定不予公开。"
    c = one(request_reply.refusal_reasons, reply_doc(received(D(2025, 3, 3)), [body, REVIEW_FIRST], D(2025, 3, 20)))
    assert c.outcome is Outcome.failed


def test_missing_issuer_and_outdated_15_workdays():
    old = "本机关将在15个工作日内答复，如需延长，延长期限不超过15个工作日。"
    doc = reply_doc(received(D(2025, 3, 3)), [old, DISCLOSE, EITHER], D(2025, 3, 20), issuer=None)
    checks = run(request_reply.form, doc)
    assert [c.outcome for c in checks] == [Outcome.failed, Outcome.failed]
    assert "答复机关" in checks[0].rationale
    assert "15个工作日" in checks[1].rationale and checks[1].citations[0].quote == "15个工作日"


def test_consultation_15_workdays_is_not_outdated():
    cons = "本机关于2025年3月5日书面征求第三方意见，第三方应当自收到之日起15个工作日内提出意见。"
    doc = reply_doc(received(D(2025, 3, 3)), [cons, DISCLOSE, EITHER], D(2025, 3, 20))
    assert [c.outcome for c in run(request_reply.form, doc)] == [Outcome.passed]


def test_chinese_numeral_signing_date_and_applicant():
    b = DocBuilder("告知书.txt", DocType.request_reply, year=2025)
    b.para("申请人：李某某")
    b.para("本机关于2025年9月30日收到您通过电子邮件提交的申请，经双方确认。")
    b.para(REFUSE)
    b.para(REVIEW_FIRST)
    b.para("大城县人民政府办公室")
    b.para("二〇二五年十月二十日")
    f = extract_reply(b.build())
    assert f.applicant == "李某某"
    assert f.reply_date.value == D(2025, 10, 20)
    assert f.issuer == "大城县人民政府办公室"
    assert f.receipt.channel is Channel.online
    assert f.remedy.review_first and not f.remedy.alternatives


# --- a real DOCX through the parser --------------------------------------------------------------

def test_real_docx_reply(tmp_path):
    import docx

    from ingestion.parse import parse_file

    d = docx.Document()
    d.add_heading("文安县住房和城乡建设局政府信息公开申请答复书", level=1)
    d.add_paragraph("王某某：")
    d.add_paragraph("本机关于2025年9月30日当面收到您提交的政府信息公开申请。")
    d.add_paragraph("经检索，本机关没有找到您所申请的信息，根据《中华人民共和国政府信息公开条例》第三十六条第（四）项的规定，"
                    "告知您该政府信息不存在。")
    d.add_paragraph(EITHER)
    d.add_paragraph("文安县住房和城乡建设局")
    d.add_paragraph("2025年10月20日")
    path = tmp_path / "答复书.docx"
    d.save(path)
    doc = parse_file(path).model_copy(update={"doc_type": DocType.request_reply, "year": 2025})
    assert one(request_reply.timeliness, doc).data["workdays"] == 9
    assert one(request_reply.legal_basis, doc).outcome is Outcome.passed
    assert one(request_reply.remedy, doc).outcome is Outcome.passed


def test_pdf_style_line_wraps_inside_sentences():
    # PDF paragraphs keep their line breaks in text: a wrap must not cut a date or a cue
    line = "本机关于2025年9\n月30日收到您当面提交的政府信息公开申请。"
    body = "经审查，根据《中华人民共和国政府信息公开条例》第三十六条\n第（三）项的规定，您申请的信息涉及商业秘密，决定不予\n公开。"
    doc = reply_doc(line, [body, REVIEW_FIRST], D(2025, 10, 20))
    f = extract_reply(doc)
    assert f.receipt.date.value == D(2025, 9, 30)
    assert f.type_set() == {ReplyType.refused}
    assert [a.label() for a in f.regulation_articles()] == ["第三十六条第（三）项"]
    assert one(request_reply.legal_basis, doc).outcome is Outcome.passed


LETTER_ONLINE = """香河县住房和城乡建设局
政府信息公开申请答复书
香住建公开〔2025〕3号
王某某：
    您于2025年3月10日通过香河县人民政府门户网站“依申请公开”栏目提交的政府信息公开申请，本机关于2025年3月11日与您确认收到。您申请获取“2024年香河县城区道路改造工程招标文件”。
    经检索，该信息已在香河县公共资源交易中心网站主动公开，您可登录http://ggzy.xianghe.gov.cn查询获取。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项之规定，特此告知。
    如对本答复不服，可以自收到本答复之日起60日内向香河县人民政府申请行政复议，也可以自收到本答复之日起6个月内向香河县人民法院提起行政诉讼。
香河县住房和城乡建设局
2025年3月20日"""

LETTER_MAIL = """政府信息公开申请告知书
文安县教育局〔2024〕依申请第5号
李某：
本机关于2024年11月4日收到你通过邮政EMS寄送的政府信息公开申请（签收日期为2024年11月4日），申请公开“文安县第三中学2023年食堂承包合同”。
经审查，你申请公开的信息中含有第三方商业秘密，本机关于2024年11月8日书面征求第三方意见，第三方于2024年11月20日回复不同意公开。根据《中华人民共和国政府信息公开条例》第十五条、第三十七条的规定，本机关对你申请的信息作区分处理，现将可以公开的部分提供给你，涉及商业秘密的内容不予公开。
因征求第三方意见，经本机关政府信息公开工作机构负责人同意，延长答复期限20个工作日，已于2024年11月29日告知你。
你如对本告知不服，应当自收到本告知书之日起60日内向文安县人民政府申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼。
文安县教育局
2024年12月30日"""


def test_realistic_letters_through_the_parser(tmp_path):
    from ingestion.parse import parse_file

    results = {}
    for name, text in (("online.txt", LETTER_ONLINE), ("mail.txt", LETTER_MAIL)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        doc = parse_file(path).model_copy(update={"doc_type": DocType.request_reply, "year": None})
        results[name] = {c.rule_id: c for r in REGISTRY.rules.values() if r.indicator_id == "2.1.2"
                         for c in r.run(Evidence(unit=None, year=None, documents=[doc]))}
    online = results["online.txt"]
    t = online["request_reply.timeliness"]
    assert t.data["receipt"] == "2025-03-11"  # the confirmation date, not the submission date (第三十一条（三）)
    assert t.data["receipt_kind"] == "received" and t.data["channel"] == "online"
    assert t.outcome is Outcome.passed and t.data["workdays"] == 7
    assert online["request_reply.legal_basis"].outcome is Outcome.passed
    assert "已主动公开" in online["request_reply.legal_basis"].rationale
    assert "request_reply.refusal_reasons" not in online
    mail = results["mail.txt"]
    t = mail["request_reply.timeliness"]
    assert t.data["limit_workdays"] == 48  # 20 + 20 (approved extension) + 8 (consultation 11-8 .. 11-20)
    assert t.outcome is Outcome.passed and t.data["workdays"] == 40
    assert mail["request_reply.legal_basis"].outcome is Outcome.passed
    assert mail["request_reply.refusal_reasons"].outcome is Outcome.passed
    assert mail["request_reply.remedy"].outcome is Outcome.passed
    assert mail["request_reply.form"].rationale == "答复机关“文安县教育局”，落款日期2024年12月30日。"


def test_first_verb_after_a_date_decides_receipt_or_sending():
    sent = extract_reply(reply_doc("您于2025年9月1日提交的政府信息公开申请，本机关已收到。", [DISCLOSE], D(2025, 9, 20)))
    assert sent.receipt.kind is ReceiptDateKind.sent
    both = extract_reply(reply_doc("您于2025年9月25日通过邮寄方式提交的申请，本机关于2025年9月28日签收。",
                                   [DISCLOSE], D(2025, 10, 20)))
    assert both.receipt.kind is ReceiptDateKind.received and both.receipt.date.value == D(2025, 9, 28)
    assert both.receipt.channel is Channel.mail


def test_alternative_route_in_the_next_sentence_is_seen():
    two = ("如对本答复不服，可以在收到本答复之日起60日内向香河县人民政府申请行政复议。"
           "也可以在收到本答复之日起6个月内直接向香河县人民法院提起行政诉讼。")
    c = one(request_reply.remedy, reply_doc(received(D(2025, 3, 3)), [REFUSE, two], D(2025, 3, 20)))
    assert c.outcome is Outcome.failed and "先申请行政复议" in c.rationale
    only_review = "如对本答复不服，可以在收到本答复之日起60日内向香河县人民政府申请行政复议。"
    c2 = one(request_reply.remedy, reply_doc(received(D(2025, 3, 3)), [REFUSE, only_review], D(2025, 3, 20)))
    assert c2.outcome is Outcome.passed


def test_reply_dated_before_receipt_is_for_a_human():
    c = one(request_reply.timeliness, reply_doc(received(D(2025, 3, 20)), [DISCLOSE], D(2025, 3, 3)))
    assert c.outcome is Outcome.unknown and "早于收到申请日期" in c.rationale
