"""The evidence viewer: a quoted passage boxed on the rendered PDF page, or marked in the text."""

from __future__ import annotations

from PIL import Image

from ingestion.parse import parse_file
from review.viewer import RENDER_SCALE, render_pdf_passage, text_passage_html
from tests.ingestion.makefiles import PAGE, H, make_pdf

QUOTE = "全年主动公开政府信息1520条"


def _red_rows(image: Image.Image) -> list[int]:
    """Rows holding the viewer's red box outline (pure-ish red, absent from black text on white)."""
    px = image.convert("RGB").load()
    w, h = image.size
    return [y for y in range(h) if sum(1 for x in range(0, w, 2) if px[x, y][0] > 200 and px[x, y][1] < 60) > 20]


def test_pdf_passage_is_boxed_on_its_page(tmp_path):
    pdf = make_pdf(tmp_path / "年报.pdf", [H("固安县人民政府2023年政府信息公开工作年度报告"), "一、总体情况",
                                           PAGE, H("二、主动公开政府信息情况"), "此处为填充文字。" * 8,
                                           f"2023年，固安县人民政府{QUOTE}，其中政策文件18件。"])
    doc = parse_file(pdf)
    start = doc.text.index(QUOTE)
    page = doc.page_of(start)
    assert page == 2
    image = render_pdf_passage(pdf, page, doc.text[start:start + len(QUOTE)])
    rows = _red_rows(image)
    assert rows, "no box drawn"
    # the box sits below the heading and filler text, not at the top of the page
    assert min(rows) > 60 * RENDER_SCALE
    assert not _red_rows(render_pdf_passage(pdf, 1, QUOTE))  # not on page 1


def test_text_view_marks_the_span(tmp_path):
    src = tmp_path / "说明.txt"
    src.write_text("一、总体情况\n" + "填充" * 300 + f"\n本年度{QUOTE}。\n", encoding="utf-8")
    doc = parse_file(src)
    start = doc.text.index(QUOTE)
    html = text_passage_html(doc, start, start + len(QUOTE))
    assert f"<mark id='zw-hit'>{QUOTE}</mark>" in html
    assert html.index("<mark") < 1000  # little context before the mark: it shows without scrolling


def test_docx_text_view_names_the_recorded_page(tmp_path):
    """A DOCX citation is shown as text (never a rendered page), headed with the page Word recorded."""
    from tests.ingestion.makefiles import RENDERED, make_docx

    path = make_docx(tmp_path / "年报.docx", ["一、总体情况", ("runs", "2023年，", RENDERED, f"本县{QUOTE}。")])
    doc = parse_file(path)
    start = doc.text.index(QUOTE)
    assert doc.file_type == "docx" and doc.page_of(start) == 2  # app.py renders page images for file_type pdf only
    html = text_passage_html(doc, start, start + len(QUOTE))
    assert "第 2 页" in html and f"<mark id='zw-hit'>{QUOTE}</mark>" in html
