import time

import pytest

from core.document import BlockKind, DateKind, DocType, MediaKind
from core.settings import Settings
from ingestion.parse import ParseError, parse_file
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import PAGE, H, T, make_pdf, make_scanned_pdf

BODY = ("2023年，香河县人民政府办公室深入贯彻落实《中华人民共和国政府信息公开条例》，"
        "围绕县委县政府中心工作，持续推进政务公开标准化规范化建设，主动公开各类政府信息一千余条。")
ROWS = [["项目", "预算数", "决算数", "执行率"]] + [[f"因公出国（境）费{i}", "12.50", "10.20", "81.6%"]
                                                    for i in range(45)]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    make_pdf(path, [
        H("香河县人民政府2023年政府信息公开工作年度报告"),
        H("一、总体情况"), BODY, BODY,
        H("（一）主动公开"), BODY,
        T(ROWS),
        "表后说明文字。",
        T([["申请人情况", "", ""], ["自然人", "法人或其他组织", "总计"], ["5", "2", "7"]],
          spans=[((0, 0), (2, 0))]),
        PAGE,
        H("二、主动公开政府信息情况"), BODY,
        H("三、收到和处理政府信息公开申请情况"), "本年新收政府信息公开申请数量7件。",
        "香河县人民政府办公室",
        "2024年1月20日",
    ])
    return path


def test_table_spanning_two_pages_is_joined(report_pdf):
    doc = parse_file(report_pdf)
    assert_spans_exact(doc)
    tables = doc.tables()
    big = tables[0]
    # header once, then all 45 data rows: the header repeated on page 2 was dropped when joining
    assert big.n_rows == 46 and big.n_cols == 4 and big.header_rows == 1
    grid = big.grid()
    assert grid[0] == ["项目", "预算数", "决算数", "执行率"]
    assert [row[0] for row in grid[1:]] == [f"因公出国（境）费{i}" for i in range(45)]
    pages = {c.page for c in big.cells}
    assert pages == {1, 2}
    # the page break falls inside the joined table, at its first row on page 2
    first_p2 = min((c for c in big.cells if c.page == 2), key=lambda c: c.start)
    assert doc.page_starts[1] == first_p2.start


def test_merged_header_cell_and_reading_order(report_pdf):
    doc = parse_file(report_pdf)
    merged = doc.tables()[1]
    top = merged.cell_at(0, 1)
    assert top is not None and top.text == "申请人情况" and top.colspan == 3
    assert merged.grid()[1] == ["自然人", "法人或其他组织", "总计"]
    kinds = [b.kind for b in doc.blocks]
    # text after the first table sits between the two tables, as on the page
    i1, i2 = [i for i, k in enumerate(kinds) if k == BlockKind.table]
    between = [doc.text[b.start:b.end] for b in doc.blocks[i1 + 1:i2]]
    assert between == ["表后说明文字。"]
    assert "- 1 -" not in doc.text  # page-number footers are layout, dropped


def test_headings_paragraphs_and_metadata(report_pdf):
    doc = parse_file(report_pdf)
    heads = {doc.text[b.start:b.end]: b.level for b in doc.blocks if b.kind == BlockKind.heading}
    assert heads["一、总体情况"] == 1 and heads["（一）主动公开"] == 2
    assert doc.doc_type == DocType.annual_report
    assert any("年度报告" in s for s in doc.doc_type_signals)
    assert doc.title == "香河县人民政府2023年政府信息公开工作年度报告"
    assert doc.issuer == "香河县人民政府办公室"
    assert doc.year == 2023
    signing = doc.date_of(DateKind.signing)
    assert signing is not None and signing.value.isoformat() == "2024-01-20" and signing.page == doc.pages
    assert doc.pages >= 2 and doc.ocr_pages == []
    # a paragraph wrapped over several lines is one block
    para = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("2023年，香河县"))
    assert doc.find("持续推进政务公开标准化规范化建设") is not None
    assert para.end - para.start >= len(BODY)


def test_table_with_other_columns_on_next_page_is_marked_continued(tmp_path):
    rows = [["序号", "事项"]] + [[str(i), f"事项{i}"] for i in range(1, 50)]
    path = make_pdf(tmp_path / "c.pdf", [T(rows, repeat_rows=0)])
    doc = parse_file(path)
    assert len(doc.tables()) == 1  # same columns: joined
    assert doc.tables()[0].n_rows == 50
    path2 = make_pdf(tmp_path / "d.pdf", ["正文。" * 10, T(rows[:40], repeat_rows=0), PAGE,
                                          T([["a", "b", "c"], ["1", "2", "3"]])])
    doc2 = parse_file(path2)
    assert_spans_exact(doc2)
    assert [t.continued_from_previous for t in doc2.tables()] == [False, True]


def test_plain_pages_use_fast_path_and_are_fast(tmp_path):
    content = []
    for i in range(15):
        content += [H(f"{'一二三四五六七八九'[i % 9]}、第{i + 1}部分"), BODY, BODY]
        if i % 5 == 0:
            content.append(T(ROWS[:6]))
        content.append(PAGE)
    path = make_pdf(tmp_path / "15.pdf", content[:-1], font="wqy")
    t0 = time.perf_counter()
    doc = parse_file(path)
    elapsed = time.perf_counter() - t0
    assert doc.pages == 15 and len(doc.tables()) == 3
    assert_spans_exact(doc)
    assert elapsed < 5  # ~0.3 s measured; generous for a loaded 2-core machine


def test_encrypted_pdf(tmp_path):
    path = make_pdf(tmp_path / "enc.pdf", ["保密内容"], encrypt_password="secret")
    with pytest.raises(ParseError, match="PDF 已加密"):
        parse_file(path)


def test_truncated_pdf(tmp_path):
    good = make_pdf(tmp_path / "g.pdf", [BODY] * 20).read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(good[: len(good) // 3])
    with pytest.raises(ParseError, match="PDF"):
        parse_file(bad)


def test_too_many_pages(tmp_path):
    path = make_pdf(tmp_path / "p.pdf", ["第一页", PAGE, "第二页", PAGE, "第三页"])
    with pytest.raises(ParseError, match="页数过多"):
        parse_file(path, settings=Settings(max_pages=2))


@pytest.mark.slow
def test_scanned_page_is_ocred(tmp_path):
    lines = ["香河县人民政府办公室", "关于政府信息公开申请的答复", "香政办函〔2023〕12号", "本机关于2023年9月28日收到您的申请。"]
    path = make_scanned_pdf(tmp_path / "scan.pdf", lines, text_pages_before=["第一页是文字层"])
    doc = parse_file(path)
    assert doc.ocr_pages == [2]
    assert doc.pages == 2
    assert_spans_exact(doc)
    assert doc.find("关于政府信息公开申请的答复") is not None
    assert "香政办函〔2023〕12号" in doc.text
    assert doc.page_of(doc.find("收到您的申请").start) == 2
    receipt = doc.date_of(DateKind.receipt)
    assert receipt is not None and receipt.value.isoformat() == "2023-09-28"


def test_scanned_page_without_ocr_warns(tmp_path):
    path = make_scanned_pdf(tmp_path / "scan.pdf", ["扫描页"])
    doc = parse_file(path, settings=Settings(ocr=False))
    assert doc.ocr_pages == [] and any("OCR 已关闭" in w for w in doc.warnings)


def test_pictures_on_text_pages_are_media(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from tests.ingestion.makefiles import _font, render_text_image

    path = tmp_path / "tujie.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(_font("STSong-Light"), 12)
    c.drawString(60, 760, "一图读懂《香河县政务公开工作要点》")
    picture = ImageReader(render_text_image(["图解内容"], width=400, size=30))
    c.drawImage(picture, 60, 400, width=300, height=80)
    c.drawImage(picture, 60, 300, width=16, height=16)  # an icon
    c.showPage()
    c.save()
    doc = parse_file(path)
    assert doc.ocr_pages == []
    assert [(m.kind, m.page) for m in doc.media] == [(MediaKind.image, 1)]


def test_garbled_text_layer_detection():
    # a font without a Unicode map yields private-use or replacement characters: OCR instead
    from ingestion.parsers.pdf import _unreadable

    garbled = "".join(chr(0xE000 + i) for i in range(30)) + "第1页"
    assert _unreadable(garbled, len(garbled))
    assert not _unreadable(BODY, len(BODY))
    assert not _unreadable("\ufffd", 1)  # too little to judge


def test_page_frame_is_not_a_table(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.ingestion.makefiles import _font

    path = tmp_path / "frame.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(30, 30, A4[0] - 60, A4[1] - 60)  # a border around the page
    for x in (40, 45, 50):  # and a few decorative strokes, so the page takes the layout path
        c.line(x, 40, x + 100, 40)
    c.setFont(_font("STSong-Light"), 12)
    c.drawString(60, 760, "一、总体情况")
    c.drawString(60, 740, "本年度主动公开政府信息1200条。")
    c.showPage()
    c.save()
    doc = parse_file(path)
    assert doc.tables() == []
    assert [doc.text[b.start:b.end] for b in doc.blocks] == ["一、总体情况", "本年度主动公开政府信息1200条。"]


def test_title_from_largest_text_skips_red_header(tmp_path):
    path = make_pdf(tmp_path / "t.pdf", [
        H("香河县人民政府办公室文件"), "香政办〔2023〕3号",
        H("香河县2023年度政务公开工作要点落实情况"),  # no document-kind word: found by its size
        H("一、总体情况"), BODY, BODY,
    ])
    assert parse_file(path).title == "香河县2023年度政务公开工作要点落实情况"


@pytest.mark.parametrize("font", ["STSong-Light", "wqy"])
def test_fast_ruled_path_matches_pdfplumber(tmp_path, font):
    """Tables from pdfium's paths + pdfplumber's cell algorithm equal pdfplumber's full (pdfminer) path."""
    import pdfplumber
    import pypdfium2 as pdfium

    from ingestion.parsers.pdf_layout import TableItem, layout_page, ruled_layout
    from tests.ingestion.test_parse_tables import ROWS as T3
    from tests.ingestion.test_parse_tables import SPANS as T3_SPANS

    path = make_pdf(tmp_path / "r.pdf", [H("一、总体情况"), BODY, T(T3, spans=T3_SPANS), "表后文字。", T(ROWS)],
                    font=font)

    def summary(content):
        out = []
        for _top, item in content.items:
            if isinstance(item, TableItem):
                out.append(sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in item.cells))
            else:
                out.append("".join("".join(item).split()))
        return out

    doc = pdfium.PdfDocument(str(path))
    with pdfplumber.open(str(path)) as plumber:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            fast = ruled_layout(page, textpage, textpage.get_text_range(), i + 1)
            assert fast is not None
            assert summary(fast) == summary(layout_page(plumber.pages[i], i + 1))
    doc.close()


@pytest.mark.slow
def test_scanned_table_becomes_a_table(tmp_path):
    from tests.ingestion.makefiles import render_table_image

    rows = [["项目", "自然人", "总计"], ["本年新收", "5", "6"], ["上年结转", "0", "1"]]
    image = render_table_image("三、收到和处理政府信息公开申请情况", rows)
    doc = parse_file(make_scanned_pdf(tmp_path / "scan.pdf", [], image=image))
    assert_spans_exact(doc)
    assert doc.ocr_pages == [1]
    assert [t.grid() for t in doc.tables()] == [rows]
    heading = doc.blocks[0]
    assert doc.text[heading.start:heading.end] == "三、收到和处理政府信息公开申请情况" and heading.level == 1


def test_landscape_page_stored_rotated(tmp_path):
    from tests.ingestion.makefiles import make_rotated_landscape_pdf

    rows = [["项目", "自然人", "法人", "总计"], ["本年新收", "5", "1", "6"], ["上年结转", "0", "1", "1"]]
    doc = parse_file(make_rotated_landscape_pdf(tmp_path / "land.pdf", rows, "附表：依申请公开情况"))
    assert_spans_exact(doc)
    assert [t.grid() for t in doc.tables()] == [rows]  # rows stay rows, as displayed
    assert doc.text.startswith("附表：依申请公开情况")
