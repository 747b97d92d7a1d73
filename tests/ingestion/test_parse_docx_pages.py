"""DOCX page numbers: from the layout Word/WPS recorded (w:lastRenderedPageBreak), else from explicit
breaks when docProps/app.xml confirms they account for every page, else none."""

from pathlib import Path

import docx
import pytest

from assistant.citations import verify_citation
from core.document import BlockKind, PageSource
from core.findings import cite
from ingestion.builder import CellSpec, TextBuilder
from ingestion.chunking import chunk_document
from ingestion.parse import parse_file
from tests.docbuilder import cite_quote
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import (
    HARD,
    PAGE,
    RENDERED,
    H,
    T,
    add_hyperlink,
    add_runs,
    make_docx,
    set_docx_app_stats,
)


def _pages(doc) -> list[tuple[str, int | None]]:
    return [(doc.text[b.start:b.end].split("\n")[0], b.page) for b in doc.blocks]


def _non_space(doc) -> int:
    return sum(not ch.isspace() for ch in doc.text)


@pytest.fixture()
def laid_out_docx(tmp_path) -> Path:
    """A report as Word saves it: a rendered page break wherever its layout began a page."""
    path = make_docx(tmp_path / "report.docx", [
        H("大城县2023年政府信息公开工作年度报告"),
        "一、总体情况",
        # the page ends inside this paragraph
        ("runs", "2023年，本县认真贯彻落实《条例》，", RENDERED, "全年主动公开政府信息1234条。"),
        ("link", "详见", "县政府网站", "https://www.dacheng.gov.cn/zwgk/1.html", "。"),
        # an explicit page break: Word records the page it begins too (one page, not two)
        ("runs", "第二页最后一段。", HARD),
        ("runs", RENDERED, "二、主动公开政府信息情况"),
        # the second row begins page 4 (Word marks the row's cells)
        T([["信息内容", "本年制发件数"], [(RENDERED, "规章"), (RENDERED, "0")], ["规范性文件", "3"]]),
        "三、收到和处理政府信息公开申请情况",
    ])
    d = docx.Document(str(path))
    p = d.add_paragraph()
    add_runs(p, ["本年度无行政复议案件，", RENDERED, "相关数据见"])  # a link after a mid-paragraph break
    add_hyperlink(p, "统计表", "https://www.dacheng.gov.cn/tj.html")
    d.save(str(path))
    return path


def test_rendered_page_breaks_number_blocks_cells_and_links(laid_out_docx):
    doc = parse_file(laid_out_docx)
    assert_spans_exact(doc)
    assert doc.page_source == PageSource.rendered
    assert doc.pages == 5
    assert _pages(doc) == [
        ("大城县2023年政府信息公开工作年度报告", 1),
        ("一、总体情况", 1),
        ("2023年，本县认真贯彻落实《条例》，全年主动公开政府信息1234条。", 1),  # keeps the page it starts on
        ("详见县政府网站。", 2),
        ("第二页最后一段。", 2),
        ("二、主动公开政府信息情况", 3),  # the hard break and Word's marker after it: one page
        ("信息内容\t本年制发件数", 3),
        ("三、收到和处理政府信息公开申请情况", 4),
        ("本年度无行政复议案件，相关数据见统计表", 4),
    ]
    table = doc.tables()[0]
    assert [(c.text, c.page) for c in table.cells] == [
        ("信息内容", 3), ("本年制发件数", 3), ("规章", 4), ("0", 4), ("规范性文件", 4), ("3", 4)]
    # each page starts exactly where its first text is, mid-paragraph breaks included
    starts = [doc.text[s:s + 6] for s in doc.page_starts]
    assert starts == ["大城县202", "全年主动公开", "二、主动公开", "规章\t0\n规", "相关数据见统"]
    assert [(link.text, link.page) for link in doc.links] == [("县政府网站", 2), ("统计表", 5)]


def test_rendered_pages_reach_chunks_and_citations(laid_out_docx):
    doc = parse_file(laid_out_docx)
    tail = cite_quote(doc, "全年主动公开政府信息1234条")
    assert tail.page == 2  # the tail of a paragraph that began on page 1
    assert cite_quote(doc, "2023年，本县认真贯彻落实").page == 1
    assert verify_citation(tail, doc).page == 2 and verify_citation(tail, doc).start == tail.start
    cell = doc.tables()[0].cell_at(2, 1)
    assert cite(doc, cell.start, cell.end).page == cell.page == 4
    chunks = chunk_document(doc)
    assert [(c.text.split("\n")[0], c.page) for c in chunks] == [
        ("大城县2023年政府信息公开工作年度报告", 1), ("二、主动公开政府信息情况", 3), ("三、收到和处理政府信息公开申请情况", 4)]
    # small chunks: one starting in the tail of the page-1 paragraph is cited on page 2
    small = chunk_document(doc, max_chars=20, min_chars=10, overlap_chars=0)
    assert [(c.kind, c.text.split("\n")[0], c.page) for c in small] == [
        (BlockKind.paragraph, "2023年，本县认真贯彻落实《条例》，", 1),
        (BlockKind.paragraph, "全年主动公开政府信息1234条。", 2),
        (BlockKind.paragraph, "详见县政府网站。", 2),
        (BlockKind.table, "二、主动公开政府信息情况", 3),
        (BlockKind.table, "信息内容 | 本年制发件数", 4),  # rows from 规范性文件 on (page 4), header repeated
        (BlockKind.paragraph, "本年度无行政复议案件，相关数据见统计表", 4),
    ]
    assert all(c.page == doc.page_of(c.start) for c in chunks + small)


def test_table_row_on_a_new_page_marked_in_one_cell_only(tmp_path):
    path = make_docx(tmp_path / "t.docx", [
        "说明文字。",
        T([["项目", "数量"], ["申请", "12"], [(RENDERED, "答复"), "10"], ["", (RENDERED, "")]]),
        "表后正文。",
    ])
    doc = parse_file(path)
    assert_spans_exact(doc)
    cells = [(c.row, c.page) for c in doc.tables()[0].cells]
    # row 2 starts page 2; row 3 has a marker only in an empty cell: it starts page 3
    assert cells == [(0, 1), (0, 1), (1, 1), (1, 1), (2, 2), (2, 2), (3, 3), (3, 3)]
    assert doc.pages == 3 and _pages(doc)[-1] == ("表后正文。", 3)


def test_table_starting_on_a_new_page(tmp_path):
    path = make_docx(tmp_path / "t.docx", ["第一页。", T([[(RENDERED, "项目"), (RENDERED, "数量")], ["申请", "12"]])])
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert _pages(doc) == [("第一页。", 1), ("项目\t数量", 2)]
    assert doc.page_starts == [0, doc.blocks[1].start]


def test_explicit_breaks_ignored_when_the_layout_is_recorded(tmp_path):
    """With rendered markers, pageBreakBefore/section breaks are already in them: not counted again."""
    path = make_docx(tmp_path / "r.docx", [
        "第一页。",
        ("section", "new_page"),
        ("runs", RENDERED, "第二页，新的一节。"),
        ("break_before", "仍在第二页（标记说了算）。"),
    ])
    doc = parse_file(path)
    assert _pages(doc) == [("第一页。", 1), ("第二页，新的一节。", 2), ("仍在第二页（标记说了算）。", 2)]
    assert doc.pages == 2


def test_recorded_page_count_disagreeing_with_the_markers_is_warned(tmp_path):
    path = make_docx(tmp_path / "w.docx", ["第一页。", ("runs", RENDERED, "第二页。")])
    doc = parse_file(path)
    assert doc.pages == 2 and not doc.warnings  # python-docx's template statistics (0 characters): not compared
    set_docx_app_stats(path, 3, _non_space(doc))
    doc = parse_file(path)
    assert doc.pages == 2 and _pages(doc)[-1] == ("第二页。", 2)
    assert any("页数（3）" in w for w in doc.warnings)


EXPLICIT = [
    "第一页内容。",
    PAGE,
    ("break_before", "第二页：分页符后本已在页首，段前分页不再加页。"),
    ("break_before", "第三页：段前分页。"),
    ("section", "new_page"),
    "第四页：新的一节从新页开始。",
    ("section", "continuous"),
    "仍在第四页：连续分节不分页。",
    ("runs", "第四页末句。", HARD, "第五页：段中分页符之后。"),
]


def test_explicit_breaks_used_when_app_xml_confirms_the_page_count(tmp_path):
    path = make_docx(tmp_path / "e.docx", EXPLICIT)
    characters = _non_space(parse_file(path))
    set_docx_app_stats(path, 5, characters)
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.page_source == PageSource.breaks and doc.pages == 5
    assert _pages(doc) == [("第一页内容。", 1), ("第二页：分页符后本已在页首，段前分页不再加页。", 2),
                           ("第三页：段前分页。", 3), ("第四页：新的一节从新页开始。", 4),
                           ("仍在第四页：连续分节不分页。", 4), ("第四页末句。", 4)]
    assert doc.text[doc.page_starts[-1]:].startswith("第五页")
    assert cite_quote(doc, "第五页：段中分页符之后").page == 5


@pytest.mark.parametrize(("pages", "characters", "expect_pages"), [
    (None, None, None),  # python-docx's own app.xml: 1 page, 0 characters (never updated)
    (6, "current", 6),  # the count is current but the breaks do not explain it: layout unknown
    (5, "stale", None),  # statistics of another text (a filled-in template)
])
def test_explicit_breaks_without_confirmation_give_no_page_numbers(tmp_path, pages, characters, expect_pages):
    path = make_docx(tmp_path / "e.docx", EXPLICIT)
    n = _non_space(parse_file(path))
    if pages is not None:
        set_docx_app_stats(path, pages, n if characters == "current" else n * 2)
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.page_source == PageSource.unknown
    assert doc.pages == expect_pages and doc.page_starts == []
    assert all(b.page is None for b in doc.blocks) and all(link.page is None for link in doc.links)
    assert all(c.page is None for c in chunk_document(doc))
    assert cite_quote(doc, "第五页：段中分页符之后").page is None


def test_one_page_letter_without_markers(tmp_path):
    """A one-page 答复书 saved by WPS/Word: no rendered marker (no page ever broke), app.xml says 1 page."""
    content = ["政府信息公开申请答复书", "张三：", "经审查，现答复如下：所申请信息已主动公开。",
               T([["申请事项", "处理结果"], ["1", "已公开"]]), ("link", "详见", "县政府网站", "https://x.gov.cn/1", "。"),
               "香河县人民政府办公室", "2023年10月20日"]
    path = make_docx(tmp_path / "one.docx", content, image=True)
    assert parse_file(path).page_source == PageSource.unknown  # python-docx's statistics: not trusted
    set_docx_app_stats(path, 1, _non_space(parse_file(path)))
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.page_source == PageSource.breaks and doc.pages == 1 and doc.page_starts == [0]
    assert {b.page for b in doc.blocks} == {1}
    assert {c.page for c in doc.tables()[0].cells} == {1}
    assert [link.page for link in doc.links] == [1] and [m.page for m in doc.media] == [1]
    assert {c.page for c in chunk_document(doc)} == {1}


def test_page_break_before_from_the_paragraph_style(tmp_path):
    path = make_docx(tmp_path / "s.docx", ["前言。", H("第一章"), "正文。", H("第二章"), "正文。"])
    d = docx.Document(str(path))
    d.styles["Heading 1"].paragraph_format.page_break_before = True
    d.save(str(path))
    set_docx_app_stats(path, 3, _non_space(parse_file(path)))
    doc = parse_file(path)
    assert doc.page_source == PageSource.breaks
    assert [p for _, p in _pages(doc)] == [1, 2, 2, 3, 3]


def test_builder_row_two_pages_on_records_each_page():
    b = TextBuilder()
    b.new_page(1)
    b.add_block("正文")
    b.add_table([CellSpec(0, 0, "甲", page=1), CellSpec(1, 0, "乙", page=3)])
    assert b.page == 3 and len(b.page_starts) == 3 and b.page_starts[1] == b.page_starts[2]
