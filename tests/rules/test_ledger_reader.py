import datetime as dt

import pytest

from indicators.ledgers.columns import COLUMNS, Col, match_columns
from indicators.ledgers.kinds import KINDS, LedgerKind, detect_kind, kind_columns
from indicators.ledgers.reader import read_ledgers
from indicators.ledgers.values import parse_count, parse_date, parse_flag
from tests.rules.ledger_helpers import ledger_doc


@pytest.mark.parametrize("text,expected", [
    ("2023-01-31", dt.date(2023, 1, 31)), ("2023/1/31", dt.date(2023, 1, 31)), ("2023.1.31", dt.date(2023, 1, 31)),
    ("2023年1月31日", dt.date(2023, 1, 31)), ("2023-01-31 08:30:00", dt.date(2023, 1, 31)),
    ("20230131", dt.date(2023, 1, 31)), ("44957", dt.date(2023, 1, 31)), ("２０２３－０１－３１", dt.date(2023, 1, 31)),
    ("", None), ("未报备", None), ("2023-02-30", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_month_day_needs_year():
    assert parse_date("3月5日") is None
    assert parse_date("3月5日", 2023) == dt.date(2023, 3, 5)


@pytest.mark.parametrize("text,expected", [("2", 2), ("2次", 2), ("两次", 2), ("催办3次", 3), ("无", 0), ("", 0),
                                           ("不详", None)])
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text,expected", [("是", True), ("已报备", True), ("按期", True), ("√", True),
                                           ("已完成", True), ("否", False), ("未报备", False), ("逾期", False),
                                           ("未完成", False), ("不按期", False), ("×", False), ("", None),
                                           ("见备注", None)])
def test_parse_flag(text, expected):
    assert parse_flag(text) is expected


def test_specific_header_beats_generic():
    # "报备日期" contains "日期" but must go to the filing date, "变更时间" to the change date
    cols = match_columns(["序号", "账号", "变更时间", "报备日期（年月日）"],
                         list(KINDS[LedgerKind.account_changes].columns))
    assert cols[Col.account] == 1 and cols[Col.change_date] == 2 and cols[Col.filing_date] == 3


@pytest.mark.parametrize("headers,context,kind", [
    (["序号", "通报日期", "通报类型", "通报单位", "问题描述"], "", LedgerKind.website_notices),
    (["序号", "发布时间", "信息标题", "是否有误"], "信息报送台账", LedgerKind.portal_submissions),
    (["序号", "留言时间", "回复日期", "按期办结", "催办次数"], "", LedgerKind.website_messages),
    (["序号", "网站名称", "网站地址", "主办单位"], "", LedgerKind.website_domains),
    (["序号", "网站名称", "改造完成时间", "完成情况"], "适老化改造台账", LedgerKind.website_aging),
    (["序号", "新媒体名称", "平台", "变更类型", "变更日期", "报备日期"], "", LedgerKind.account_changes),
    (["序号", "账号名称", "平台", "最近更新时间", "检查日期"], "", LedgerKind.account_updates),
    (["序号", "账号名称", "发布日期", "错误类型", "错误内容"], "", LedgerKind.expression_errors),
    (["序号", "账号名称", "问题描述", "通知日期", "整改完成日期"], "", LedgerKind.rectification),
])
def test_detect_kind_from_header_variants(headers, context, kind):
    match = detect_kind(headers, context)
    assert match is not None and match.kind == kind


def test_aging_needs_its_keyword():
    assert detect_kind(["网站名称", "完成日期"], "") is None or \
        detect_kind(["网站名称", "完成日期"], "").kind != LedgerKind.website_aging
    assert detect_kind(["网站名称", "完成日期"], "网站适老化改造完成情况").kind == LedgerKind.website_aging


def test_every_kind_detects_its_own_template():
    for kind, spec in KINDS.items():
        match = detect_kind(kind_columns(kind), spec.label)
        assert match is not None and match.kind == kind, kind
    assert all(COLUMNS[c].label for spec in KINDS.values() for c in spec.columns)


def test_rows_typed_with_exact_spans_title_row_and_total_row_skipped():
    rows = [
        ["2023年度政务新媒体账号变更报备台账", "", "", "", ""],
        ["序号", "账号名称", "变更类型", "变更日期", "报备日期"],
        ["1", "香河发布", "更名", "2023-03-01", "2023年3月6日"],
        ["", "", "", "", ""],
        ["2", "香河教育", "注销", "2023/5/10", ""],
        ["合计", "2", "", "", ""],
    ]
    doc = ledger_doc("台账.xlsx", rows, header_rows=1)
    [table] = read_ledgers(doc)
    assert table.kind == LedgerKind.account_changes and table.header_row == 1
    assert "报备台账" in table.context
    assert [r.text(Col.account) for r in table.rows] == ["香河发布", "香河教育"]
    first = table.rows[0]
    assert first.date(Col.filing_date) == dt.date(2023, 3, 6)
    cit = table.cite_row(first)
    assert cit.quote == doc.text[cit.start:cit.end] and cit.quote.startswith("1") and cit.quote.endswith("3月6日")
    assert table.rows[1].date(Col.filing_date) is None


def test_two_level_merged_header():
    rows = [
        ["序号", "留言时间", "办理情况", "办理情况", "催办次数"],
        ["", "", "办结日期", "是否按期", ""],
        ["1", "2023-02-01", "2023-02-03", "是", "0"],
    ]
    doc = ledger_doc("网站留言办理台账.xlsx", rows, header_rows=2)
    [table] = read_ledgers(doc)
    assert table.kind == LedgerKind.website_messages
    assert table.rows[0].flag(Col.on_time) is True
    assert table.rows[0].date(Col.done_date) == dt.date(2023, 2, 3)


def test_unrelated_table_is_not_a_ledger():
    doc = ledger_doc("名单.xlsx", [["姓名", "性别", "年龄"], ["张三", "男", "30"]])
    assert read_ledgers(doc) == []


def test_templates_headers_read_back_in_memory():
    from indicators.ledgers.columns import COLUMNS

    for kind, spec in KINDS.items():
        title = f"××县{spec.label}"
        headers = ["序号", *(COLUMNS[c].label for c in spec.columns)]
        doc = ledger_doc(f"{spec.indicator}.xlsx", [[title] + [""] * (len(headers) - 1), headers], header_rows=2)
        [table] = read_ledgers(doc)
        assert table.kind == kind and table.header_row == 1 and table.rows == []


def test_instruction_sheet_is_not_a_ledger():
    from tests.docbuilder import DocBuilder

    doc = (DocBuilder("台账.xlsx", doc_type=ledger_doc("x", [["a"]]).doc_type).heading("填表说明")
           .table([["列名", "填写内容"], ["变更日期", "日期"], ["报备日期", "日期"], ["账号名称", "文字"]])
           .heading("台账").table([["账号名称", "变更日期", "报备日期"], ["香河发布", "2023-01-01", "2023-01-02"]])
           .build())
    [table] = read_ledgers(doc)
    assert table.kind == LedgerKind.account_changes and len(table.rows) == 1


def test_generic_headers_alone_do_not_make_a_ledger():
    assert detect_kind(["序号", "类型", "日期"], "") is None
    # inside a report, a table must fit a kind clearly to be read as a ledger
    from core.document import DocType
    from indicators.ledgers.reader import ledgers_of
    from tests.rules.ledger_helpers import evidence
    weak = ledger_doc("工作总结.docx", [["账号名称", "类型"], ["香河发布", "错别字"]], doc_type=DocType.other)
    assert ledgers_of(evidence(weak), LedgerKind.expression_errors) == []
    strong = ledger_doc("工作总结.docx", [["账号名称", "错误类型", "错误内容"], ["香河发布", "错别字", "的地得"]],
                        doc_type=DocType.other)
    assert [t.kind for t in ledgers_of(evidence(strong), LedgerKind.expression_errors)] == [
        LedgerKind.expression_errors]


def test_docs_column_tables_are_current():
    from pathlib import Path

    from indicators.ledgers.templates import DOC_END, DOC_START, columns_markdown

    text = (Path(__file__).parents[2] / "docs" / "ledgers.md").read_text(encoding="utf-8")
    section = text.split(DOC_START, 1)[1].split(DOC_END, 1)[0]
    assert section.strip() == columns_markdown().strip(), "run: python -m indicators.ledgers.templates --docs docs/ledgers.md"


def test_footer_lines_are_notes_not_rows():
    rows = [["序号", "留言渠道", "留言日期", "办结日期", "是否按期办结"],
            ["1", "我为政府网站找错", "2023-02-08", "2023-02-09", "是"],
            ["", "", "", "", ""],
            ["填报单位：大城县人民政府办公室", "", "", "", ""],
            ["说明：办理时限按转办单载明的时限填写。", "", "", "", ""]]
    [table] = read_ledgers(ledger_doc("留言台账.xlsx", rows))
    assert len(table.rows) == 1 and table.notes[0].startswith("填报单位")


def test_generic_variant_only_matches_exactly():
    cols = match_columns(["账号名称", "开设日期", "最近一次更新日期"], list(KINDS[LedgerKind.account_updates].columns))
    assert Col.publish_date not in cols and cols[Col.last_update] == 2
