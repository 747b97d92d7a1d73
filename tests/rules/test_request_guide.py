"""2.1.1 guide rules on saved guide pages (real HTML files, the layouts portals publish).

Layouts modelled on real guides: the receiving office's address, postcode and hours in a section of
their own (一、受理机构 / 五、工作机构) while the channels are numbered items ("3.当面申请。" followed by
a sentence); a named platform ("依申请公开"栏目) as the online channel; contact blocks with a postcode
but no letter channel; pages still stating the 2007 条例's 15个工作日.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.document import DateKind, DocType
from core.findings import Flag
from indicators.rules import request_guide
from indicators.rules.base import REGISTRY, Evidence, Outcome
from tests.docbuilder import DocBuilder
from tests.ingestion.makefiles import make_html


def run(func, docs, year=2023):
    r = next(r for r in REGISTRY.rules.values() if r.func is func)
    return r.run(Evidence(unit="固安县人民政府办公室", year=year, documents=docs))


def page(tmp_path: Path, name: str, title: str, paragraphs: list[str]):
    from ingestion.parse import parse_file

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return parse_file(make_html(tmp_path / name, title, body))


def grades(check) -> dict[str, float]:
    return {name: v["grade"] for name, v in check.data["channels"].items()}


def assert_exact(check, doc):
    for c in check.citations:
        assert doc.text[c.start:c.end] == c.quote


# the office's details in their own section, the channels as numbered items after it
OFFICE_FIRST = [
    "公民、法人和其他组织如需获取本机关主动公开范围以外的政府信息，可以向县人民政府办公室提出申请。",
    "一、受理机构",
    "县人民政府办公室的政府信息公开申请由县人民政府办公室政务公开科受理。办公及通信地址为：固安县新昌街88号县政府办公楼302室，"
    "邮编065500；办公时间为周一至周五（法定节假日除外）8:30—12:00，14:30—17:30；联系电话0316-6123456，传真0316-6123457。",
    "二、申请形式",
    "申请可以通过以下方式提出：",
    "1.通过互联网提出申请。申请人可以在县人民政府网站的“依申请公开”栏目中填写电子版申请表，确认提交成功即可。",
    "2.信函、传真。以信函方式申请的，请在信封左下角注明“政府信息公开申请”字样；以传真方式申请的，请在显要位置注明“政府信息公开申请”字样。",
    "3.当面申请。申请人可以到受理机构处当面提出申请。",
    "三、申请的处理",
    "本机关收到政府信息公开申请后，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，"
    "延长的期限最长不超过20个工作日。",
    "需要征求第三方意见的，第三方应当自收到征求意见书之日起15个工作日内提出意见。",
    "本机关依申请提供政府信息，不收取费用；申请人申请公开政府信息的数量、频次明显超过合理范围的，"
    "按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费。",
]


def test_channels_take_details_from_the_office_section(tmp_path):
    doc = page(tmp_path, "guide.html", "固安县人民政府办公室依申请公开指南", OFFICE_FIRST)
    [ch] = run(request_guide.channels, [doc])
    assert grades(ch) == {"现场": 1.0, "信函": 1.0, "网络": 1.0}
    assert ch.outcome is Outcome.passed and ch.measure == 1.0
    letter = ch.data["channels"]["信函"]
    assert set(letter["linked"]) == {"地址", "邮编"} and "信封标注" in letter["details"]
    assert ch.data["channels"]["网络"]["details"] == ["申请平台"]
    quotes = [c.quote for c in ch.citations]
    assert "3.当面申请。" not in quotes and "1.通过互联网提出申请。" not in quotes  # no bare titles
    assert "申请人可以到受理机构处当面提出申请。" in quotes
    assert any("邮编065500" in q for q in quotes) and any(q.startswith("办公时间为周一至周五") for q in quotes)
    assert not any(q.startswith("联系电话") for q in quotes)  # a phone number is no receiving detail
    assert_exact(ch, doc)

    [current] = run(request_guide.updated, [doc])
    assert current.outcome is Outcome.passed, current.rationale  # the third party's 15 days are current law
    assert set(current.data["current"]) >= {"答复期限20个工作日", "信息处理费按国办函〔2020〕109号"}
    assert current.data["office_with_contacts"] and not current.data["outdated"]
    assert_exact(current, doc)


def test_contact_block_only_implies_channels_and_a_postcode_is_no_letter_channel(tmp_path):
    doc = page(tmp_path, "zn.html", "大城县科技局政府信息公开指南", [
        "依据《中华人民共和国政府信息公开条例》（国务院令第711号）的规定，制定本指南；本指南每年更新一次。",
        "一、工作机构",
        "本机关自2016年1月1日起正式受理政府信息公开申请，受理机构为科技局办公室。",
        "办公地址：大城县平舒大街66号科技大厦5楼502室",
        "办公时间：上午8:30—12:00，下午：2:30—6:00",
        "二、依申请公开",
        "大城县科技局受理信息公开申请的科室",
        "1、咨询电话：0316-5512345",
        "2、电子邮箱：dckjj@126.com",
        "3、通信地址：大城县平舒大街66号科技大厦5楼502室",
        "4、邮政编码：065900",
        "本机关收到政府信息公开申请后，在收到之日起20个工作日内予以答复；延长的期限不超过20个工作日。",
    ])
    [ch] = run(request_guide.channels, [doc])
    assert grades(ch) == {"现场": 0.5, "信函": 0.0, "网络": 0.5}
    assert ch.measure == round(1 / 3, 4) and ch.outcome is Outcome.failed
    assert not ch.data["channels"]["信函"]["details"]
    assert "信函：未列明" in ch.rationale and "推知" in ch.rationale
    assert not any("065900" in c.quote for c in ch.citations)
    [current] = run(request_guide.updated, [doc])
    assert current.outcome is Outcome.passed
    assert "2016" not in current.rationale  # 正式受理 since 2016: no update date
    assert "latest_date" not in current.data


def test_guide_with_2007_deadlines_is_not_current_whatever_its_date(tmp_path):
    doc = page(tmp_path, "old.html", "里澜城镇政府信息公开指南", [
        "政府信息依照索引号、信息名称、内容概述、生成日期、文件编号、发布机构、发布日期等数据项编写。",
        "本机关收到《申请表》后当场登记。能当场答复的当场答复；不能当场答复的，自收到申请之日起15个工作日内予以答复。"
        "确需延长答复期限的，将告知申请人。延长答复的期限最长不超过15个工作日。",
        "公民、法人或其他组织认为本机关没有依法履行政府信息公开义务的，可以向本机关投诉。投诉电话：0316-7461234，"
        "通信地址：大城县里澜城镇中心街1号，邮政编码：065904。",
        "更新日期：2023年3月1日",
    ])
    [current] = run(request_guide.updated, [doc])
    assert current.outcome is Outcome.failed
    assert [c.quote for c in current.citations] == ["不能当场答复的，自收到申请之日起15个工作日内予以答复。",
                                                     "延长答复的期限最长不超过15个工作日。"]
    [ch] = run(request_guide.channels, [doc])  # a complaint address is no receiving office
    assert grades(ch) == {"现场": 0.0, "信函": 0.0, "网络": 0.0}


def test_named_channels_without_details_get_half(tmp_path):
    doc = page(tmp_path, "xz.html", "霸州市人民政府依申请公开须知", [
        "提出申请",
        "申请人应填写政府信息公开申请表，申请表可以从霸州市人民政府门户网站下载，复印的申请表同样有效。",
        "1）当面申请。申请人可以到政府信息询问点当场提出申请。",
        "2信函、传真申请。以信函方式申请的，请在信封左下角注明“政府信息公开申请”字样；以传真方式申请的，请注明政府信息公开申请字样。",
        "3互联网申请。申请人下载并填好申请表后，以电子邮件方式发送至指定邮箱（bzysqgk@163.com）提出申请。",
        "接收",
        "要件不完备的申请予以退回，要求申请人补正，并依照《中华人民共和国政府信息公开条例》第三十条的规定处理。",
        "办公时间：周一至周五（除法定节假日外）9:00-12:00，14:30-17:30",
        "联系电话：0316-7221234",
        "办公地址：霸州市益津南路2号",
    ])
    [ch] = run(request_guide.channels, [doc])
    assert grades(ch) == {"现场": 1.0, "信函": 0.5, "网络": 1.0}
    assert ch.data["channels"]["信函"]["missing"] == ["邮编"]
    assert ch.measure == round(2.5 / 3, 4)
    [current] = run(request_guide.updated, [doc])
    assert current.outcome is Outcome.passed and current.data["current"] == ["补正按2019年条例第三十条"]


def test_guide_without_provisions_or_office_is_unknown():
    doc = (DocBuilder("g.png", DocType.web_page, title="政府信息公开指南").heading("政府信息公开指南")
           .para("申请人可以通过信函、网络等方式提出申请。").build())
    [current] = run(request_guide.updated, [doc])
    assert current.outcome is Outcome.unknown and Flag.needs_human in current.flags
    [ch] = run(request_guide.channels, [doc])
    assert grades(ch) == {"现场": 0.0, "信函": 0.5, "网络": 0.5}  # named together, no details


def test_classified_guide_is_read_whatever_its_title(tmp_path):
    doc = page(tmp_path, "sm.html", "受理须知", OFFICE_FIRST).model_copy(update={"doc_type": DocType.disclosure_guide})
    [ch] = run(request_guide.channels, [doc])
    assert grades(ch) == {"现场": 1.0, "信函": 1.0, "网络": 1.0}


FULL_GUIDE = [
    ("h", "固安县人民政府办公室政府信息公开指南"),
    ("p", "为便于公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》第十二条，编制本指南。"),
    ("h", "一、主动公开"),
    ("p", "主动公开的政府信息分为机构职能、政策文件、规划计划、财政信息等类别，按照主题分类编排，每条信息设有索引号。"),
    ("p", "公众可通过固安县人民政府门户网站“政府信息公开”专栏查阅和获取，网址：http://www.guan.gov.cn/zwgk。"),
    ("h", "二、依申请公开"),
    ("p", "受理机构：固安县人民政府办公室政务公开科，负责本机关政府信息公开工作。"),
    ("p", "申请人可以通过当面、信函、网络等方式提出申请。"),
    ("h", "（一）当面提交", ),
    ("p", "申请人可到受理机构现场提交申请。地址：固安县新昌街88号县政府办公楼302室。"),
    ("p", "办公时间：工作日上午8:30-12:00，下午14:30-17:30。联系电话：0316-6123456。"),
    ("h", "（二）信函申请"),
    ("p", "通过邮寄方式提交的，请在信封注明“政府信息公开申请”。收件地址：固安县新昌街88号县政府办公楼302室，邮编：065500。"),
    ("h", "（三）网络申请"),
    ("p", "申请人可登录固安县人民政府门户网站网上申请平台提交申请，网址：http://www.guan.gov.cn/ysqgk；"
          "也可发送电子邮件至gaxzfgk@163.com。"),
    ("h", "（四）传真申请"),
    ("p", "传真号码：0316-6123457。"),
]


def guide(parts, date: dt.date | None = dt.date(2023, 3, 15), file="指南.html"):
    b = DocBuilder(file, DocType.web_page, unit="固安县人民政府办公室", year=date.year if date else None,
                   title=parts[0][1])
    for kind, text in parts:
        b.heading(text, 2 if text.startswith("（") else 1) if kind == "h" else b.para(text)
    if date:
        b.date(DateKind.publication, date, f"更新日期：{date.year}年{date.month}月{date.day}日")
    return b.build()


def test_full_guide_channels_and_fields_info_only():
    doc = guide(FULL_GUIDE)
    [ch] = run(request_guide.channels, [doc])
    assert ch.outcome is Outcome.passed, ch.rationale
    assert ch.data["channels"]["信函"]["details"][:2] == ["地址", "邮编"]
    assert {"065500" in c.quote for c in ch.citations} >= {True}
    [fl] = run(request_guide.fields, [doc])
    assert fl.outcome is Outcome.info and fl.measure is None and fl.data["info_only"]
    assert not fl.data["missing"], fl.rationale


def test_thin_guide_reports_missing_details():
    thin = [
        ("h", "大城县教育局政府信息公开指南"),
        ("p", "申请人可以通过当面或网络方式提出申请。"),
        ("h", "当面申请"),
        ("p", "请到县教育局办公室提交申请。联系电话：0316-5512345。"),
        ("h", "网络申请"),
        ("p", "请通过县政府网站提交。"),
    ]
    [ch] = run(request_guide.channels, [guide(thin, dt.date(2023, 5, 1))])
    assert ch.outcome is Outcome.failed and grades(ch) == {"现场": 0.5, "信函": 0.0, "网络": 0.5}
    assert "信函：未列明" in ch.rationale
    assert ch.data["channels"]["现场"]["missing"] == ["地址", "办公时间"]
    assert ch.data["channels"]["网络"]["missing"] == ["网址、申请平台或受理邮箱"]
    [fl] = run(request_guide.fields, [guide(thin, dt.date(2023, 5, 1))])
    assert set(fl.data["missing"]) >= {"分类", "编排体系", "办公地址", "传真号码", "互联网联系方式"}
    assert "联系电话" in fl.data["found"]


def test_no_guide_is_reported():
    other = DocBuilder("年报.pdf", DocType.annual_report, year=2023).para("一、总体情况").build()
    column = (DocBuilder("专栏.png", DocType.web_page, year=2023, title="政府信息公开")
              .heading("政府信息公开").para("政府信息公开指南 政府信息公开制度 法定主动公开内容 政府信息公开年报").build())
    assert run(request_guide.channels, [other, column]) == []
    assert run(request_guide.updated, [other, column]) == []


def test_service_guide_is_not_the_disclosure_guide():
    doc = (DocBuilder("xk.html", DocType.web_page, title="固安县建设工程规划许可申请指南").heading("固安县建设工程规划许可申请指南")
           .para("申请人可以通过当面、网上申请等方式提出申请。办公地址：固安县新昌街88号。").build())
    assert run(request_guide.channels, [doc]) == [] and run(request_guide.updated, [doc]) == []
    names = ["锦州市人民政府办公厅受理政府信息公开申请说明", "依申请公开须知", "大城县政府信息公开申请指南", "政府信息公开指南"]
    assert all(request_guide.GUIDE_CUE.search(n) for n in names)


def test_current_guide_cites_both_deadlines_and_each_kind_of_contact(tmp_path):
    doc = page(tmp_path, "zn.html", "固安县人民政府办公室政府信息公开指南", OFFICE_FIRST)
    [current] = run(request_guide.updated, [doc])
    assert current.outcome is Outcome.passed
    assert {"答复期限20个工作日", "延期不超过20个工作日"} <= set(current.data["current"])
    quotes = " ".join(c.quote for c in current.citations)
    assert "延长的期限最长不超过20个工作日" in quotes
    assert "0316-6123456" in quotes and "新昌街88号" in quotes  # the phone as well as the address
    assert_exact(current, doc)
