"""Document-type classification on real files (HTML, PNG screenshots, DOCX, PDF) generated here:
the page types of real portals (guides, org pages, column pages, normative lists), the notices sent
while a request is handled, and the regressions seen on real annual reports and Q&A pages."""

from __future__ import annotations

import pytest

from core.document import DocType
from ingestion.doctype import LOW_CONFIDENCE, doc_type_from_text, parse_doc_type_option
from ingestion.parse import parse_bytes, parse_file
from tests.ingestion.makefiles import (
    XXGK_CRUMBS,
    XXGK_MENU,
    H,
    make_column_page,
    make_docx,
    make_html,
    make_pdf,
    render_text_image,
)

GUIDE_BODY = (
    "<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
    "<h2>一、主动公开</h2><p>（一）公开范围。本机关主动公开本机关的机构职能、规范性文件等信息。</p>"
    "<h2>二、依申请公开</h2><p>（一）受理机构：香河县人民政府办公室政务公开科。办公地址：香河县新华大街100号。"
    "邮政编码：065400。受理时间：工作日上午8:30-12:00，下午14:00-17:30。联系电话：0316-8310000。</p>"
    "<p>（二）申请的提出。申请人可通过当面、信函、网络等方式提出申请，填写《政府信息公开申请表》。</p>"
    "<p>（三）申请的处理。本机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起"
    "20个工作日内予以答复。</p><h2>三、监督和救济</h2><p>公民认为本机关侵犯其合法权益的，可依法申请行政复议。</p>"
)
ORG_BODY = (
    "<h2>主要职责</h2><p>（一）贯彻执行国家和省、市关于交通运输工作的方针政策。</p>"
    "<p>（二）负责全县公路、水路行业管理工作。</p>"
    "<h2>内设机构</h2><p>办公室、综合规划股、公路管理股、运输管理股。</p>"
    "<p>局长：李明华</p><p>办公地址：香河县运河大道18号</p><p>办公时间：周一至周五 8:30-17:30</p>"
    "<p>联系电话：0316-8320000</p>"
)


def _all_signals(doc):
    from ingestion.doctype import type_signals

    return [s.label for s in type_signals(doc, doc.title)]


def test_guide_page_is_a_disclosure_guide(tmp_path):
    doc = parse_file(make_html(tmp_path / "指南.html", "香河县人民政府信息公开指南", GUIDE_BODY))
    assert doc.doc_type == DocType.disclosure_guide
    assert doc.doc_type_confidence >= LOW_CONFIDENCE and not doc.doc_type_uncertain
    assert any(s.startswith("标题为") for s in doc.doc_type_signals)


@pytest.mark.parametrize("title", ["依申请公开须知", "锦州人民政府办公厅受理政府信息公开申请说明",
                                   "香河县交通运输局依申请公开指南"])
def test_guides_under_other_names(tmp_path, title):
    doc = parse_file(make_html(tmp_path / "page.html", title, GUIDE_BODY))
    assert doc.doc_type == DocType.disclosure_guide, doc.doc_type_signals


def test_guide_that_mentions_main_content_is_not_an_interpretation(tmp_path):
    # real guides say "主要内容" and state their office's duties, address and hours
    body = GUIDE_BODY + "<p>本机关主动公开的主要内容包括：机构职能、主要职责、办公地址、办公时间、联系电话。</p>"
    doc = parse_file(make_html(tmp_path / "guide.html", "大王镇政府信息公开指南", body))
    assert doc.doc_type == DocType.disclosure_guide


def test_guide_screenshot_by_its_breadcrumb(tmp_path):
    png = tmp_path / "截图1.png"
    render_text_image(["首页 政府信息公开 政务服务 互动交流",
                       "当前位置：首页 > 政府信息公开 > 政府信息公开指南",
                       "一、主动公开", "二、依申请公开", "（一）受理机构：香河县人民政府办公室",
                       "联系电话：0316-8310000"], path=png)
    doc = parse_file(png)
    assert doc.doc_type == DocType.disclosure_guide, doc.doc_type_signals
    assert any("页面位置" in s for s in doc.doc_type_signals)


def test_org_page_html_and_screenshot(tmp_path):
    page = parse_file(make_html(tmp_path / "a.html", "香河县交通运输局机构职能", ORG_BODY))
    assert page.doc_type == DocType.org_info and not page.doc_type_uncertain
    png = tmp_path / "截图2.png"
    render_text_image(["香河县人民政府", "当前位置：", "内设机构", "一、主要职责",
                       "负责全县督查督办工作；负责县政府领导交办的其他工作。",
                       "科室负责人 张某某", "办公电话 0316-8330000"], path=png)
    shot = parse_file(png)
    # a screenshot of an internal office's page: not a reply to an applicant ("负责人：" is no salutation)
    assert shot.doc_type == DocType.org_info, shot.doc_type_signals


def test_column_pages(tmp_path):
    column = parse_file(make_column_page(tmp_path / "column.html"))
    assert column.doc_type == DocType.column_page, column.doc_type_signals
    listing = "<ul>" + "".join(
        f"<li><a href='/n/{y}.html'>香河县人民政府{y}年政府信息公开工作年度报告</a> <span>{y + 1}-01-2{y % 10}</span></li>"
        for y in (2021, 2022, 2023)) + "</ul>"
    page = parse_file(make_html(tmp_path / "年报.html", "信息公开年报", listing, menu=XXGK_MENU, crumbs=XXGK_CRUMBS))
    assert page.doc_type == DocType.column_page  # lists reports; is not one
    png = tmp_path / "栏目截图.png"
    render_text_image(["香河县人民政府", "当前位置：政府信息公开 > 法定主动公开内容 > 财政信息",
                       "财政信息", "香河县2023年财政预算公开 2023-02-10"], path=png)
    shot = parse_file(png)
    assert shot.doc_type == DocType.column_page, shot.doc_type_signals


def test_normative_lists(tmp_path):
    rows = "".join(f"<tr><td>香政规〔2023〕{n}号</td><td>关于印发香河县某项管理办法的通知</td><td>{s}</td></tr>"
                   for n, s in ((1, "现行有效"), (2, "现行有效"), (3, "已废止"), (4, "失效")))
    page = parse_file(make_html(tmp_path / "list.html", "行政规范性文件",
                                f"<table><tr><th>文号</th><th>标题</th><th>有效性</th></tr>{rows}</table>"))
    assert page.doc_type == DocType.normative_list, page.doc_type_signals
    cleanup = parse_file(make_html(
        tmp_path / "cleanup.html", "关于公布规范性文件清理结果的决定",
        "<p>各乡镇人民政府，县政府各部门：</p><p>经清理，《香河县某项管理办法》等7件规范性文件继续有效，"
        "2件规范性文件失效，3件规范性文件废止。</p>"))
    assert cleanup.doc_type == DocType.normative_list, cleanup.doc_type_signals


def _notice(path, title, body):
    return make_docx(path, ["香河县交通运输局", H(title), "香交依延〔2023〕2号", "张某：", *body,
                            "特此告知。", "香河县交通运输局", "2023年6月28日"])


def test_request_notices_are_not_replies(tmp_path):
    ext = parse_file(_notice(tmp_path / "n1.docx", "政府信息公开延期答复告知书", [
        "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        "因需要调取档案逐件核查，经本机关政府信息公开工作机构负责人同意，答复期限延长20个工作日。"]))
    assert ext.doc_type == DocType.request_notice, ext.doc_type_signals
    fix = parse_file(_notice(tmp_path / "n2.docx", "政府信息公开申请补正告知书", [
        "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        "您的申请内容不明确，请您自收到本告知书之日起15个工作日内补正所需政府信息的名称、文号。"]))
    assert fix.doc_type == DocType.request_notice
    reply = parse_file(make_docx(tmp_path / "r.docx", [
        H("政府信息公开申请答复书"), "张某：", "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        "经审查，您申请的信息属于公开范围，现予以提供。", "特此答复。", "香河县交通运输局", "2023年6月20日"]))
    assert reply.doc_type == DocType.request_reply


REPORT_EXCERPT = (
    "<p>本报告根据《中华人民共和国政府信息公开条例》要求编制，由总体情况、主动公开政府信息情况等部分组成。</p>"
    "<h2>一、总体情况</h2><p>2022年，本县围绕政策解读、回应关切开展工作，发布政策解读12篇，主要内容涵盖"
    "就业、教育、医疗等方面。政策解读做到与文件同步发布。</p>"
)


def test_annual_report_excerpt_that_mentions_interpretations(tmp_path):
    # a real report page cut after part 一 mentions 政策解读 and 主要内容: still a report
    doc = parse_file(make_html(tmp_path / "report.html", "某县2022年政府信息公开工作年度报告", REPORT_EXCERPT))
    assert doc.doc_type == DocType.annual_report, doc.doc_type_signals
    assert not doc.doc_type_uncertain


def test_annual_report_page_excerpt_pdf_named_by_its_file(tmp_path):
    path = make_pdf(tmp_path / "某市生态环境局2023年政府信息公开工作年度报告（第4页）.pdf",
                    ["办理信息公开行政复议0件，行政诉讼0件。", "未收取信息处理费。"])
    doc = parse_file(path)
    assert doc.doc_type == DocType.annual_report, doc.doc_type_signals


def test_policy_qa_page_is_an_interpretation(tmp_path):
    body = ("<p>索 引 号：abc-2024-001　公文目录：政策问答　发文机构：某县住房和城乡建设局</p>"
            "<p>答：城镇老旧小区，是指城市或县城建成年代较早、失养失修失管的住宅小区。</p>")
    doc = parse_file(make_html(tmp_path / "qa.html", "什么是城镇老旧小区?", body))
    assert doc.doc_type == DocType.policy_interpretation, doc.doc_type_signals


def test_a_bare_page_is_an_uncertain_web_page(tmp_path):
    doc = parse_file(make_html(tmp_path / "x.html", "通知公告", "<p>欢迎访问本网站。</p>", nav=False))
    assert doc.doc_type == DocType.web_page
    assert doc.doc_type_confidence < LOW_CONFIDENCE and doc.doc_type_uncertain
    assert any(s.startswith("文件为网页") for s in doc.doc_type_signals)


def test_a_type_set_by_a_person_is_certain(tmp_path):
    data = make_html(tmp_path / "x.html", "通知公告", "<p>欢迎访问本网站。</p>", nav=False).read_bytes()
    doc = parse_bytes(data, "x.html", doc_type=DocType.disclosure_guide)
    assert doc.doc_type == DocType.disclosure_guide and doc.doc_type_overridden
    assert doc.doc_type_confidence == 1.0 and not doc.doc_type_uncertain


def test_type_names_and_option_syntax():
    assert doc_type_from_text("政府信息公开指南") == DocType.disclosure_guide
    assert doc_type_from_text("org_info") == DocType.org_info
    assert parse_doc_type_option("香河县/a=b.html=column_page") == ("香河县/a=b.html", DocType.column_page)
    with pytest.raises(ValueError, match="未知的材料类型"):
        doc_type_from_text("guide")
    with pytest.raises(ValueError, match="文件名=类型"):
        parse_doc_type_option("disclosure_guide")


def test_a_document_inside_the_normative_column_is_a_policy_document(tmp_path):
    # the page's location, kept as text above the article: it names the column the document sits in
    body = ("<p>当前位置：首页 &gt; 政府信息公开 &gt; 行政规范性文件</p><p>香政规〔2023〕2号</p><p>各乡镇人民政府，县政府各部门：</p>"
            "<p>《香河县城市道路管理办法》已经县政府同意，现印发给你们，请认真贯彻执行。</p>")
    doc = parse_file(make_html(tmp_path / "doc.html", "香河县人民政府关于印发香河县城市道路管理办法的通知", body))
    assert any("页面位置为“行政规范性文件”" in s for s in [*doc.doc_type_signals, *_all_signals(doc)])
    assert doc.doc_type == DocType.policy_document and not doc.doc_type_uncertain, doc.doc_type_signals


def test_a_refusal_notice_is_a_reply(tmp_path):
    doc = parse_file(make_docx(tmp_path / "r.docx", [
        H("政府信息不予公开告知书"), "张某：", "本机关于2023年6月5日收到您提交的政府信息公开申请。",
        "经审查，您申请的信息涉及国家秘密，根据《中华人民共和国政府信息公开条例》第十四条的规定，不予公开。",
        "特此告知。", "香河县交通运输局", "2023年6月20日"]))
    assert doc.doc_type == DocType.request_reply, doc.doc_type_signals
