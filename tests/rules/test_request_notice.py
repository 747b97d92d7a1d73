"""补正/延期告知书 on real DOCX files: checked as notices for their own elements, never as final
replies; a reply's deadline takes the extension its notice announced; rules read only the document
types they declare."""

from __future__ import annotations

from pathlib import Path

from core.document import DocType
from indicators.rules.base import REGISTRY, Evidence, Outcome, load_all_rules
from ingestion.parse import parse_file
from tests.ingestion.makefiles import H, make_docx

load_all_rules()
UNIT = "香河县交通运输局"


def notice(path: Path, title: str, body: list[str], day: str):
    doc = parse_file(make_docx(path, [UNIT, H(title), "张某：", *body, "特此告知。", UNIT, day]))
    assert doc.doc_type == DocType.request_notice, doc.doc_type_signals
    return doc


def extension(tmp_path: Path, day: str = "2023年6月28日", reason: bool = True):
    why = "因您申请的信息需要调取档案逐件核查，" if reason else ""
    return notice(tmp_path / "延期.docx", "政府信息公开延期答复告知书", [
        "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        f"{why}经本机关政府信息公开工作机构负责人同意，答复期限延长20个工作日，本机关将于2023年8月1日前作出答复。"], day)


def reply(tmp_path: Path, day: str = "2023年7月26日"):
    doc = parse_file(make_docx(tmp_path / "答复书.docx", [
        UNIT, H("政府信息公开申请答复书"), "张某：", "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        "经审查，您申请的信息属于公开范围，根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，现予以提供。",
        "如对本答复不服，可以在收到本答复之日起60日内向香河县人民政府申请行政复议，或者在6个月内向人民法院提起行政诉讼。",
        "特此答复。", UNIT, day]))
    assert doc.doc_type == DocType.request_reply
    return doc


def checks(*docs, year: int = 2023):
    ev = Evidence(unit=UNIT, year=year, documents=list(docs))
    return [c for r in REGISTRY.rules.values() if r.indicator_id == "2.1.2" for c in r.run(ev)]


def by_rule(found, rule_id):
    return [c for c in found if c.rule_id == rule_id]


def test_extension_notice_in_time_with_its_elements(tmp_path):
    found = checks(extension(tmp_path))
    [timing] = by_rule(found, "request_notice.extension_timing")
    assert timing.outcome == Outcome.passed and "第16个工作日" in timing.rationale  # 端午 2023-06-22..24
    [elements] = by_rule(found, "request_notice.elements")
    assert elements.outcome == Outcome.passed and elements.sub == 2
    # a notice is never checked for a reply's type, legal basis or remedy notice
    assert not [c for c in found if c.rule_id.startswith("request_reply.")]


def test_late_extension_notice_and_missing_reason(tmp_path):
    found = checks(extension(tmp_path, day="2023年7月10日", reason=False))
    [timing] = by_rule(found, "request_notice.extension_timing")
    assert timing.outcome == Outcome.failed and "超过首个20个工作日" in timing.rationale
    [elements] = by_rule(found, "request_notice.elements")
    assert elements.outcome == Outcome.failed and "延期理由" in elements.rationale
    for c in elements.citations:
        assert c.quote


def test_correction_notice_elements(tmp_path):
    good = notice(tmp_path / "补正1.docx", "政府信息公开申请补正告知书", [
        "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        "您的申请内容不明确，请您自收到本告知书之日起15个工作日内补正所需政府信息的名称、文号或者其他特征性描述。"],
        "2023年6月8日")
    [ok] = by_rule(checks(good), "request_notice.elements")
    assert ok.outcome == Outcome.passed
    vague = notice(tmp_path / "补正2.docx", "政府信息公开申请补正告知书", [
        "本机关于2023年6月5日收到您提交的政府信息公开申请。", "您的申请需要补正。"], "2023年6月8日")
    [bad] = by_rule(checks(vague), "request_notice.elements")
    assert bad.outcome == Outcome.failed and "补正期限" in bad.rationale
    assert not by_rule(checks(vague), "request_notice.extension_timing")


def test_reply_deadline_takes_the_extension_from_its_notice(tmp_path):
    answer = reply(tmp_path)
    [alone] = by_rule(checks(answer), "request_reply.timeliness")
    assert alone.outcome == Outcome.failed  # 36th working day, no extension known
    ext = extension(tmp_path)
    [timely] = by_rule(checks(answer, ext), "request_reply.timeliness")
    assert timely.outcome == Outcome.passed and "延期答复告知书" not in timely.title
    assert "延期依据：延期.docx" in timely.rationale
    assert any(c.file == "延期.docx" for c in timely.citations)


def test_rules_read_only_their_declared_types(tmp_path):
    answer = reply(tmp_path)
    guide_typed = answer.model_copy(update={"doc_type": DocType.disclosure_guide})
    # the same letter typed as a guide is invisible to the reply rules
    assert not by_rule(checks(guide_typed), "request_reply.remedy")
    assert by_rule(checks(answer), "request_reply.remedy")
