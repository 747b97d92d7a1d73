from core.document import DocType
from ingestion.parse import parse_file
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import make_csv, make_xlsx

LEDGER = [
    ["2023年依申请公开办理台账", None, None, None, None],
    ["序号", "申请人情况", None, "收到日期", "答复日期"],
    [None, "姓名", "类型", None, None],
    [1, "张三", "自然人", "2023-09-28", "2023-10-20"],
    [2, "某公司", "商业企业", "2023-11-02", "2023-11-24"],
]
MERGES = {"台账": ["A1:E1", "B2:C2", "A2:A3", "D2:D3", "E2:E3"]}


def test_xlsx_ledger_with_merged_header(tmp_path):
    path = make_xlsx(tmp_path / "ledger.xlsx", {"台账": LEDGER}, MERGES, trailing_empty_rows=3000)
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.file_type == "xlsx" and doc.doc_type == DocType.ledger
    assert doc.pages == 1
    table = doc.tables()[0]
    assert table.n_rows == 5 and table.n_cols == 5  # the 3000 formatted empty rows are gone
    assert table.header_rows == 3  # title row + two-level header
    grid = table.grid()
    assert grid[1] == ["序号", "申请人情况", "申请人情况", "收到日期", "答复日期"]
    assert grid[2] == ["序号", "姓名", "类型", "收到日期", "答复日期"]
    assert grid[3] == ["1", "张三", "自然人", "2023-09-28", "2023-10-20"]
    assert table.cell_at(1, 2).colspan == 2
    assert doc.title == "2023年依申请公开办理台账"
    assert doc.year == 2023 or doc.year is None


def test_xlsx_formula_without_cached_value_is_reported(tmp_path):
    path = make_xlsx(tmp_path / "f.xlsx", {"统计": [["项目", "数量"], ["新收", 3], ["结转", 2],
                                                    ["合计", "=SUM(B2:B3)"]]})
    doc = parse_file(path)
    table = doc.tables()[0]
    assert table.header_rows == 1
    assert table.grid()[3] == ["合计", ""]
    assert any("B4" in w and "缓存" in w for w in doc.warnings)


def test_csv_in_gbk(tmp_path):
    rows = [["账号名称", "平台", "开设日期", "备案情况"], ["大城发布", "微信公众号", "2021-03-01", "已备案"],
            ["大城政务", "微博", "2020-05-12", "未备案"]]
    path = make_csv(tmp_path / "accounts.csv", rows, encoding="gbk")
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.file_type == "csv" and doc.encoding == "gb18030" and doc.doc_type == DocType.ledger
    table = doc.tables()[0]
    assert table.header_rows == 1 and table.grid() == rows


def test_xlsx_starting_at_b2_with_wrong_dimension(tmp_path):
    """Ledgers often start at B2, and writers store wrong <dimension>s: merges must stay aligned."""
    import re
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "账号"
    ws["B2"] = "政务新媒体账号台账"
    ws.merge_cells("B2:D2")
    for r, row in enumerate([["名称", "平台", "开设日期"], ["香河发布", "微信", "2021-03-01"],
                             ["香河政务", "微博", "2020-05-12"]], start=3):
        for c, v in enumerate(row, start=2):
            ws.cell(row=r, column=c, value=v)
    src = tmp_path / "src.xlsx"
    wb.save(src)
    path = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="B2:B2"/>', data)
            zout.writestr(item, data)
    doc = parse_file(path)
    assert_spans_exact(doc)
    table = doc.tables()[0]
    assert table.grid() == [["政务新媒体账号台账"] * 3, ["名称", "平台", "开设日期"],
                            ["香河发布", "微信", "2021-03-01"], ["香河政务", "微博", "2020-05-12"]]
    assert table.header_rows == 2 and doc.title == "政务新媒体账号台账"
