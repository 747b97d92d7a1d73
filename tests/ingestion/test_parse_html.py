from core.document import DateKind, DocType, MediaKind
from ingestion.parse import parse_file
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import make_html

ARTICLE = (
    "<p>为便于公众理解《大城县政务公开工作实施方案》，现解读如下。</p>"
    "<h2>一、起草背景</h2><p>根据上级要求，结合我县实际，制定本方案。</p>"
    "<p>原文链接：<a href='/zwgk/2023/fa.html'>大城县政务公开工作实施方案</a></p>"
    "<p><img src='/images/tujie.png' alt='一图读懂'></p>"
    "<p><img src='data:image/png;base64,iVBORw0KGgo=' alt='内嵌图'></p>"
    "<video controls><source src='/video/jd.mp4'></video>"
    "<iframe src='https://player.example.cn/v/1'></iframe>"
    "<table><tr><th>事项</th><th>时限</th></tr><tr><td rowspan='2'>答复</td><td>20个工作日</td></tr>"
    "<tr><td>延长20个工作日</td></tr></table>"
)


def test_html_interpretation_page(tmp_path):
    path = make_html(tmp_path / "jd.html", "关于《大城县政务公开工作实施方案》的政策解读", ARTICLE,
                     date="2023-03-15")
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.file_type == "html"
    assert doc.title == "关于《大城县政务公开工作实施方案》的政策解读"
    assert doc.doc_type == DocType.policy_interpretation
    # boilerplate and scripts are gone from the main text; the menus' links follow it as navigation
    for junk in ("信息公开目录", "网站地图", "冀ICP备", "统计代码不应出现", "font-size"):
        assert junk not in doc.main_text
    for junk in ("冀ICP备", "统计代码不应出现", "font-size", "主办单位"):
        assert junk not in doc.text
    assert "根据上级要求，结合我县实际，制定本方案。" in doc.main_text
    pub = doc.date_of(DateKind.publication)
    assert pub is not None and pub.value.isoformat() == "2023-03-15" and pub.end > pub.start
    assert [(link.text, link.href) for link in doc.links if not link.navigation] == [
        ("大城县政务公开工作实施方案", "/zwgk/2023/fa.html")]
    assert [(link.text, link.href) for link in doc.links if link.navigation] == [
        ("首页", "/"), ("政务公开", "/zwgk/"), ("互动交流", "/hdjl/"), ("信息公开目录", "/xxgk/"),
        ("政策解读", "/zcjd/"), ("办事服务", "/bsfw/"), ("网站地图", "/sitemap/")]
    kinds = [m.kind for m in doc.media]
    assert kinds.count(MediaKind.image) == 2 and MediaKind.video in kinds and MediaKind.iframe in kinds
    assert {m.src for m in doc.media} == {"/images/tujie.png", None, "/video/jd.mp4", "https://player.example.cn/v/1"}
    assert "base64" not in doc.model_dump_json()
    table = doc.tables()[0]
    assert table.header_rows == 1
    assert table.grid() == [["事项", "时限"], ["答复", "20个工作日"], ["答复", "延长20个工作日"]]


def test_html_meta_date_and_gbk(tmp_path):
    path = make_html(tmp_path / "p.htm", "文安县2023年政府信息公开工作年度报告",
                     "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>",
                     meta_date="2024-01-18 09:30", encoding="gbk", nav=False)
    doc = parse_file(path)
    assert doc.encoding and doc.encoding.lower() in ("gbk", "gb2312", "gb18030")
    assert doc.doc_type == DocType.annual_report
    pub = doc.date_of(DateKind.publication)
    assert pub.value.isoformat() == "2024-01-18" and pub.start == pub.end == 0
    assert doc.year == 2023


def test_plain_web_page(tmp_path):
    path = make_html(tmp_path / "guide.html", "政府信息公开申请指南", "<p>申请人可以通过网络、信函提出申请。</p>",
                     date="2023年2月1日")
    doc = parse_file(path)
    assert doc.doc_type == DocType.disclosure_guide
    assert doc.date_of(DateKind.publication).value.isoformat() == "2023-02-01"


def test_mht_web_archive(tmp_path):
    from tests.ingestion.makefiles import make_mht

    html = ("<html><head><title>永清县政务公开专栏</title></head><body><h1>政府信息公开指南</h1>"
            "<p>发布时间：2023-05-06</p><p>申请人可以通过信函、网络提出申请。</p>"
            "<img src='http://www.example.gov.cn/images/tu.png'></body></html>")
    doc = parse_file(make_mht(tmp_path / "page.mht", html))
    assert_spans_exact(doc)
    assert doc.file_type == "mht" and doc.title == "政府信息公开指南"
    assert "申请人可以通过信函、网络提出申请。" in doc.text
    assert doc.date_of(DateKind.publication).value.isoformat() == "2023-05-06"
    assert [m.kind for m in doc.media] == [MediaKind.image]


def test_html_date_in_header_box_and_attachment_list_are_kept(tmp_path):
    body = ("<div class='article-header'><span>发布日期：2023-06-01</span></div>"
            "<p>正文第一段。</p>"
            "<div class='fj'>附件：<a href='/a1.pdf'>1.申请表</a> <a href='/a2.pdf'>2.流程图</a> "
            "<a href='/a3.pdf'>3.收费标准</a></div>")
    doc = parse_file(make_html(tmp_path / "a.html", "关于公开事项的说明", body))
    assert doc.date_of(DateKind.publication).value.isoformat() == "2023-06-01"
    assert [link.href for link in doc.links if not link.navigation] == ["/a1.pdf", "/a2.pdf", "/a3.pdf"]
    assert "信息公开目录" not in doc.main_text


def test_layout_table_page_is_read_as_blocks(tmp_path):
    long_para = "本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。" * 4
    body = ("<table width='1000'><tr><td class='left'><a href='/a'>首页</a><a href='/b'>概况</a><a href='/c'>公开</a></td>"
            f"<td><p>{long_para}</p><p>详见<a href='/zcwj/1.html'>原文</a>。</p>"
            "<table><tr><th>事项</th><th>数量</th></tr><tr><td>主动公开</td><td>120</td></tr></table></td></tr></table>")
    doc = parse_file(make_html(tmp_path / "old.html", "固安县政务公开工作情况", body, nav=False))
    assert_spans_exact(doc)
    paragraphs = [doc.text[b.start:b.end] for b in doc.blocks if b.kind.value == "paragraph"]
    assert long_para in paragraphs
    assert [(link.text, link.href) for link in doc.links if not link.navigation] == [("原文", "/zcwj/1.html")]
    # the emptied menu column of the layout table: its links are navigation
    assert [link.text for link in doc.links if link.navigation] == ["首页", "概况", "公开"]
    tables = doc.tables()
    assert len(tables) == 1 and tables[0].grid() == [["事项", "数量"], ["主动公开", "120"]]


GOV_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>关于《香河县优化营商环境若干措施》的政策解读_香河县人民政府</title>
<meta name="ArticleTitle" content="关于《香河县优化营商环境若干措施》的政策解读">
<meta name="PubDate" content="2023-04-12 10:20">
<script src="/js/jquery.js"></script><style>.a{}</style></head>
<body>
<div id="top"><div class="logo"><img src="/images/logo.png"></div><div class="search"><input name="q"><a href="#">搜索</a></div></div>
<div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/zwfw">政务服务</a><a href="/hdjl">互动交流</a></div>
<div class="main">
 <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zcjd">政策解读</a></div>
 <div class="detail">
  <div class="detail-title">关于《香河县优化营商环境若干措施》的政策解读</div>
  <div class="detail-info"><span>来源：香河县发展和改革局</span><span>发布时间：2023-04-12</span><span>浏览次数：<script>document.write(123)</script></span>
    <span class="font">【字体：<a href="javascript:fontZoom(16)">大</a> <a href="javascript:fontZoom(14)">中</a> <a href="javascript:fontZoom(12)">小</a>】</span></div>
  <div class="detail-content TRS_Editor">
   <p>&nbsp;&nbsp;&nbsp;&nbsp;一、制定背景</p>
   <p style="text-indent:2em">为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，结合我县实际，制定本措施。</p>
   <p>二、主要内容</p>
   <p>《措施》共五个方面20条。<br>一是提升政务服务效能；<br>二是降低企业经营成本。</p>
   <p style="text-align:center"><img src="/uploads/2023/tujie1.jpg" alt=""></p>
   <p>三、解读机关及联系方式</p><p>解读机关：香河县发展和改革局　联系电话：0316-0000000</p>
  </div>
  <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
  <div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  <div class="related"><h3>相关文件</h3><ul><li><a href="/zcwj/123.html">香河县优化营商环境若干措施</a></li></ul></div>
 </div>
</div>
<div class="footer"><p>主办：香河县人民政府办公室　承办：香河县政务服务中心</p><p>冀ICP备00000000号-1　冀公网安备 13102402000000号</p><p>网站标识码：1310240000</p></div>
</body></html>
"""


def test_realistic_government_article_page(tmp_path):
    path = tmp_path / "zcjd.html"
    path.write_text(GOV_PAGE, encoding="utf-8")
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.title == "关于《香河县优化营商环境若干措施》的政策解读"
    assert doc.doc_type == DocType.policy_interpretation
    assert doc.issuer == "香河县发展和改革局"
    assert doc.date_of(DateKind.publication).value.isoformat() == "2023-04-12"
    for junk in ("当前位置", "互动交流", "搜索", "字体", "打印本页", "分享到", "冀ICP备", "网站标识码", "document.write"):
        assert junk not in doc.main_text, junk
    for junk in ("当前位置", "搜索", "字体", "打印本页", "分享到", "微博", "冀ICP备", "网站标识码", "document.write"):
        assert junk not in doc.text, junk  # text without a link, and site tools: not navigation either
    assert "为深入贯彻落实党中央、国务院关于优化营商环境的决策部署" in doc.text
    assert [m.src for m in doc.media] == ["/uploads/2023/tujie1.jpg"]  # the logo is not content
    assert [link.href for link in doc.links if not link.navigation] == ["/zcwj/123.html"]
    nav = doc.text[doc.main_end:].splitlines()
    assert nav == ["【网站导航】", "首页 | 政务公开 | 政务服务 | 互动交流", "政策解读"]  # breadcrumb: only its new link
    heads = [doc.text[b.start:b.end] for b in doc.blocks if b.kind.value == "heading"]
    assert heads[:3] == ["关于《香河县优化营商环境若干措施》的政策解读", "一、制定背景", "二、主要内容"]


def test_title_box_named_like_boilerplate_is_kept(tmp_path):
    body = ("<div class='article-top'><div class='tit'>关于开展政务公开检查的通知</div></div>"
            "<div class='con'><p>各乡镇：现将有关事项通知如下。</p></div>")
    path = tmp_path / "n.html"
    path.write_text("<html><head><title>关于开展政务公开检查的通知_永清县人民政府</title></head><body>"
                    "<div class='top'><a href='/'>首页</a><a href='/a'>公开</a><a href='/b'>服务</a></div>"
                    f"{body}</body></html>", encoding="utf-8")
    doc = parse_file(path)
    first = doc.blocks[0]
    assert doc.text[first.start:first.end] == "关于开展政务公开检查的通知" and first.level == 0
    assert "首页" not in doc.main_text


def test_column_page_menu_is_kept_as_navigation_after_the_main_text(tmp_path):
    from core.document import BlockKind
    from ingestion.chunking import chunk_document
    from tests.ingestion.makefiles import XXGK_MENU, make_column_page

    doc = parse_file(make_column_page(tmp_path / "xxgk.html"))
    assert_spans_exact(doc)
    assert doc.doc_type == DocType.column_page
    # main text: the page's own content only
    assert "本平台集中发布香河县人民政府" in doc.main_text
    for text, _ in XXGK_MENU:
        assert text not in doc.main_text
    assert "栏目导航" not in doc.text and "当前位置" not in doc.text  # text without a link is dropped
    # every menu link with its target, flagged as navigation, laid out after the main text
    nav = [(link.text, link.href) for link in doc.links if link.navigation]
    assert nav[:6] == [("首页", "/"), ("政务公开", "/zwgk/"), ("互动交流", "/hdjl/"), ("信息公开目录", "/xxgk/"),
                       ("政策解读", "/zcjd/"), ("办事服务", "/bsfw/")]
    assert list(XXGK_MENU) == nav[6:11] and ("政府信息公开", "/xxgk/") in nav
    assert all(link.start >= doc.main_end for link in doc.links if link.navigation)
    lines = doc.text[doc.main_end:].splitlines()
    assert lines[0] == "【网站导航】"
    assert "信息公开指南 | 信息公开制度 | 法定主动公开内容 | 行政规范性文件 | 信息公开年报" in lines
    assert "政府信息公开" in lines  # the breadcrumb: its 首页 link is already in the header menu
    assert doc.blocks[-1].kind == BlockKind.navigation
    # chunks: the navigation is chunked apart from the article, and marked
    chunks = chunk_document(doc)
    nav_chunks = [c for c in chunks if c.kind == BlockKind.navigation]
    assert nav_chunks and all(c.heading == "网站导航" and c.start >= doc.main_end for c in nav_chunks)
    assert "信息公开指南" in "".join(c.text for c in nav_chunks)
    assert all("信息公开指南" not in c.text for c in chunks if c.kind != BlockKind.navigation)


def test_dated_column_listing_is_content_not_a_menu(tmp_path):
    from tests.ingestion.makefiles import XXGK_CRUMBS, XXGK_MENU

    items = [("2023", "2024-01-26"), ("2022", "2023-01-18"), ("2021", "2022-01-20"), ("2020", "2021-01-25")]
    listing = "<ul class='list'>" + "".join(
        f"<li><a href='/xxgk/xxgknb/{y}.html'>文安县教育和体育局{y}年政府信息公开工作年度报告</a>\n<span>{d}</span></li>"
        for y, d in items) + "</ul><div class='page'><a href='?p=1'>首页</a><a href='?p=2'>下一页</a><a href='?p=9'>尾页</a></div>"
    doc = parse_file(make_html(tmp_path / "nb.html", "信息公开年报", listing, menu=XXGK_MENU, crumbs=XXGK_CRUMBS))
    assert_spans_exact(doc)
    lines = doc.main_text.splitlines()
    assert "文安县教育和体育局2023年政府信息公开工作年度报告 2024-01-26" in lines
    assert [link.href for link in doc.links if not link.navigation][:2] == ["/xxgk/xxgknb/2023.html",
                                                                           "/xxgk/xxgknb/2022.html"]
    assert "下一页" not in doc.main_text and "下一页" in doc.text  # the pager is still a menu
    # the listing and an unnamed menu in one box: the box is kept for the listing, the menu still goes
    menu = "<ul>" + "".join(f"<li><a href='/m{i}/'>栏目{i}</a></li>" for i in range(12)) + "</ul>"
    doc = parse_file(make_html(tmp_path / "nb2.html", "信息公开年报", f"<div>{menu}{listing}</div>", nav=False))
    assert_spans_exact(doc)
    assert "文安县教育和体育局2021年政府信息公开工作年度报告 2022-01-20" in doc.main_text.splitlines()
    assert "栏目3" not in doc.main_text and ("栏目3", "/m3/") in [(lk.text, lk.href) for lk in doc.links]


def test_short_dated_link_list_beside_an_article_is_still_dropped(tmp_path):
    article = "<p>" + "本县持续推进政务公开标准化规范化建设，进一步提升政务公开工作质量和实效。" * 6 + "</p>"
    related = ("<div class='related'><ul><li><a href='/a.html'>关于开展政务公开检查的通知</a> 2023-05-01</li>"
               "<li><a href='/b.html'>关于印发工作要点的通知</a> 2023-04-01</li>"
               "<li><a href='/c.html'>政务公开培训会召开</a> 2023-03-01</li></ul></div>")
    doc = parse_file(make_html(tmp_path / "a.html", "固安县推进政务公开工作", article + related))
    assert "关于印发工作要点的通知" not in doc.main_text
    assert ("关于印发工作要点的通知", "/b.html") in [(lk.text, lk.href) for lk in doc.links if lk.navigation]


def test_menu_items_without_links_are_kept_as_navigation(tmp_path):
    """Saved column pages whose menu is a <ul> of plain <li> items (anchors drawn by script or lost
    on saving): the items are the column names 5.1.1 reads, kept as navigation entries without a
    target; a long sentence in a dropped list is no menu item; an item holding a link is that link."""
    menu = "".join(f"<li>{x}</li>" for x in ("政府信息公开指南", "政府信息公开制度"))
    menu += "<li><span>法定主动公开内容</span><ul><li>机构职能</li><li>政策文件</li></ul></li><li>政府信息公开年报</li>"
    long_item = "<li>本栏目集中发布本机关依法应当主动公开的政府信息，欢迎社会各界监督并提出意见建议。</li>"
    html = ("<html><head><title>信息公开-大城县人民政府</title></head><body>"
            f"<div class='xxgk-nav'><ul>{menu}{long_item}<li><a href='/ysqgk/'>依申请公开</a></li></ul></div>"
            "<div class='article'><h1>依申请公开说明</h1>"
            + "<p>除主动公开的政府信息以外，公众还可以向大城县人民政府政府信息公开工作机构申请获取相关政府信息。</p>" * 3
            + "</div></body></html>")
    path = tmp_path / "xxgk.html"
    path.write_text(html, encoding="utf-8")
    doc = parse_file(path)
    assert_spans_exact(doc)
    nav = [(link.text, link.href) for link in doc.links if link.navigation]
    assert nav == [("政府信息公开指南", ""), ("政府信息公开制度", ""), ("法定主动公开内容", ""), ("机构职能", ""),
                   ("政策文件", ""), ("政府信息公开年报", ""), ("依申请公开", "/ysqgk/")]
    assert "政府信息公开指南" not in doc.main_text and "本栏目集中发布" not in doc.text
    assert doc.text[doc.main_end:].splitlines()[1].startswith("政府信息公开指南 | 政府信息公开制度")
