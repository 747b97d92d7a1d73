import io
import zipfile

import pytest

from core.document import BlockKind, DocType, MediaKind
from core.settings import Settings
from ingestion.parse import ParseError, parse_file
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import H, T, make_docx


@pytest.fixture()
def reply_docx(tmp_path):
    return make_docx(tmp_path / "reply.docx", [
        H("政府信息公开申请答复书"),
        "张三：",
        "本机关于2023年9月28日收到您提出的政府信息公开申请。经审查，现答复如下：",
        "一、申请内容",
        "（一）所申请信息已主动公开",
        ("link", "该信息已在", "香河县人民政府网站", "https://www.xianghe.gov.cn/zwgk/1.html", "公开，请自行查阅。"),
        T([["申请事项", "处理结果", ""], ["申请人情况", "自然人", "法人"], ["", "1", "0"]],
          spans=[((1, 0), (2, 0)), ((0, 1), (0, 2))]),
        "特此告知。",
        "香河县人民政府办公室",
        "2023年10月20日",
    ], image=True)


def test_docx_blocks_in_order_with_headings_links_media(reply_docx):
    doc = parse_file(reply_docx)
    assert_spans_exact(doc)
    assert doc.file_type == "docx"
    texts = [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
    assert texts[0] == (BlockKind.heading, "政府信息公开申请答复书")
    kinds = [k for k, _ in texts]
    assert kinds.index(BlockKind.table) > [t for _, t in texts].index("（一）所申请信息已主动公开")
    levels = {doc.text[b.start:b.end]: b.level for b in doc.blocks if b.kind == BlockKind.heading}
    assert levels["一、申请内容"] == 1 and levels["（一）所申请信息已主动公开"] == 2
    assert [(link.text, link.href) for link in doc.links] == [
        ("香河县人民政府网站", "https://www.xianghe.gov.cn/zwgk/1.html")]
    assert [m.kind for m in doc.media] == [MediaKind.image]
    assert doc.doc_type == DocType.request_reply
    assert doc.issuer == "香河县人民政府办公室"
    assert doc.date_of("receipt").value.isoformat() == "2023-09-28"
    assert doc.date_of("signing").value.isoformat() == "2023-10-20"


def test_docx_merged_cells(reply_docx):
    table = parse_file(reply_docx).tables()[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    vertical = table.cell_at(2, 0)
    assert vertical.row == 1 and vertical.rowspan == 2 and vertical.text == "申请人情况"
    horizontal = table.cell_at(0, 2)
    assert horizontal.col == 1 and horizontal.colspan == 2 and horizontal.text == "处理结果"
    assert table.grid() == [["申请事项", "处理结果", "处理结果"], ["申请人情况", "自然人", "法人"],
                            ["申请人情况", "1", "0"]]


def test_docx_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ParseError, match="DOCX"):
        parse_file(path)


def test_docx_broken_zip(tmp_path):
    good = make_docx(tmp_path / "g.docx", ["内容"]).read_bytes()
    path = tmp_path / "broken.docx"
    path.write_bytes(good[:200])
    with pytest.raises(ParseError, match="DOCX"):
        parse_file(path)


def _rewrite(src, dst, extra: dict[str, bytes]):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def test_docx_expanding_beyond_limit(tmp_path):
    src = make_docx(tmp_path / "g.docx", ["内容"])
    bomb = _rewrite(src, tmp_path / "bomb.docx", {"word/media/pad.bin": b"\0" * (3 * 1024 * 1024)})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ParseError, match="解压后过大"):
        parse_file(bomb, settings=Settings(max_unzipped_mb=1))


def test_docx_path_traversal_member(tmp_path):
    src = make_docx(tmp_path / "g.docx", ["内容"])
    evil = _rewrite(src, tmp_path / "evil.docx", {"../../etc/evil.xml": b"<x/>"})
    with pytest.raises(ParseError, match="非法路径"):
        parse_file(evil)


def test_docx_style_heading_levels(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("标题二级", level=2)
    d.add_paragraph("1.第一项")
    d.add_paragraph("（1）细目")
    d.add_paragraph("（一）加强组织领导。各单位要高度重视，确保各项工作落到实处。")
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "h.docx"
    path.write_bytes(buf.getvalue())
    doc = parse_file(path)
    got = [(doc.text[b.start:b.end], b.kind, b.level) for b in doc.blocks]
    assert got == [("标题二级", BlockKind.heading, 2), ("1.第一项", BlockKind.heading, 3),
                   ("（1）细目", BlockKind.heading, 4),
                   ("（一）加强组织领导。各单位要高度重视，确保各项工作落到实处。", BlockKind.paragraph, None)]


def test_docx_text_box_is_read_once(tmp_path):
    from docx.oxml import parse_xml

    path = make_docx(tmp_path / "box.docx", ["正文。"])
    import docx

    d = docx.Document(str(path))
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    box = ("<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>")
    run = parse_xml(
        f"<w:r {ns}><mc:AlternateContent><mc:Choice Requires='wps'><w:pict><v:shape><v:textbox>"
        f"{box.format('香河县人民政府办公室')}</v:textbox></v:shape></w:pict></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box.format('香河县人民政府办公室')}</v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    d.add_paragraph("")._p.append(run)
    d.save(str(path))
    doc = parse_file(path)
    assert doc.text.count("香河县人民政府办公室") == 1
    assert doc.issuer == "香河县人民政府办公室"
    assert doc.media == []  # a text box is not a picture


def test_docx_field_hyperlink_and_tracked_insertion(tmp_path):
    """WPS writes links as HYPERLINK fields; text in w:ins (tracked insertion) is current text."""
    import docx
    from docx.oxml import parse_xml

    path = make_docx(tmp_path / "f.docx", ["占位"])
    d = docx.Document(str(path))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = d.add_paragraph("详见")._p
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {ns}><w:instrText xml:space="preserve"> HYPERLINK "http://www.wenan.gov.cn/zcjd/1.html" </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r {ns}><w:t>解读原文</w:t></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:ins {ns} w:id="1" w:author="a"><w:r><w:t>（已更新）</w:t></w:r></w:ins>',
        '<w:del {ns} w:id="2" w:author="a"><w:r><w:delText>删除的字</w:delText></w:r></w:del>',
    ):
        p.append(parse_xml(xml.format(ns=ns)))
    d.save(str(path))
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert "详见解读原文（已更新）" in doc.text
    assert "HYPERLINK" not in doc.text and "删除的字" not in doc.text
    assert [(link.text, link.href) for link in doc.links] == [("解读原文", "http://www.wenan.gov.cn/zcjd/1.html")]


def test_docx_word_list_numbering_is_rendered(tmp_path):
    """Headings numbered by Word lists: "一、" and "（一）" live in numbering.xml, not in the text."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, ilvl: int) -> None:
        p = d.add_paragraph(text)._p
        p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {ns}><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("总体情况", 0)
    numbered("主动公开", 1)
    numbered("依申请公开", 1)
    numbered("主动公开政府信息情况", 0)
    numbered("规章", 1)
    path = tmp_path / "n.docx"
    d.save(str(path))
    doc = parse_file(path)
    assert_spans_exact(doc)
    got = [(doc.text[b.start:b.end], b.level) for b in doc.blocks]
    assert got == [("一、总体情况", 1), ("（一）主动公开", 2), ("（二）依申请公开", 2),
                   ("二、主动公开政府信息情况", 1), ("（一）规章", 2)]


def test_chinese_counting():
    from ingestion.parsers.docx_numbering import chinese_counting

    assert [chinese_counting(n) for n in (1, 10, 12, 20, 21, 100, 105, 110, 115)] == [
        "一", "十", "十二", "二十", "二十一", "一百", "一百零五", "一百一十", "一百一十五"]


def test_stale_core_title_is_not_trusted(tmp_path):
    import docx

    path = make_docx(tmp_path / "t.docx", ["文安县人民政府关于推进政务公开标准化的实施意见", "各乡镇人民政府：", "正文。"])
    d = docx.Document(str(path))
    d.core_properties.title = "Normal 模板（去年的文档）"
    d.save(str(path))
    assert parse_file(path).title == "文安县人民政府关于推进政务公开标准化的实施意见"
