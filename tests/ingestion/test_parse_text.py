import pytest

from core.document import BlockKind, DocType
from ingestion.parse import ParseError, parse_file
from tests.ingestion.checks import assert_spans_exact

REPORT = ("固安县人民政府2023年政府信息公开工作年度报告\n"
          "一、总体情况\n"
          "2023年，固安县认真贯彻落实《中华人民共和国政府信息公开条例》。\n\n"
          "（一）主动公开\n"
          "全年主动公开政府信息1200条。\n"
          "二、主动公开政府信息情况\n"
          "三、收到和处理政府信息公开申请情况\n"
          "固安县人民政府\n"
          "二〇二四年一月三十一日\n")


@pytest.mark.parametrize(("encoding", "expected"), [
    ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"),
    ("utf-16", "utf-16"),
])
def test_text_encodings(tmp_path, encoding, expected):
    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.encode(encoding))
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.encoding == expected
    assert "认真贯彻落实《中华人民共和国政府信息公开条例》" in doc.text
    heads = [(doc.text[b.start:b.end], b.level) for b in doc.blocks if b.kind == BlockKind.heading]
    assert heads[:2] == [("一、总体情况", 1), ("（一）主动公开", 2)]
    assert doc.doc_type == DocType.annual_report and doc.year == 2023
    assert doc.issuer == "固安县人民政府"
    assert doc.date_of("signing").value.isoformat() == "2024-01-31"


def test_big5_text(tmp_path):
    text = "關於政府資訊公開申請的答覆\n申請人：張三\n本機關於2023年9月28日收到您的申請。\n"
    path = tmp_path / "b5.txt"
    path.write_bytes(text.encode("big5"))
    doc = parse_file(path)
    assert doc.encoding == "big5"
    assert "本機關於2023年9月28日收到您的申請。" in doc.text


def test_undecodable_text(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x00, 0x9F]) * 300)
    with pytest.raises(ParseError, match=r"编码|文本"):
        parse_file(path)


def test_page_number_lines():
    from ingestion.parsers.paragraphs import drop_page_numbers

    page = ["3", "一、总体情况", "本年新收政府信息公开申请数量", "6", "结转下年度继续办理", "0", "- 3 -"]
    # "6" and "0" inside the page are values of an unruled table; "3" on top and "- 3 -" are page numbers
    assert drop_page_numbers(page) == page[1:6]
    assert drop_page_numbers(["正文", "第 2 页 共 9 页", "12/30", "7"]) == ["正文"]


def test_numbered_table_rows_are_not_headings():
    from ingestion.numbering import heading_level

    assert heading_level("（一）予以公开") == 2
    assert heading_level("（一）予以公开  3  1  0  0  0  0  4") is None
    assert heading_level("1.属于国家秘密\t0\t0") is None
    assert heading_level("三、收到和处理政府信息公开申请情况") == 1
