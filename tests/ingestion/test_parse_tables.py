"""The annual report's table 三 (three-row merged header) read the same from PDF, DOCX, HTML and XLSX."""

import pytest

from ingestion.parse import parse_file
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import T, make_docx, make_html, make_pdf, make_xlsx, table_html, xlsx_merges

TOP_LEFT = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ROWS = [
    [TOP_LEFT, "", "", "申请人情况", "", "", "", "", "", ""],
    ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ["一、本年新收政府信息公开申请数量", "", "", "5", "1", "0", "0", "0", "0", "6"],
    ["二、上年结转政府信息公开申请数量", "", "", "0", "0", "0", "0", "0", "0", "0"],
    ["三、本年度办理结果", "（一）予以公开", "", "3", "1", "0", "0", "0", "0", "4"],
    ["", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
    ["", "", "2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"],
]
SPANS = [((0, 0), (2, 2)), ((3, 0), (9, 0)), ((3, 1), (3, 2)), ((4, 1), (8, 1)), ((9, 1), (9, 2)),
         ((0, 3), (2, 3)), ((0, 4), (2, 4)), ((0, 5), (0, 7)), ((1, 5), (2, 5)), ((1, 6), (1, 7))]


def _expected_grid() -> list[list[str]]:
    grid = [list(r) for r in ROWS]
    for (c0, r0), (c1, r1) in SPANS:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[r][c] = ROWS[r0][c0]
    return grid


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "xlsx"])
def test_table_three_same_in_every_format(tmp_path, fmt):
    path = tmp_path / f"t3.{fmt}"
    if fmt == "pdf":
        make_pdf(path, [T(ROWS, spans=SPANS)])
    elif fmt == "docx":
        make_docx(path, [T(ROWS, spans=SPANS)])
    elif fmt == "html":
        make_html(path, "表三", table_html(ROWS, SPANS), nav=False)
    else:
        make_xlsx(path, {"表三": [[c or None for c in r] for r in ROWS]}, {"表三": xlsx_merges(SPANS)})
    doc = parse_file(path)
    assert_spans_exact(doc)
    table = doc.tables()[0]
    assert (table.n_rows, table.n_cols) == (8, 10)
    assert table.grid() == _expected_grid()
    assert table.header_rows == 3
    corner = table.cell_at(2, 2)
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    # every number cites its own span
    six = table.cell_at(3, 9)
    assert doc.text[six.start:six.end] == "6"
