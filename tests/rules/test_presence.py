from core.document import DocType, Document, Link
from core.findings import Flag
from indicators.elements import Element, find_elements
from indicators.rules.base import Outcome
from indicators.rules.presence import validity_label
from tests.docbuilder import DocBuilder
from tests.rules.ledger_helpers import assert_citations_exact, evidence, run


def with_links(doc: Document, *texts: str) -> Document:
    for t in texts:
        span = doc.find(t)
        assert span is not None
        doc.links.append(Link(text=t, href=f"/xxgk/{len(doc.links)}.html", start=span.start, end=span.end))
    return doc


def institution_page(*, head: bool = True, hours: bool = True) -> Document:
    b = (DocBuilder("香河县教育和体育局-机构信息.html", DocType.web_page, unit="香河县教育和体育局")
         .heading("机构信息").heading("机构职能", 2)
         .para("主要职责：贯彻执行国家和省、市有关教育、体育工作的方针政策和法律法规，拟订全县教育事业发展规划。")
         .heading("内设机构", 2).para("办公室、基础教育股、职业与成人教育股、体育股。")
         .para("办公地址：香河县新华大街88号"))
    if hours:
        b.para("办公时间：周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）")
    b.para("联系电话：0316－8311234")
    if head:
        b.heading("领导信息", 2).para("局  长：王建国")
    return b.build()


def test_institution_all_six_elements_cited():
    doc = institution_page()
    [check] = run("presence.1.1.2.institution", evidence(doc))
    assert check.outcome == Outcome.passed and check.data["missing"] == []
    assert check.data["found"] == ["机构设置", "职能", "办公地址", "办公时间", "联系方式", "负责人姓名"]
    assert len(check.citations) == 6  # one per element found
    quotes = dict(zip(check.data["found"], (c.quote for c in check.citations), strict=True))
    assert quotes["机构设置"] == "办公室、基础教育股、职业与成人教育股、体育股。"  # the list, not the heading
    assert quotes["负责人姓名"].replace(" ", "") == "局长：王建国"
    assert "0316" in quotes["联系方式"] and "8:30" in quotes["办公时间"]
    assert_citations_exact([check], doc)


def test_institution_missing_elements():
    [check] = run("presence.1.1.2.institution", evidence(institution_page(head=False, hours=False)))
    assert check.outcome == Outcome.failed
    assert check.data["missing"] == ["办公时间", "负责人姓名"] and "办公时间" in check.rationale
    assert len(check.citations) == 4


def test_title_words_are_no_unit_list(tmp_path):
    """A page titled “…机构设置和职能” carrying the 三定 articles: 职能 yes, 机构设置 no (no units listed)."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    doc = parse_file(make_html(tmp_path / "jgsz.html", "香河县市场监督管理局机构设置和职能",
                               "<p>第二条 香河县市场监督管理局是县政府工作部门，机构规格为正科级，加挂县知识产权局牌子。</p>"
                               "<p>第三条 县市场监督管理局贯彻落实党中央关于市场监督管理工作的方针政策。主要职责是：</p>"
                               "<p>（一）负责全县市场综合监督管理。</p><p>（二）负责个体工商户的登记注册工作。</p>"))
    [check] = run("presence.1.1.2.institution", evidence(doc))
    assert check.data["found"] == ["职能"] and "机构设置" in check.data["missing"]
    assert check.citations[0].quote.startswith("主要职责") and check.citations[0].start > doc.blocks[0].end
    assert_citations_exact([check], doc)


def test_unit_list_under_a_heading_one_per_line(tmp_path):
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    doc = parse_file(make_html(tmp_path / "jg.html", "香河县财政局机构概况",
                               "<h3>内设机构</h3><p>1.办公室：负责机关日常运转。</p><p>2.预算股：负责编制县级预算。</p>"
                               "<p>3.国库股：负责国库集中收付。</p><h3>领导信息</h3><p>局长：李红梅</p>"))
    [check] = run("presence.1.1.2.institution", evidence(doc))
    quote = check.citations[check.data["found"].index("机构设置")].quote
    assert quote.startswith("1.办公室") and quote.endswith("负责国库集中收付。")


def test_internal_office_screenshot_is_not_the_body(tmp_path):
    """A screenshot of one internal office's page (its duties, 科室负责人, its phone): the body's own
    elements are not in the material -> unknown, never a count of the office's elements."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import render_text_image

    path = tmp_path / "督查科.png"
    render_text_image(["香河县人民政府", "当前位置：", "内设机构", "一、主要职责",
                       "负责县政府领导交办事项的督办；负责热线办理回复事项的督办。", "科室负责人 张明",
                       "办公电话 0316-8312345"], path=path)
    doc = parse_file(path).model_copy(update={"doc_type": DocType.org_info})
    [check] = run("presence.1.1.2.institution", evidence(doc))
    assert check.outcome == Outcome.unknown and check.data["subunit"] and Flag.needs_human in check.flags
    assert "科室负责人" in check.citations[0].quote
    assert_citations_exact([check], doc)


def test_structural_hit_preferred_over_running_text():
    doc = (DocBuilder("p.html", DocType.web_page).para("本页介绍政府信息公开指南的编制情况。")
           .heading("政府信息公开指南").build())
    [hit] = find_elements([doc], [Element("guide", "指南", (r"政府信息公开指南",), structural=True)])
    assert hit.structural and doc.text[hit.citation.start:hit.citation.end] == "政府信息公开指南"
    assert hit.citation.start > doc.text.index("。")


NORMATIVE_LIST = [
    "关于进一步规范校外培训机构管理的通知\t香教规〔2023〕1号\t2023-03-01\t现行有效",
    "香河县城市供水管理办法\t香政规〔2021〕2号\t2021-05-10\t失效",
    "关于调整城乡居民医疗保险缴费标准的通知\t香政规〔2022〕3号\t2022-01-10\t有效性：已废止",
    "香河县农村宅基地管理暂行办法\t香政规〔2023〕4号\t2023-07-01",
]


def normative_page(lines, column=True) -> Document:
    b = DocBuilder("香河县人民政府-行政规范性文件.html", DocType.web_page)
    if column:
        b.heading("行政规范性文件")
    else:
        b.para("以下为本县行政规范性文件目录。")
    for line in lines:
        b.para(line)
    return b.build()


def test_validity_labels_share_and_citations():
    doc = normative_page(NORMATIVE_LIST)
    [check] = run("presence.1.1.1.validity", evidence(doc))
    assert check.measure == 0.75 and check.outcome == Outcome.failed and check.sub == 2
    assert check.citations[0].quote.startswith("香河县农村宅基地管理暂行办法")  # the unlabelled one first
    assert check.data["labels"] == ["失效", "已废止", "现行有效"]
    assert_citations_exact([check], doc)


def test_validity_all_labelled_passes_and_title_words_do_not_count():
    lines = [*NORMATIVE_LIST[:3], "关于延长有效期的通知\t香政规〔2023〕5号\t2023-08-01\t【有效】"]
    [check] = run("presence.1.1.1.validity", evidence(normative_page(lines)))
    assert check.outcome == Outcome.passed and check.measure == 1.0
    assert validity_label("关于延长有效期的通知\t香政规〔2023〕5号\t2023-08-01") is None


def test_validity_without_list():
    page = DocBuilder("a.html", DocType.web_page).para("规范性文件栏目建设中。").build()
    assert run("presence.1.1.1.validity", evidence(page)) == []


def test_normative_column_needs_a_named_column():
    [check] = run("presence.1.1.1.column", evidence(normative_page(NORMATIVE_LIST)))
    assert check.outcome == Outcome.passed and check.sub == 3 and check.citations[0].quote == "行政规范性文件"
    [check] = run("presence.1.1.1.column", evidence(normative_page(NORMATIVE_LIST, column=False)))
    assert check.outcome == Outcome.unknown and Flag.needs_human in check.flags  # words in running text


CLEANUP = ("<p>各乡镇人民政府，县政府各工作部门：</p>"
           "<p>县人民政府对2022年1月1日至2024年8月31日以县人民政府名义发布的规范性文件进行了全面清理，现将清理结果公布如下：</p>"
           "<p>一、《香河县人民政府办公室关于印发〈香河县县级储备粮管理办法〉的通知》等7件规范性文件继续有效。</p>"
           "<p>二、《香河县人民政府办公室关于印发〈香河县行政许可事项清单〉的通知》等4件规范性文件失效。</p>"
           "<p>三、《香河县人民政府办公室关于印发〈香河县农村土地经营权流转管理办法〉的通知》等2件规范性文件废止。</p>"
           "<p>全县各级各部门要加强规范性文件管理，落实“统一登记、统一编号、统一公布”要求。</p>")


def test_cleanup_decision_marks_status_but_is_no_column(tmp_path):
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    doc = parse_file(make_html(tmp_path / "ql.html", "关于公布规范性文件清理结果的决定", CLEANUP))
    [validity] = run("presence.1.1.1.validity", evidence(doc))
    assert validity.outcome == Outcome.passed
    assert validity.data["marked"] == validity.data["entries"] == 13
    assert [c.quote for c in validity.citations] == ["等7件规范性文件继续有效", "等4件规范性文件失效", "等2件规范性文件废止"]
    [column] = run("presence.1.1.1.column", evidence(doc))
    assert column.outcome == Outcome.unknown and column.data["column"] is False and column.data["abstain"]
    assert_citations_exact([validity, column], doc)


def test_one_document_page_marks_its_status_in_the_metadata(tmp_path):
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    meta = ("<div class='meta'><p>索 引 号：014119467/2023-00556</p><p>文件编号：香政办发〔2023〕51号 发布机构：政府办</p>"
            "<p>产生日期： 2023-12-10 发布日期： 2023-12-11 废止日期： 有效</p></div>")
    doc = parse_file(make_html(tmp_path / "wj.html", "香河县人民政府办公室关于印发香河县粮食应急预案的通知",
                               meta + "<p>香政办发〔2023〕51号</p><p>各乡镇人民政府：现将预案印发给你们，请认真贯彻执行。</p>"))
    doc = doc.model_copy(update={"doc_type": DocType.policy_document})
    [validity] = run("presence.1.1.1.validity", evidence(doc))
    assert validity.data == {"marked": 1, "entries": 1, "labels": ["有效"], "state": "all"}
    assert validity.citations[0].quote.replace(" ", "") == "废止日期：有效"
    [column] = run("presence.1.1.1.column", evidence(doc))
    assert column.outcome == Outcome.unknown  # one document's page cannot show a column


def openness_page(*names: str) -> Document:
    b = DocBuilder("香河县人民政府-政府信息公开.html", DocType.web_page).heading("政府信息公开")
    for n in names:
        b.para(n)
    return with_links(b.build(), *names)


def test_openness_four_columns_via_links():
    doc = openness_page("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报")
    [check, human] = run("presence.5.1.1.columns", evidence(doc))
    assert check.outcome == Outcome.passed and check.data["visible"] and check.data["missing"] == []
    assert check.data["found"] == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
    assert [c.quote for c in check.citations] == check.data["found"]
    assert Flag.unconfirmed_rule in human.flags and Flag.needs_human in human.flags


def test_openness_accepts_long_annual_report_name_and_reports_missing():
    doc = openness_page("政府信息公开指南", "法定主动公开内容", "政府信息公开工作年度报告")
    [check, _] = run("presence.5.1.1.columns", evidence(doc))
    assert check.data["missing"] == ["政府信息公开制度"] and check.outcome == Outcome.failed
    assert check.data["visible"] and check.measure == 0.75


def test_breadcrumb_of_a_sub_column_is_not_the_column_navigation(tmp_path):
    """A screenshot of a department's sub-column: its path passes through 法定主动公开内容, nothing shows
    the 政府信息公开 column's own navigation -> visible false, unknown (the scorer abstains)."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import render_text_image

    path = tmp_path / "zfbz.png"
    render_text_image(["香河县人民政府", "当前位置：政府信息公开>部门信息公开>住建局>法定主动公开内容>住房保障",
                       "住房保障", "关于公布2023年公共租赁住房保障对象的公告  2023-06-01"], path=path)
    doc = parse_file(path).model_copy(update={"doc_type": DocType.column_page})
    [check] = run("presence.5.1.1.columns", evidence(doc))
    assert check.outcome == Outcome.unknown and check.data["visible"] is False
    assert check.data["found"] == [] and check.data["breadcrumb"] == ["法定主动公开内容"]
    assert check.citations[0].quote == "法定主动公开内容" and check.measure is None
    assert_citations_exact([check], doc)


def test_column_menu_without_links_is_read(tmp_path):
    """A column page whose left menu is a <ul> of plain <li> items (no anchors in the saved copy)."""
    from ingestion.parse import parse_file

    items = ["政策", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开"]
    html = ("<html><head><title>依申请公开说明-香河县人民政府</title></head><body><div class='header'>香河县人民政府</div>"
            "<div class='xxgk-nav'><ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul></div>"
            "<div class='article'><h1>依申请公开说明</h1><div class='content'><p>公众可以向香河县人民政府申请获取政府信息。</p>"
            "</div></div></body></html>")
    path = tmp_path / "ysqgk.html"
    path.write_text(html, encoding="utf-8")
    doc = parse_file(path)
    [check, _] = run("presence.5.1.1.columns", evidence(doc))
    assert check.outcome == Outcome.passed and check.data["visible"]
    assert all(c.start >= doc.main_end for c in check.citations)  # cited in the navigation section
    assert_citations_exact([check], doc)


def test_citation_stops_at_the_line_end():
    doc = (DocBuilder("p.html", DocType.web_page).para("主要职责：负责全县教育工作。").para("办公地址：香河县新华大街88号  ")
           .para("办公时间待定").para("局长：王建国").para("副局长：李明").build())
    [check] = run("presence.1.1.2.institution", evidence(doc))
    quotes = dict(zip(check.data["found"], (c.quote for c in check.citations), strict=True))
    assert quotes["办公地址"] == "办公地址：香河县新华大街88号" and quotes["负责人姓名"] == "局长：王建国"
    assert "办公时间" in check.data["missing"]  # "待定" is no office hours


def test_institution_page_as_html_file(tmp_path):
    from ingestion.parse import parse_file

    html = ("<html><head><title>香河县教育和体育局 机构信息</title></head><body><div class='content'>"
            "<h2>机构信息</h2><p>主要职责：负责全县教育和体育工作。</p><p>内设机构：办公室、基础教育股。</p>"
            "<p>办公地址：香河县新华大街88号</p><p>办公时间：周一至周五 8:30-17:30</p>"
            "<p>联系电话：0316-8311234</p><p>局长：王建国</p></div></body></html>")
    path = tmp_path / "机构信息.html"
    path.write_text(html, encoding="utf-8")
    doc = parse_file(path)
    assert doc.doc_type == DocType.org_info
    [check] = run("presence.1.1.2.institution", evidence(doc))
    assert check.outcome == Outcome.passed and check.measure == 1.0
    assert_citations_exact([check], doc)


def test_unrelated_pages_are_no_evidence_not_failure():
    guide = (DocBuilder("政府信息公开指南截图.png", DocType.web_page)
             .para("办公地址：大厂回族自治县大安街2号，办公时间：工作日上午8:30-12:00，联系电话：0316-8882100。").build())
    assert run("presence.1.1.2.institution", evidence(guide)) == []
    assert run("presence.5.1.1.columns", evidence(institution_page())) == []
    assert run("presence.1.1.1.column", evidence(institution_page())) == []


# ---------------------------------------------------------------- saved HTML pages: columns in the menu

def _checked(checks):
    return [c for c in checks if c.outcome in (Outcome.passed, Outcome.failed)]


def test_saved_column_page_columns_found_in_its_menu(tmp_path):
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_column_page

    doc = parse_file(make_column_page(tmp_path / "xxgk.html"))
    assert "信息公开指南" not in doc.main_text  # the columns are named only in the site's menu
    [check, _] = run("presence.5.1.1.columns", evidence(doc))
    assert check.outcome == Outcome.passed and check.data["visible"] and check.data["column_named"]
    assert [c.quote for c in check.citations] == ["信息公开指南", "信息公开制度", "法定主动公开内容", "信息公开年报"]
    assert all(c.start >= doc.main_end for c in check.citations)
    assert_citations_exact([check], doc)

    [column] = run("presence.1.1.1.column", evidence(doc))
    assert column.outcome == Outcome.passed and not column.flags and column.sub == 3
    assert column.citations[0].quote == "行政规范性文件" and column.citations[0].start >= doc.main_end
    assert_citations_exact([column], doc)


def test_saved_column_page_reports_a_column_missing_from_its_menu(tmp_path):
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import XXGK_MENU, make_column_page

    menu = [m for m in XXGK_MENU if m[0] != "信息公开制度"]
    doc = parse_file(make_column_page(tmp_path / "xxgk.html", menu=menu))
    [check, _] = run("presence.5.1.1.columns", evidence(doc))
    assert check.data["missing"] == ["政府信息公开制度"] and check.measure == 0.75


def test_generic_site_menu_is_no_column_evidence(tmp_path):
    """An ordinary article page: its menus (首页 / 新闻中心 / 政务公开 / 政府信息公开 …) name no 61号
    column and no 规范性文件 column, so neither rule has evidence (no Check), let alone a pass."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    menu = [("首页", "/"), ("新闻中心", "/xwzx/"), ("政务公开", "/zwgk/"), ("政府信息公开", "/xxgk/"),
            ("政策解读", "/zcjd/"), ("政务服务", "/zwfw/")]
    doc = parse_file(make_html(tmp_path / "news.html", "香河县召开全县安全生产工作会议",
                               "<p>3月2日，香河县召开全县安全生产工作会议，部署近期安全生产重点工作。</p>",
                               menu=menu, date="2023-03-02"))
    assert ("政府信息公开", "/xxgk/") in [(lk.text, lk.href) for lk in doc.links if lk.navigation]
    assert run("presence.5.1.1.columns", evidence(doc)) == []
    assert run("presence.1.1.1.column", evidence(doc)) == []


def test_menu_entries_are_not_read_as_the_page_content(tmp_path):
    """A sidebar list of documents with 文号 is navigation: 1.1.1(2) counts no entries from it."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    sidebar = ("<div class='side-list'><ul>"
               "<li><a href='/1.html'>香河县城市供水管理办法（香政规〔2021〕2号）</a></li>"
               "<li><a href='/2.html'>香河县农村宅基地管理暂行办法（香政规〔2023〕4号）</a></li>"
               "<li><a href='/3.html'>关于调整医疗保险缴费标准的通知（香政规〔2022〕3号）</a></li></ul></div>")
    doc = parse_file(make_html(tmp_path / "a.html", "香河县召开政务公开工作推进会",
                               "<p>会议要求各部门做好行政规范性文件清理工作，对照清单逐件核对、及时更新，"
                               "并在政府网站集中公开，确保公开内容准确完整、便于查阅。</p>" * 2 + sidebar))
    assert "会议要求各部门做好行政规范性文件清理工作" in doc.main_text
    assert "香政规〔2021〕2号" in doc.text and "香政规〔2021〕2号" not in doc.main_text
    assert run("presence.1.1.1.validity", evidence(doc)) == []


def test_column_screenshot_menu_bar_read_by_ocr(tmp_path):
    """A screenshot of the 政府信息公开 column: OCR gives its menu bar as one line of names apart."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import render_text_image

    path = tmp_path / "xxgk.png"
    render_text_image(["香河县人民政府 政府信息公开", "政府信息公开指南   政府信息公开制度   法定主动公开内容",
                       "本栏目集中发布本机关依法主动公开的政府信息。"], path=path)
    doc = parse_file(path).model_copy(update={"doc_type": DocType.column_page})
    [check, _] = run("presence.5.1.1.columns", evidence(doc))
    assert check.data["found"] == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容"]
    assert check.data["visible"] and check.data["missing"] == ["政府信息公开年报"] and check.outcome == Outcome.failed
    assert [c.quote for c in check.citations] == check.data["found"]
    assert_citations_exact([check], doc)


def test_list_page_without_doc_numbers_counts_dated_lines():
    lines = ["香河县城市供水管理办法\t2021-05-10\t失效", "香河县农村宅基地管理暂行办法\t2023-07-01",
             "香河县物业管理办法\t2022-03-01\t现行有效"]
    b = DocBuilder("目录.html", DocType.normative_list).heading("行政规范性文件")
    for line in lines:
        b.para(line)
    doc = b.build()
    [check] = run("presence.1.1.1.validity", evidence(doc))
    assert check.data["marked"] == 2 and check.data["entries"] == 3 and check.outcome == Outcome.failed
    assert check.citations[0].quote == "香河县农村宅基地管理暂行办法\t2023-07-01"  # the unmarked entry first
    assert_citations_exact([check], doc)


def test_near_misses_are_cited_but_never_counted(tmp_path):
    """A 三定 preamble (real layout): units counted but not named, posts without people. The reviewer
    sees the passages; the elements stay missing."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import make_html

    doc = parse_file(make_html(tmp_path / "gk.html", "香河县农业农村局单位概况",
                               "<p>香河县农业农村局是县政府工作部门，为正科级。</p>"
                               "<p>县农业农村局机关行政编制25名，设局长1名、副局长3名；股级职数12名。</p>"
                               "<p>县农业农村局共有5个下属单位。</p>"))
    [check] = run("presence.1.1.2.institution", evidence(doc))
    assert "机构设置" in check.data["missing"] and "负责人姓名" in check.data["missing"]
    assert check.data["near_misses"] == ["机构设置", "负责人姓名"]
    quotes = [c.quote for c in check.citations]
    assert any("设局长1名" in q for q in quotes) and any("5个下属单位" in q for q in quotes), quotes
    assert "不计分" in check.rationale
    assert_citations_exact([check], doc)
