import datetime as dt

from core.document import DateKind, DocType
from core.findings import Flag
from indicators.rules import request_guide
from indicators.rules.base import REGISTRY, Evidence, Outcome
from tests.docbuilder import DocBuilder

FULL_GUIDE = [
    ("h", "固安县人民政府办公室政府信息公开指南"),
    ("p", "为便于公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》第十二条，编制本指南。"),
    ("h", "一、主动公开"),
    ("p", "主动公开的政府信息分为机构职能、政策文件、规划计划、财政信息等类别，按照主题分类编排，每条信息设有索引号。"),
    ("p", "公众可通过固安县人民政府门户网站“政府信息公开”专栏查阅和获取，网址：http://www.guan.gov.cn/zwgk。"),
    ("h", "二、依申请公开"),
    ("p", "受理机构：固安县人民政府办公室政务公开科，负责本机关政府信息公开工作。"),
    ("p", "申请人可以通过当面、信函、网络等方式提出申请。"),
    ("h", "（一）当面提交"),
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
        b.heading(text) if kind == "h" else b.para(text)
    if date:
        b.date(DateKind.publication, date, f"更新日期：{date.year}年{date.month}月{date.day}日")
    return b.build()


def run(func, docs, year=2023):
    r = next(r for r in REGISTRY.rules.values() if r.func is func)
    return r.run(Evidence(unit="固安县人民政府办公室", year=year, documents=docs))


def test_full_guide_passes_all_checks():
    doc = guide(FULL_GUIDE)
    [upd] = run(request_guide.updated, [doc])
    assert upd.outcome is Outcome.passed and upd.citations[0].quote.endswith("2023年3月15日")
    [ch] = run(request_guide.channels, [doc])
    assert ch.outcome is Outcome.passed, ch.rationale
    assert ch.data["信函申请"]["details"] == ["地址", "邮编"]
    assert {"065500" in c.quote for c in ch.citations} >= {True}
    [fl] = run(request_guide.fields, [doc])
    assert fl.outcome is Outcome.passed, fl.rationale
    assert fl.measure == 1.0


def test_stale_guide_fails_and_later_date_needs_human():
    [upd] = run(request_guide.updated, [guide(FULL_GUIDE, dt.date(2021, 6, 1))])
    assert upd.outcome is Outcome.failed and "2023年度内未见更新" in upd.rationale
    [later] = run(request_guide.updated, [guide(FULL_GUIDE, dt.date(2024, 2, 1))])
    assert later.outcome is Outcome.unknown and Flag.needs_human in later.flags
    [none] = run(request_guide.updated, [guide(FULL_GUIDE[:3], None)])
    assert none.outcome is Outcome.unknown and Flag.date_unknown in none.flags


def test_thin_guide_reports_missing_channels_and_fields():
    thin = [
        ("h", "大城县教育局政府信息公开指南"),
        ("p", "申请人可以通过当面或网络方式提出申请。"),
        ("h", "当面申请"),
        ("p", "请到县教育局办公室提交申请。联系电话：0316-5512345。"),
        ("h", "网络申请"),
        ("p", "请通过县政府网站提交。"),
    ]
    doc = guide(thin, dt.date(2023, 5, 1))
    [ch] = run(request_guide.channels, [doc])
    assert ch.outcome is Outcome.failed
    assert "信函申请：未列明" in ch.rationale
    assert "现场申请：已列明（电话），缺少地址、办公时间" in ch.rationale
    assert "网络申请：已列明（无具体接收信息），缺少网址或电子邮箱" in ch.rationale
    assert ch.measure == 0.0
    [fl] = run(request_guide.fields, [doc])
    assert fl.outcome is Outcome.failed
    assert set(fl.data["missing"]) >= {"分类", "编排体系", "办公地址", "传真号码", "互联网联系方式"}
    assert "联系电话" in fl.data["found"]


def test_no_guide_is_reported():
    other = DocBuilder("年报.pdf", DocType.annual_report, year=2023).para("一、总体情况").build()
    column = (DocBuilder("专栏.png", DocType.web_page, year=2023, title="政府信息公开")
              .heading("政府信息公开").para("政府信息公开指南 政府信息公开制度 法定主动公开内容 政府信息公开年报").build())
    assert run(request_guide.channels, [other, column]) == []
    assert run(request_guide.updated, [other, column]) == []
