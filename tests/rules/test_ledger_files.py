"""Ledgers as real files: XLSX written with openpyxl and CSV in GBK, read by ingestion.parse_file.

Skipped while ingestion.parse is still the UTF-8 placeholder (the parsers work replaces it)."""

import datetime as dt
from pathlib import Path

from indicators.ledgers.columns import Col
from indicators.ledgers.kinds import KINDS, LedgerKind
from indicators.ledgers.reader import read_ledgers
from ingestion.parse import parse_file
from tests.rules.ledger_helpers import (
    assert_citations_exact,
    evidence,
    run,
    total,
    write_csv_gbk,
    write_xlsx,
)


def _parse(path: Path, year: int = 2023):
    doc = parse_file(path)
    doc.year = doc.year or year
    return doc


def test_xlsx_with_merged_title_and_real_dates(tmp_path):
    rows = [["序号", "新媒体名称", "平台", "变更类型", "变更日期", "报备日期"],
            [1, "香河发布", "微信公众号", "更名", dt.datetime(2023, 3, 1), dt.datetime(2023, 3, 5)],
            [2, "香河教育", "微博", "注销", dt.datetime(2023, 9, 28), dt.datetime(2023, 10, 9)]]
    path = write_xlsx(tmp_path / "账号变更报备台账.xlsx", rows, title="香河县2023年政务新媒体账号变更报备台账")
    doc = _parse(path)
    [table] = read_ledgers(doc)
    assert table.kind == LedgerKind.account_changes
    assert table.rows[1].date(Col.filing_date) == dt.date(2023, 10, 9)
    checks = run("ledger.5.2.1.filing", evidence(doc))
    assert total(checks) == 0.1 and checks[0].data["days"] == 11
    assert_citations_exact(checks, doc)
    assert "香河教育" in checks[0].citations[0].quote


def test_csv_in_gbk(tmp_path):
    rows = [["序号", "网站名称", "网站类型", "网站地址"],
            ["1", "香河县人民政府", "门户网站", "http://www.xianghe.gov.cn"],
            ["2", "香河县文化广电和旅游局", "部门网站", "http://www.xhwl.com"]]
    doc = _parse(write_csv_gbk(tmp_path / "网站域名.csv", rows))
    checks = run("ledger.5.1.5.domains", evidence(doc))
    assert [c.deduction for c in checks] == [0.2]
    assert "www.xhwl.com" in checks[0].citations[0].quote
    assert_citations_exact(checks, doc)


def test_xlsx_messages_rate_in_gap(tmp_path):
    rows = [["序号", "留言时间", "回复时间", "是否按期办结", "催办次数"]]
    rows += [[i, dt.datetime(2023, 5, i + 1), dt.datetime(2023, 5, i + 3), "是" if i < 6 else "否", 0]
             for i in range(10)]
    doc = _parse(write_xlsx(tmp_path / "门户网站留言办理台账.xlsx", rows))
    [check] = run("ledger.5.1.4.message_rate", evidence(doc))
    assert check.measure == 0.6 and "ambiguous_rubric" in check.flags


def test_templates_are_recognised(tmp_path):
    from indicators.ledgers.templates import write_all

    paths = write_all(tmp_path)
    assert len(paths) == len(LedgerKind)
    for path in paths:
        doc = parse_file(path)
        kinds = [t.kind for t in read_ledgers(doc)]
        assert len(kinds) == 1 and kinds[0].value in {k.value for k in LedgerKind}, path.name
        assert kinds[0] == next(k for k in LedgerKind if path.stem.endswith(KINDS[k].label)), path.name


def test_xlsx_two_level_merged_header_and_footer(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["香河县2023年网民纠错留言办理台账"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "留言日期", "留言标题", "办理情况", None, "催办次数"])
    ws.merge_cells("D2:E2")
    for col in ("A", "B", "C", "F"):
        ws.merge_cells(f"{col}2:{col}3")
    ws.append([None, None, None, "办结日期", "是否按期", None])
    ws.append([1, dt.datetime(2023, 4, 17), "政策文件栏目附件无法下载", dt.datetime(2023, 4, 25), "否", 1])
    ws.append([2, dt.datetime(2023, 6, 5), "招生信息日期错误", dt.datetime(2023, 6, 7), "是", 2])
    ws.append([])
    ws.append(["填报单位：香河县人民政府办公室"])
    path = tmp_path / "网民纠错留言台账.xlsx"
    wb.save(path)
    doc = _parse(path)
    [table] = read_ledgers(doc)
    assert table.kind == LedgerKind.website_messages and len(table.rows) == 2
    assert table.rows[0].flag(Col.on_time) is False and table.notes == ["填报单位：香河县人民政府办公室"]
    checks = run("ledger.5.1.4.corrections", evidence(doc))
    assert [c.deduction for c in checks] == [0.5, 0.2]
    assert_citations_exact(checks, doc)
