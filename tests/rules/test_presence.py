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
    checks = run("presence.1.1.2.institution", evidence(doc))
    summary = checks[-1]
    assert summary.measure == 1.0 and summary.outcome == Outcome.info
    assert all(c.outcome == Outcome.passed for c in checks[:-1]) and len(checks) == 7
    quotes = {c.data["element"]: c.citations[0].quote for c in checks[:-1]}
    assert quotes["setup"] == "内设机构" and quotes["head"].replace(" ", "") == "局长：王建国"
    assert "0316" in quotes["contact"] and "8:30" in quotes["hours"]
    assert_citations_exact(checks, doc)


def test_institution_missing_elements_share():
    checks = run("presence.1.1.2.institution", evidence(institution_page(head=False, hours=False)))
    summary = checks[-1]
    assert summary.measure == round(4 / 6, 4)
    assert summary.data["missing"] == ["hours", "head"] and "办公时间" in summary.rationale
    assert [c.outcome for c in checks[:-1]].count(Outcome.failed) == 2


def test_institution_without_pages():
    assert run("presence.1.1.2.institution", evidence()) == []


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


def test_normative_column_heading_and_text_only():
    checks = run("presence.1.1.1.column", evidence(normative_page(NORMATIVE_LIST)))
    assert checks[0].outcome == Outcome.passed and not checks[0].flags and checks[0].sub == 3
    checks = run("presence.1.1.1.column", evidence(normative_page(NORMATIVE_LIST, column=False)))
    # named only in running text: the material cannot show whether a 专栏 exists (abstain, never pass)
    [c] = checks
    assert c.outcome == Outcome.unknown and "专栏" in c.data["abstain"] and Flag.needs_human in c.flags


def openness_page(*names: str) -> Document:
    b = DocBuilder("香河县人民政府-政府信息公开.html", DocType.web_page).heading("政府信息公开")
    for n in names:
        b.para(n)
    return with_links(b.build(), *names)


def test_openness_four_columns_via_links():
    doc = openness_page("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报")
    checks = run("presence.5.1.1.columns", evidence(doc))
    columns = [c for c in checks if c.outcome in (Outcome.passed, Outcome.failed)]
    assert len(columns) == 5 and all(c.outcome == Outcome.passed and not c.flags for c in columns)
    summary = next(c for c in checks if c.measure is not None)
    assert summary.measure == 1.0
    human = checks[-1]
    assert Flag.unconfirmed_rule in human.flags and Flag.needs_human in human.flags


def test_openness_accepts_long_annual_report_name_and_reports_missing():
    doc = openness_page("政府信息公开指南", "法定主动公开内容", "政府信息公开工作年度报告")
    checks = run("presence.5.1.1.columns", evidence(doc))
    summary = next(c for c in checks if c.measure is not None)
    assert summary.data["missing"] == ["rules"] and summary.measure == 0.8


def test_citation_stops_at_the_line_end():
    doc = (DocBuilder("p.html", DocType.web_page).para("办公地址：香河县新华大街88号  ").para("办公时间待定")
           .para("局长：王建国").para("副局长：李明").build())
    checks = run("presence.1.1.2.institution", evidence(doc))
    quotes = {c.data["element"]: c.citations[0].quote for c in checks[:-1] if c.citations}
    assert quotes["address"] == "办公地址：香河县新华大街88号" and quotes["head"] == "局长：王建国"
    assert "hours" not in quotes  # "待定" is no office hours


def test_institution_page_as_html_file(tmp_path):
    from ingestion.parse import parse_file

    html = ("<html><head><title>香河县教育和体育局 机构信息</title></head><body><div class='content'>"
            "<h2>机构信息</h2><p>主要职责：负责全县教育和体育工作。</p><p>内设机构：办公室、基础教育股。</p>"
            "<p>办公地址：香河县新华大街88号</p><p>办公时间：周一至周五 8:30-17:30</p>"
            "<p>联系电话：0316-8311234</p><p>局长：王建国</p></div></body></html>")
    path = tmp_path / "机构信息.html"
    path.write_text(html, encoding="utf-8")
    doc = parse_file(path)
    assert doc.doc_type == DocType.web_page
    checks = run("presence.1.1.2.institution", evidence(doc))
    assert checks[-1].measure == 1.0
    assert_citations_exact(checks, doc)


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
    checks = run("presence.5.1.1.columns", evidence(doc))
    columns = _checked(checks)
    assert [c.data["element"] for c in columns] == ["column", "guide", "rules", "statutory", "annual"]
    assert all(c.outcome == Outcome.passed and c.data["structural"] and not c.flags for c in columns)
    quotes = {c.data["element"]: c.citations[0].quote for c in columns}
    assert quotes["guide"] == "信息公开指南" and quotes["annual"] == "信息公开年报"
    assert all(c.citations[0].start >= doc.main_end for c in columns if c.data["element"] != "column")
    assert next(c for c in checks if c.measure is not None).measure == 1.0
    assert_citations_exact(checks, doc)

    [column, _summary] = run("presence.1.1.1.column", evidence(doc))
    assert column.outcome == Outcome.passed and not column.flags and column.sub == 3
    assert column.citations[0].quote == "行政规范性文件" and column.citations[0].start >= doc.main_end
    assert_citations_exact([column], doc)


def test_saved_column_page_reports_a_column_missing_from_its_menu(tmp_path):
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import XXGK_MENU, make_column_page

    menu = [m for m in XXGK_MENU if m[0] != "信息公开制度"]
    doc = parse_file(make_column_page(tmp_path / "xxgk.html", menu=menu))
    summary = next(c for c in run("presence.5.1.1.columns", evidence(doc)) if c.measure is not None)
    assert summary.data["missing"] == ["rules"] and summary.measure == 0.8


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
