import datetime as dt

import pytest

from core.document import DateKind, DocType
from ingestion.metadata import parse_date
from ingestion.parse import parse_bytes
from tests.ingestion.checks import assert_spans_exact


def _doc(text: str, name: str = "a.txt"):
    doc = parse_bytes(text.encode(), name)
    assert_spans_exact(doc)
    return doc


@pytest.mark.parametrize(("s", "value"), [
    ("2023年1月31日", dt.date(2023, 1, 31)), ("二〇二三年一月三十一日", dt.date(2023, 1, 31)),
    ("2023-01-31", dt.date(2023, 1, 31)), ("2023.1.31", dt.date(2023, 1, 31)),
    ("二〇二四年十二月二十日", dt.date(2024, 12, 20)), ("2023年2月30日", None),
])
def test_date_forms(s, value):
    assert parse_date(s) == value


def test_date_kinds():
    doc = _doc("依申请公开答复书\n发布日期：2023-10-21\n张三：\n本机关于2023年9月28日收到您的申请。\n"
               "成文日期：2023年10月19日\n根据2019年修订的条例，2008年5月1日起施行的规定已废止。\n"
               "大城县人民政府办公室\n2023年10月20日\n")
    kinds = {d.kind: d.value.isoformat() for d in doc.dates}
    assert kinds[DateKind.publication] == "2023-10-21"
    assert kinds[DateKind.receipt] == "2023-09-28"
    assert kinds[DateKind.other] == "2008-05-01"
    signing = [d.value.isoformat() for d in doc.dates if d.kind == DateKind.signing]
    assert signing == ["2023-10-19", "2023-10-20"]  # the labelled 成文日期 and the 落款
    assert doc.issuer == "大城县人民政府办公室"
    assert doc.doc_type == DocType.request_reply
    assert doc.year == 2023


def test_annual_report_by_headings_only():
    doc = _doc("工作情况\n一、总体情况\n正文。\n二、主动公开政府信息情况\n正文。\n"
               "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert doc.doc_type == DocType.annual_report
    assert any("4 个部分标题" in s for s in doc.doc_type_signals)


def test_report_year_from_title_and_issuer_from_title():
    doc = _doc("永清县教育局2022年政府信息公开工作年度报告\n一、总体情况\n2023年1月主动公开信息。\n")
    assert doc.year == 2022 and doc.issuer == "永清县教育局"


def test_policy_document_and_interpretation():
    policy = _doc("香河县人民政府办公室关于印发香河县政务公开工作要点的通知\n香政办发〔2023〕12号\n各乡镇人民政府：\n现印发给你们。\n")
    assert policy.doc_type == DocType.policy_document
    assert policy.title == "香河县人民政府办公室关于印发香河县政务公开工作要点的通知"
    interp = _doc("《香河县政务公开工作要点》政策解读\n一、起草背景\n为进一步……\n二、主要内容\n")
    assert interp.doc_type == DocType.policy_interpretation


def test_nothing_recognisable_is_other():
    doc = _doc("会议记录\n今天天气很好。\n")
    assert doc.doc_type == DocType.other and doc.doc_type_signals


def test_title_wrapped_over_two_lines():
    doc = _doc("香河县人民政府2023年政府信息公开\n工作年度报告\n一、总体情况\n正文。\n")
    assert doc.title == "香河县人民政府2023年政府信息公开工作年度报告"
    assert doc.year == 2023 and doc.issuer == "香河县人民政府"


def test_chapter_headings():
    doc = _doc("香河县政府信息公开管理办法\n第一章 总则\n第一条 为了规范管理，制定本办法。\n第二节 范围\n")
    levels = [(doc.text[b.start:b.end], b.level) for b in doc.blocks if b.kind.value == "heading"]
    assert levels == [("第一章 总则", 1), ("第二节 范围", 2)]


def test_salutation_person_vs_addressed_bodies():
    reply = _doc("告知书\n大政办依申〔2023〕15号\n李四：\n本机关于2023年9月28日收到您的申请。\n")
    assert "以申请人称呼开头（+3）" in reply.doc_type_signals
    notice = _doc("大城县人民政府办公室关于做好政务公开工作的通知\n各乡镇人民政府，县政府各部门：\n现将有关事项通知如下。\n")
    assert notice.doc_type == DocType.policy_document
    assert "有主送机关（+1）" in notice.doc_type_signals


@pytest.mark.parametrize("sentence", [
    "本机关于2023年9月28日收到您的申请。", "2023年9月28日，本机关收到您提交的申请。",
    "您于2023年9月28日通过网上平台提交的政府信息公开申请收悉。", "我局2023年9月28日受理了您的申请。",
])
def test_receipt_date_phrasings(sentence):
    doc = _doc(f"答复书\n张三：\n{sentence}\n特此告知。\n")
    assert doc.date_of(DateKind.receipt).value == dt.date(2023, 9, 28)
