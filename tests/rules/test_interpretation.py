import datetime as dt

import pytest

from core.document import DateKind, DocType, Link, Media, MediaKind
from core.findings import Flag
from indicators.readability import COMMON_CHARS_FILE, DEFAULT_THRESHOLDS, _data, derive_common_chars, measure
from indicators.rules import interpretation as interp
from indicators.rules.base import REGISTRY, Evidence, Outcome
from tests.docbuilder import DocBuilder
from tests.rules import interp_texts as T


def build(parts, file="解读.docx", doc_type=DocType.policy_interpretation, date: dt.date | None = None,
          extra: list[str] = ()):
    b = DocBuilder(file, doc_type, unit="香河县人力资源和社会保障局", year=2023, title=parts[0][1])
    for kind, text in parts:
        b.heading(text) if kind == "h" else b.para(text)
    for text in extra:
        b.para(text)
    if date:
        b.date(DateKind.publication, date, f"发布日期：{date.isoformat()}")
    return b.build()


def policy(date=dt.date(2023, 6, 5), no=T.POLICY_NO):
    b = DocBuilder("办法.pdf", DocType.policy_document, year=2023, title=T.POLICY_TITLE)
    b.heading(T.POLICY_TITLE).para(no).para("第一条 为促进城乡居民就业创业，制定本办法。")
    b.date(DateKind.publication, date)
    return b.build()


def run(func, docs, year=2023):
    r = next(r for r in REGISTRY.rules.values() if r.func is func)
    return r.run(Evidence(unit="香河县人力资源和社会保障局", year=year, documents=docs))


# --- 3.1 sub 1 content elements ---------------------------------------------------------------

def test_rich_interpretations_have_all_elements():
    [c] = run(interp.content, [build(T.RICH_1)])
    assert c.outcome is Outcome.passed, c.rationale
    assert len(c.citations) >= 4
    # who may apply is a measure, not the explanation of a key term: an element counts only when stated
    [c2] = run(interp.content, [build(T.RICH_2)])
    assert c2.data["missing"] == ["关键词诠释"], c2.rationale
    heading_only = [("h", "政策解读"), ("h", "二、主要内容"), ("p", "《实施方案》由五大部分组成：指导思想、工作目标、创建内容。")]
    [c3] = run(interp.content, [build(heading_only)])
    assert "关键词诠释" in c3.data["missing"]


def test_rich_1_cites_headings_for_elements():
    [c] = run(interp.content, [build(T.RICH_1)])
    quotes = [x.quote for x in c.citations]
    assert "一、为什么要出台这个办法？（背景依据）" in quotes
    assert "五、和以前的政策有什么不同？（新旧政策差异）" in quotes


@pytest.mark.parametrize("parts", [T.THIN_1, T.THIN_2])
def test_thin_interpretations_miss_elements(parts):
    [c] = run(interp.content, [build(parts)])
    assert c.outcome is Outcome.failed
    assert "新旧政策差异" in c.data["missing"] and "目标任务" in c.data["missing"]
    assert c.measure <= 0.4


# --- 3.1 sub 2 link and timing -----------------------------------------------------------------

def test_hyperlink_to_policy_passes():
    doc = build(T.THIN_1, extra=["相关文件：" + T.POLICY_TITLE])
    start = doc.text.rindex(T.POLICY_TITLE)  # the anchor text of the hyperlink
    doc = doc.model_copy(update={"links": [Link(text=T.POLICY_TITLE, href="http://www.xianghe.gov.cn/zc/12.html",
                                                start=start, end=start + len(T.POLICY_TITLE))]})
    [c] = run(interp.policy_link, [doc, policy()])
    assert c.outcome is Outcome.passed
    assert c.citations[0].quote == T.POLICY_TITLE
    assert c.data["policies"] == ["办法.pdf"]
    assert c.data["state"] == "policy_absent"  # the policy is a PDF here, not its web page: no back link to see


def test_link_both_ways_one_way_and_plain_doc_number():
    doc = build(T.THIN_1, extra=["相关文件：" + T.POLICY_TITLE])
    start = doc.text.rindex(T.POLICY_TITLE)
    doc = doc.model_copy(update={"title": "关于就业创业补贴办法的政策解读", "links": [
        Link(text=T.POLICY_TITLE, href="http://www.xianghe.gov.cn/zc/12.html", start=start,
             end=start + len(T.POLICY_TITLE))]})
    page = policy()
    back = page.model_copy(update={"links": [Link(text="相关解读：关于就业创业补贴办法的政策解读", href="/jd/1.html",
                                                  start=0, end=4)]})
    other = page.model_copy(update={"links": [Link(text="返回首页", href="/", start=0, end=4)]})
    [two] = run(interp.policy_link, [doc, back])
    assert two.outcome is Outcome.passed and two.data["state"] == "two_way"
    [one] = run(interp.policy_link, [doc, other])
    assert one.outcome is Outcome.failed and one.data["state"] == "one_way"
    plain = [("h", "政策解读"), ("p", "舞农领〔2023〕28号文件明确了补贴标准。")]
    [none] = run(interp.policy_link, [build(plain)])
    assert none.data["state"] == "no_link"  # a 文号 in plain text is not a hyperlink


def test_text_label_without_hyperlink_needs_human_and_bare_mention_fails():
    [c] = run(interp.policy_link, [build(T.RICH_1), policy()])
    assert c.outcome is Outcome.unknown and Flag.needs_human in c.flags
    assert c.data["state"] == "policy_absent"  # a label in a document cannot show a hyperlink
    assert c.citations[0].quote.startswith("政策原文")
    [bare] = run(interp.policy_link, [build(T.THIN_1), policy()])
    assert bare.outcome is Outcome.failed and bare.data["state"] == "no_link"
    assert T.POLICY_TITLE in bare.rationale
    [none] = run(interp.policy_link, [build(T.RICH_2)])
    assert none.outcome is Outcome.failed and "既未链接也未注明" in none.rationale


def test_doc_number_variants_match_the_policy():
    parts = [("h", "政策解读"), ("p", "香政办[2023]第12号文件出台后，很多群众关心补贴怎么领。")]
    [c] = run(interp.timing, [build(parts, date=dt.date(2023, 6, 7)), policy(no="香政办〔2023〕12号")])
    assert c.data["policy"] == "办法.pdf"


def test_interpretation_within_3_workdays_passes_later_fails():
    # 2023-06-05 Monday; 06-07 is the 2nd working day after; 06-21 crosses 端午 (06-22..24)
    [ok] = run(interp.timing, [build(T.RICH_1, date=dt.date(2023, 6, 7)), policy()])
    assert ok.outcome is Outcome.passed and ok.data["workdays"] == 2
    [late] = run(interp.timing, [build(T.RICH_1, date=dt.date(2023, 6, 26)), policy()])
    assert late.outcome is Outcome.failed
    assert late.data["workdays"] == 14  # 端午 06-22/23 off, 06-25 (Sunday) a make-up workday
    assert "2023年6月5日发布" in late.rationale and Flag.needs_human in late.flags
    [nodate] = run(interp.timing, [build(T.RICH_1), policy()])
    assert nodate.outcome is Outcome.unknown and Flag.date_unknown in nodate.flags


# --- 3.1 sub 3 readability ---------------------------------------------------------------------

@pytest.mark.parametrize("parts", [T.RICH_1, T.RICH_2])
def test_rich_text_is_readable(parts):
    [c] = run(interp.readability, [build(parts)])
    assert c.outcome is Outcome.passed, c.rationale


@pytest.mark.parametrize("parts", [T.THIN_1, T.THIN_2])
def test_thin_text_is_not(parts):
    [c] = run(interp.readability, [build(parts)])
    assert c.outcome is Outcome.failed, c.rationale
    assert c.data["jargon_per_1000"] > DEFAULT_THRESHOLDS.max_jargon_per_1000
    assert c.measure == 0.25  # only the rare-character threshold is met
    assert c.citations  # the long sentences are cited


def test_readability_measures():
    r = measure("这是一个短句。这也是短句！\n" + "甲" * 60 + "。犇犇犇犇。")
    assert r.sentences == 4
    assert r.long_share == 0.25
    assert "犇" in r.rare_chars
    assert measure("统筹推进各项工作，统筹安排。").jargon == {"统筹推进": 1, "统筹": 1}


def test_single_threshold_miss_is_borderline():
    parts = [("h", "解读"), ("p", "我们" + "统筹推进，" * 6 + "大家都能看懂这句话。"), ("p", "这是第二句话，也很短，说的是补贴怎么领取。" * 6)]
    [c] = run(interp.readability, [build(parts)])
    assert c.outcome is Outcome.unknown and Flag.borderline in c.flags


@pytest.mark.slow
def test_common_char_list_is_the_documented_derivation():
    shipped = _data(COMMON_CHARS_FILE).strip()
    assert len(shipped) == 3500
    assert shipped == derive_common_chars()


# --- 3.2 channels, forms, leader ---------------------------------------------------------------

CHANNEL_LINE = "本解读同步在县政府门户网站、“香河发布”微信公众号发布，县电视台《香河新闻》栏目作了专题报道。"


def test_channels_many_and_one():
    [c] = run(interp.channels, [build(T.RICH_2, extra=[CHANNEL_LINE])])
    assert c.outcome is Outcome.passed
    assert c.data["found"] == ["政府网站", "政务新媒体", "电视"]
    assert c.citations[0].quote == CHANNEL_LINE
    [one] = run(interp.channels, [build(T.RICH_2, extra=["本解读在县政府门户网站发布。"])])
    # one page cannot show the other channels: abstain (insufficient_evidence), never a failure
    assert one.outcome is Outcome.unknown and one.data["abstain"] and one.data["found"] == ["政府网站"]


def test_forms_from_media_and_words():
    doc = build(T.RICH_1).model_copy(update={"media": [
        Media(kind=MediaKind.image, src="/images/logo.png"),  # decorative: not a form
        Media(kind=MediaKind.image, src="/upload/tujie.jpg", alt="一图读懂就业创业补贴"),
        Media(kind=MediaKind.video, src="/upload/jiedu.mp4"),
    ]})
    [c] = run(interp.forms, [doc])
    assert c.outcome is Outcome.passed
    assert c.data["found"] == ["图片/图解", "视频"]
    assert len(c.data["media"]) == 2
    only_logo = build(T.RICH_1).model_copy(update={"media": [Media(kind=MediaKind.image, src="/images/logo.png")]})
    [f] = run(interp.forms, [only_logo])
    assert f.outcome is Outcome.failed and f.measure == 0
    [words] = run(interp.forms, [build(T.RICH_2, extra=["我们还制作了动漫短片，用动画讲清楚怎么领补贴。"])])
    assert words.data["found"] == ["图片/图解", "动漫"]


def test_leader_by_name_and_title():
    [c] = run(interp.leader, [build(T.RICH_1)])
    assert c.outcome is Outcome.passed and c.data["leaders"] == ["局长李某某"]
    deputy = [("h", "解读"), ("p", "县人力资源和社会保障局副局长王某某做客直播间，解读就业创业补贴政策。")]
    [d] = run(interp.leader, [build(deputy)])
    assert d.outcome is Outcome.unknown and "主要负责人" in d.data["abstain"]
    before = [("h", "解读"), ("p", "6月8日，张某某县长做客《政风行风热线》，解读就业创业补贴政策。")]
    [b] = run(interp.leader, [build(before)])
    assert b.outcome is Outcome.passed and b.data["leaders"] == ["张某某县长"]
    spaced = [("h", "解读"), ("p", "县长 张某某在新闻发布会上解读了政策。"), ("p", "局长XXX做客直播间解读补贴政策。")]
    [sp] = run(interp.leader, [build(spaced)])
    assert sp.data["leaders"] == ["县长张某某", "局长XXX"]
    generic = [("h", "解读"), ("p", "县政府主要负责同志接受采访，解读了就业创业补贴政策。")]
    [g] = run(interp.leader, [build(generic)])
    assert g.outcome is Outcome.unknown and Flag.needs_human in g.flags


def test_no_interpretation_no_checks():
    for func in (interp.content, interp.policy_link, interp.channels, interp.forms, interp.leader):
        assert run(func, [policy()]) == []


def test_untyped_pages_count_by_their_title_only():
    nav = build([("h", "香河县人民政府"), ("p", "首页 政务公开 政策解读 办事服务"), ("p", "县长张某某主持召开常务会议。")],
                file="首页.png", doc_type=DocType.web_page)
    column = build([("h", "政策解读-香河县人民政府"), ("p", "《关于…的解读》 2023-06-07")], file="栏目.html",
                   doc_type=DocType.web_page)
    article = build(T.RICH_2, file="一图读懂.html", doc_type=DocType.web_page)
    assert [d.file for d in interp.interpretations(Evidence(unit=None, year=2023, documents=[nav, column, article]))] \
        == ["一图读懂.html"]


# --- a real HTML page through the parser ---------------------------------------------------------

HTML = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{T.RICH_1[0][1]}</title>
<meta name="PubDate" content="2023-06-07"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="article"><h1>{T.RICH_1[0][1]}</h1><p>发布时间：2023-06-07</p>
{''.join(f'<h2>{t}</h2>' if k == 'h' else f'<p>{t}</p>' for k, t in T.RICH_1[1:-1])}
<p><img src="/upload/2023/tujie.jpg" alt="一图读懂就业创业补贴"></p>
<p><video src="/upload/2023/jiedu.mp4" controls></video></p>
<p>{CHANNEL_LINE}</p>
<p>相关文件：<a href="http://www.xianghe.gov.cn/zc/12.html">{T.POLICY_TITLE}</a></p>
</div></body></html>"""


def test_real_html_interpretation(tmp_path):
    from ingestion.parse import parse_file

    path = tmp_path / "解读.html"
    path.write_text(HTML, encoding="utf-8")
    doc = parse_file(path)
    assert doc.file_type == "html"
    doc = doc.model_copy(update={"doc_type": DocType.policy_interpretation, "year": 2023})
    docs = [doc, policy()]
    [forms] = run(interp.forms, docs)
    assert {"图片/图解", "视频"} <= set(forms.data["found"])
    [link] = run(interp.policy_link, docs)
    assert link.outcome is Outcome.passed and not link.flags
    [content] = run(interp.content, docs)
    assert content.outcome is Outcome.passed
    [channels] = run(interp.channels, docs)
    assert channels.outcome is Outcome.passed


def test_new_wording_alone_is_no_difference_between_old_and_new():
    new_only = [("h", "政策解读"), ("p", "补贴标准调整为每人每月300元，申请时间放宽至全年受理。")]
    [c] = run(interp.content, [build(new_only)])
    assert "新旧政策差异" in c.data["missing"]
    both = [("h", "政策解读"), ("p", "补贴标准由每人每月200元提高到300元。")]
    [c2] = run(interp.content, [build(both)])
    assert "新旧政策差异" in c2.data["found"]


# --- citations a reviewer can check (real layouts: Q&A pages, excerpts, retold structure) ---------------

def test_a_definition_is_cited_for_key_terms_rather_than_the_question_naming_them():
    qa = [("h", "什么是城镇老旧小区？"), ("p", "问：什么是城镇老旧小区？"),
          ("p", "答：城镇老旧小区，指的是建成年代较久、市政配套设施老化的住宅小区。"),
          ("p", "改造范围按居民户数计算不得超过当年改造任务数的15%。")]
    [c] = run(interp.content, [build(qa)])
    assert "关键词诠释" in c.data["found"]
    assert any("指的是" in x.quote for x in c.citations), [x.quote for x in c.citations]
    assert "目标任务" not in c.data["found"]  # 改造任务数 is a quota, not the policy's goals


def test_an_excerpt_cites_where_the_policy_is_named_in_plain_text():
    cut = [("h", "《香河县和美乡村示范创建工作方案》政策解读"), ("p", "一、起草背景"),
           ("p", "在这样的背景下出台了《香河县和美乡村示范创建工作方案》。"),
           ("p", "方案经县政府常务会议审议通过，当日以香农领〔2023〕28号印发实施。"), ("h", "二、主要内容")]
    [c] = run(interp.policy_link, [build(cut, file="解读.html")])
    assert c.data["state"] == "cut_off" and c.outcome is Outcome.unknown
    quotes = [x.quote for x in c.citations]
    assert any("香农领〔2023〕28号" in q for q in quotes), quotes
    assert any(q.startswith("在这样的背景下出台了") for q in quotes), quotes
    assert not any(q.endswith("政策解读") for q in quotes)  # the page's own title names, it does not mention


def test_readability_cites_the_retold_structure_and_never_the_metadata_table():
    b = DocBuilder("解读.html", DocType.policy_interpretation, year=2023, title="《香河县示范创建方案》政策解读")
    b.heading("《香河县示范创建方案》政策解读")
    b.table([["索引号", "xh-2023-001", "发文机关", "香河县农业农村局", "发布日期", "2023-06-01", "主题分类", "农业、农村"]])
    for text in T.THIN_1:
        b.para(text[1])
    b.para("第一部分为总体要求。第二部分为工作目标。第三部分为工作任务。")
    [c] = run(interp.readability, [b.build()])
    quotes = [x.quote for x in c.citations]
    assert c.data["state"] == "jargon" and quotes
    assert any("第一部分为总体要求" in q for q in quotes)
    assert not any("索引号" in q for q in quotes)


def test_a_text_for_the_public_cites_what_makes_it_so():
    faq = [("h", "《香河县殡葬基本服务费用减免实施方案》解读"), ("h", "一、哪些人可以享受减免？"),
           ("p", "本县户籍居民去世后，您的家属可以享受基本殡葬服务费用减免。"),
           ("h", "二、减免哪些费用？"), ("p", "遗体接运按每次200元标准减免，遗体火化按每具300元标准减免。"),
           ("h", "三、怎么办理？"), ("p", "家属持死亡证明到县殡仪馆窗口办理，费用当场直接减免，咨询电话0316-5123456。")]
    [c] = run(interp.readability, [build(faq)])
    assert c.data["state"] == "public", c.rationale
    quotes = [x.quote for x in c.citations]
    assert any(q.endswith("？") for q in quotes), quotes  # a question asked as the public would
    assert any("200元" in q for q in quotes) and any("窗口办理" in q for q in quotes), quotes
    assert not any("解读" in q for q in quotes)  # not the title
