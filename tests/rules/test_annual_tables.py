"""Parsing tables 二/三/四 from Table blocks and from plain-text layouts; the Shanghai 2019 vector."""

from __future__ import annotations

from core.document import DocType
from core.findings import Flag
from indicators.annual_report import analyse, digits
from indicators.annual_report.identities import table3_identities, table4_identities
from indicators.annual_report.labels import LabelMatcher, label_key
from indicators.annual_report.tables import (
    T3_COLUMNS,
    T3_ROW_MATCHER,
    CellStatus,
    parse_table2,
    parse_table3,
    parse_table4,
)
from indicators.rules.base import Evidence, Outcome, load_all_rules
from tests.docbuilder import DocBuilder
from tests.rules.annual_builders import COLS, NOTE, build_report, t3_values

COL_KEYS = list(T3_COLUMNS)

# 2019年上海市人民政府办公厅政府信息公开工作年度报告, table 三 as printed (domain-rules.md 1.6, S13):
# "" is a cell the report left blank (&nbsp;); (六)其他处理 is the trial format's single row.
SHANGHAI_2019 = [
    (["一、本年新收政府信息公开申请数量"] * 3, ["821", "35", "", "", "2", "1", "859"]),
    (["二、上年结转政府信息公开申请数量"] * 3, ["18", "", "", "", "", "", "18"]),
    (["三、本年度办理结果", "（一）予以公开", "（一）予以公开"], ["258", "12", "", "", "1", "1", ""]),
    (["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
      "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], ["3", "", "", "", "", "", ""]),
    (["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"], ["14", "", "", "", "", "", ""]),
    (["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"], [""] * 7),
    (["三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"], [""] * 7),
    (["三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"], [""] * 7),
    (["三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"], ["5", "", "", "", "", "", ""]),
    (["三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"], ["3", "1", "", "", "", "", ""]),
    (["三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"], [""] * 7),
    (["三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"], ["10", "2", "", "", "", "", ""]),
    (["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"], ["252", "12", "", "", "1", "", ""]),
    (["三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"], ["44", "3", "", "", "", "", ""]),
    (["三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"], ["25", "", "", "", "", "", ""]),
    (["三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"], ["148", "1", "", "", "", "", ""]),
    (["三、本年度办理结果", "（五）不予处理", "2.重复申请"], ["5", "4", "", "", "", "", ""]),
    (["三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"], [""] * 7),
    (["三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"], [""] * 7),
    (["三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"], [""] * 7),
    (["三、本年度办理结果", "（六）其他处理", "（六）其他处理"], [""] * 7),
    (["三、本年度办理结果", "（七）总计", "（七）总计"], ["767", "35", "", "", "2", "1", "805"]),
    (["四、结转下年度继续办理"] * 3, ["72", "", "", "", "", "", "72"]),
]


def shanghai_doc():
    header = [[NOTE] * 3 + ["申请人情况"] * 7, [NOTE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
              [NOTE] * 3 + COLS]
    b = DocBuilder("shanghai-2019.html", DocType.annual_report, year=2019)
    b.heading("三、收到和处理政府信息公开申请情况")
    b.table(header + [labels + vals for labels, vals in SHANGHAI_2019], header_rows=3)
    return b.build()


def _result(results, identity, scope):
    return next(r for r in results if r.identity == identity and r.scope == scope)


def test_shanghai_vector_passes_and_reports_blanks():
    t3 = parse_table3(shanghai_doc())
    assert t3 is not None and t3.trial_single_other_row
    assert t3.get("1", "natural").value == 821 and t3.get("3.7", "total").value == 805
    assert t3.get("3.1", "total").status is CellStatus.blank and t3.get("3.1", "total").value is None
    results = table3_identities(t3)
    a = _result(results, "T3-A", "表三“自然人”列")
    assert a.outcome == "pass" and (a.lhs_sum, a.rhs_sum) == (839, 839) and not a.blanks
    b = _result(results, "T3-B", "表三“自然人”列")
    assert b.outcome == "pass" and b.rhs_sum == 767
    assert {c.row for c in b.blanks} >= {"3.3.2", "3.3.3", "3.6"}  # reported, not silently 0
    total = _result(results, "T3-A", "表三“总计”列")
    assert total.outcome == "pass" and (total.lhs_sum, total.rhs_sum) == (877, 877)
    assert _result(results, "T3-C", "表三“一”行").outcome == "pass"
    assert _result(results, "T3-C", "表三“（七）总计”行").outcome == "pass"
    # (一)予以公开 leaves its 总计 blank: the row identity cannot pass
    assert _result(results, "T3-C", "表三“（一）予以公开”行").outcome == "unknown"
    assert _result(results, "T3-B", "表三“总计”列").outcome == "unknown"


def test_shanghai_vector_through_the_rule_reports_blank_cells():
    doc = shanghai_doc()
    rule = load_all_rules().rules["annual_report.identities"]
    checks = rule.run(Evidence(unit="上海市人民政府办公厅", year=2019, documents=[doc]))
    assert not [c for c in checks if c.outcome == Outcome.failed]
    blank = next(c for c in checks if c.title == "表三空白单元格")
    assert blank.outcome == Outcome.unknown and Flag.blank_cells in blank.flags
    assert ["3.1", "total"] in blank.data["blank"] and "（一）予以公开—科研机构、社会公益组织、总计" in blank.rationale
    assert "（三）2—全部各列" in blank.rationale and "126个单元格为空白" in blank.rationale
    # the fixture holds part 三 only (an excerpt): what holds is shown as info, not as a pass
    passed_b = next(c for c in checks if c.title == "表三勾稽关系（T3-B）" and c.outcome == Outcome.info)
    assert Flag.blank_cells in passed_b.flags and "仅在空白视为0时成立" in passed_b.rationale
    assert passed_b.data["excerpt"]


def test_grid_cells_cite_exact_spans():
    doc = build_report()
    t3 = analyse(doc).table3
    cell = t3.get("3.4.1", "natural")
    assert doc.text[cell.start:cell.end] == "8" and cell.value == 8
    assert len(list(t3.all_cells())) == 25 * 7


TEXT_LAYOUT = """三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况 自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 40 6 0 0 2 1 49
二、上年结转政府信息公开申请数量\t3\t1\t0\t0\t0\t0\t4
三、本年度办理结果
（一）予以公开 20 3 0 0 1 0 24
（二）部分公开（区分处理的，只计这一情形，
不计其他情形） 2 0 0 0 0 0 2
（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0
2.其他法律行政法规禁止公开 0 0 0 0 0 0 0
3.危及"三安全一稳定" 0 0 0 0 0 0 0
4.保护第三方合法权益 1 0 0 0 0 0 1
5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 2 1 0 0 0 0 3
7.属于行政执法案卷 0 0 0 0 0 0 0
8.属于行政查询事项 0 0 0 0 0 0 0
（四）无法提供
1.本机关不掌握相关政府信息 ８ 1 0 0 1 0 10
2.没有现成信息需要另行制作 1 0 0 0 0 0 1
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
（五）不予处理
1.信访举报投诉类申请 2 0 0 0 0 0 2
2.重复申请 1 0 0 0 0 0 1
3.要求提供公开出版物 0 0 0 0 0 0 0
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
（六）其他处理
1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请 1 0 0 0 0 0 1
2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
3.其他 0 0 0 0 0 0 0
（七）总计 38 5 0 0 2 0 45
四、结转下年度继续办理 5 2 0 0 0 1 8
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉
1 0 0 0 1 0 1 0 0 1
0 0 0 0 0
"""


def _text_doc(text: str):
    b = DocBuilder("report.txt", DocType.annual_report, year=2023)
    for line in text.rstrip("\n").split("\n"):
        b.para(line)
    return b.build()


def test_text_layout_variants_parse_to_all_rows():
    doc = _text_doc(TEXT_LAYOUT)
    t3 = parse_table3(doc)
    assert t3 is not None and t3.source == "text" and not t3.warnings
    assert all(t3.has_row(k) for k in t3.row_keys), [k for k in t3.row_keys if not t3.has_row(k)]
    assert not t3.trial_single_other_row
    assert t3.get("3.2", "total").value == 2  # label wrapped over two lines
    assert t3.get("3.3.3", "total").value == 0  # straight quotes around 三安全一稳定
    assert t3.get("3.6.1", "natural").value == 1  # "，" instead of "、"
    cell = t3.get("3.4.1", "natural")  # a full-width digit, cited where it is printed
    assert cell.value == 8 and doc.text[cell.start:cell.end] == "８"
    assert all(r.outcome == "pass" for r in table3_identities(t3))
    t4 = parse_table4(doc)
    assert t4 is not None and t4.get("direct", "total").value == 1 and t4.get("after_review", "total").value == 0
    assert all(r.outcome == "pass" for r in table4_identities(t4))


def test_text_row_with_missing_numbers_is_warned_not_guessed():
    doc = _text_doc(TEXT_LAYOUT.replace("（一）予以公开 20 3 0 0 1 0 24", "（一）予以公开 20 3 1 0 24"))
    t3 = parse_table3(doc)
    assert not t3.has_row("3.1") and any("予以公开" in w for w in t3.warnings)
    assert t3.get("3.1", "natural").status is CellStatus.missing


def test_table_continued_on_next_page_and_row_numbers_split():
    values = t3_values()
    grid = [[NOTE, "申请人情况"] + [""] * 6, ["", *COLS]]
    keys = ["1", "2", "3.1", "3.2"]
    labels = {"1": "一、本年新收政府信息公开申请数量", "2": "二、上年结转政府信息公开申请数量", "3.1": "（一）予以公开",
              "3.2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}
    b = DocBuilder("r.pdf", DocType.annual_report, year=2023)
    b.table(grid + [[labels[k], *values[k]] for k in keys], header_rows=2)
    b.new_page()
    # the next page repeats no header; its first row carries the numbers of a row whose label broke
    rest = [["（三）不予公开", *[""] * 7], ["1.属于国家秘密", *[""] * 7], ["", *values["3.3.1"]],
            ["3.其他", *values["3.6.3"]], ["（七）总计", *values["3.7"]], ["四、结转下年度继续办理", *values["4"]]]
    b.table(rest, header_rows=0)
    doc = b.build()
    doc.blocks[-1].table.continued_from_previous = True
    t3 = parse_table3(doc)
    assert t3.get("3.3.1", "total").status is CellStatus.ok
    assert t3.get("3.7", "total").value == int(values["3.7"][6])
    assert t3.get("4", "natural").value == int(values["4"][0])
    assert not t3.has_row("3.6.3")  # "其他" outside （六）其他处理 is not (六)3


def test_non_integer_and_symbol_cells_are_kept_as_printed():
    values = t3_values()
    values["3.2"][0] = "2.5"
    values["3.3.1"][0] = "—"
    t3 = analyse(build_report(t3=values)).table3
    assert t3.get("3.2", "natural").status is CellStatus.non_integer
    assert t3.get("3.3.1", "natural").status is CellStatus.non_numeric and t3.get("3.3.1", "natural").value is None


def test_table2_from_grid_and_text():
    t2 = parse_table2(build_report())
    assert t2.get("normative", "in_force").value == 15 and t2.get("fees", "amount").value == 1.2
    assert t2.get("licensing", "decisions").value == 120
    text = "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 2\n行政规范性文件 3 1 20\n行政许可 55\n"
    t2 = parse_table2(_text_doc(text))
    assert t2.source == "text" and t2.get("normative", "issued").value == 3 and t2.get("rules", "in_force").value == 2


def test_label_matching_tolerates_variants_but_not_other_labels():
    m = T3_ROW_MATCHER.match("5. 属于三类内部事物信息")  # one wrong character (OCR)
    assert m is not None and m.key == "3.3.5"
    assert T3_ROW_MATCHER.match("（三）不予公开") is None
    assert T3_ROW_MATCHER.match("３．危及「三安全一稳定」").key == "3.3.3"
    assert label_key("一 、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"
    assert LabelMatcher({"a": ["其他"]}).match("其他法律行政法规禁止公开") is None


def test_one_cell_per_line_layout():
    """A PDF text layer without table detection: every cell on its own line."""
    lines = []
    for line in TEXT_LAYOUT.split("\n"):
        parts = line.split()
        nums = [p for p in parts if p.isdigit() or p == "８"]
        label = " ".join(p for p in parts if p not in nums)
        lines += ([label] if label else []) + nums
    t3 = parse_table3(_text_doc("\n".join(lines)))
    assert all(t3.has_row(k) for k in t3.row_keys) and t3.get("3.7", "total").value == 45
    assert all(r.outcome == "pass" for r in table3_identities(t3))


def test_markdown_pipe_rows():
    text = ("| 一、本年新收政府信息公开申请数量 | 40 | 6 | 0 | 0 | 2 | 1 | 49 |\n"
            "| 二、上年结转政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |\n")
    t3 = parse_table3(_text_doc(text))
    assert t3.get("1", "total").value == 49 and t3.get("2", "commercial").value == 1


# ---------------------------------------------------------------- cells run together (flattened portal text)


def _glued(line: str) -> str:
    """'一、… 40 6 0 0 2 1 49' -> '一、…40600214 9' style: the label with its numbers run together."""
    parts = line.split()
    nums = [p for p in parts if p.isdigit()]
    label = "".join(p for p in parts if not p.isdigit())
    return label + "".join(nums) if nums else line


def test_digit_run_is_split_by_the_row_total():
    doc = _text_doc("一、本年新收政府信息公开申请数量350012341\n二、上年结转政府信息公开申请数量 3 1 0 0 0 0 4")
    t3 = parse_table3(doc)
    assert [t3.get("1", c).value for c in COL_KEYS] == [35, 0, 0, 1, 2, 3, 41]
    assert t3.split_rows == {"1": "35|0|0|1|2|3|41"}
    cell = t3.get("1", "total")
    assert doc.text[cell.start:cell.end] == "41"  # each piece cited where it is printed
    assert t3.get("2", "total").value == 4


def test_whole_table_glued_passes_its_identities_without_alarm():
    doc = _text_doc("\n".join(_glued(line) for line in TEXT_LAYOUT.split("\n")))
    t3 = parse_table3(doc)
    assert all(t3.has_row(k) for k in t3.row_keys), ([k for k in t3.row_keys if not t3.has_row(k)], t3.warnings)
    assert not t3.ambiguous_rows
    assert all(r.outcome == "pass" for r in table3_identities(t3))


def test_two_splits_left_are_named_not_guessed():
    # 010010011 reads 0|1|0|0|10|0|11 or 0|10|0|1|0|0|11; nothing else in the table decides between them
    doc = _text_doc("一、本年新收政府信息公开申请数量010010011")
    t3 = parse_table3(doc)
    assert not t3.has_row("1") and set(t3.ambiguous_rows["1"]) == {"0|1|0|0|10|0|11", "0|10|0|1|0|0|11"}
    assert any("0|1|0|0|10|0|11或0|10|0|1|0|0|11" in w or "0|10|0|1|0|0|11或0|1|0|0|10|0|11" in w
               for w in t3.warnings)


def test_column_identities_choose_between_splits():
    # 二 = 0, (七)总计 and 四 are plain: only 0|10|0|1|0|0|11 makes 一 + 二 = (七) + 四 hold in every column
    lines = ["一、本年新收政府信息公开申请数量010010011", "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
             "（一）予以公开 0 10 0 1 0 0 11", "（七）总计 0 10 0 1 0 0 11", "四、结转下年度继续办理 0 0 0 0 0 0 0"]
    t3 = parse_table3(_text_doc("\n".join(lines)))
    assert t3.split_rows["1"] == "0|10|0|1|0|0|11" and not t3.ambiguous_rows


def test_ambiguous_split_reaches_the_rule_as_unknown():
    text = _text_doc("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量010010011")
    checks = load_all_rules().rules["annual_report.identities"].run(Evidence(unit="x", year=2023, documents=[text]))
    amb = [c for c in checks if c.data.get("ambiguous_rows")]
    assert amb and amb[0].outcome == Outcome.unknown and "0|1|0|0|10|0|11" in amb[0].rationale
    assert amb[0].data["defect"] == "data"


def test_prose_mentioning_review_and_litigation_is_no_table_four():
    # one cell per line after a sentence that names 行政复议/行政诉讼: no phantom table 四
    text = ("2022年共收到8项依申请公开，没有发生依申请公开引起的行政复议或行政诉讼。\n"
            "一、本年新收政府信息公开申请数量 |\n5 |\n0 |\n2 |\n1 |\n0 |\n0 |\n8 |")
    doc = _text_doc(text)
    assert parse_table4(doc) is None
    assert parse_table3(doc).get("1", "total").value == 8


def test_trial_table_two_rows_from_text():
    text = ("第二十条第(五)项 |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 0 | 0 | 3 |\n"
            "其他对外管理服务事项 | 0 | 0 | 0 |\n规范性文件 | 1 | 1 | 9 |\n行政事业性收费 | 0 | 0 |")
    t2 = parse_table2(_text_doc(text))
    assert not t2.warnings, t2.warnings
    assert t2.get("licensing", "decisions").value == 3 and t2.get("licensing", "prev_items").value == 0
    assert t2.get("normative", "total_public").value == 9


def test_table_four_digit_run_is_split_by_its_group_totals():
    text = "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n210031000100000"
    t4 = parse_table4(_text_doc(text))
    assert t4.split_rows == {"all": "2|1|0|0|3|1|0|0|0|1|0|0|0|0|0"}
    assert t4.get("review", "total").value == 3 and t4.get("direct", "total").value == 1
    assert all(r.outcome == "pass" for r in table4_identities(t4))
    two_digit = "行政复议 行政诉讼\n12000121000100000"  # 12|0|0|0|12 | 1|0|0|0|1 | 0|0|0|0|0
    t4 = parse_table4(_text_doc(two_digit))
    assert t4.get("review", "upheld").value == 12 and t4.get("review", "total").value == 12


def test_too_many_splits_are_not_listed_partially():
    assert digits.splits([("1234567891234567891234567", 0, 25)], 7) is None
    assert len(digits.splits([("350012341", 0, 9)], 7)) == 16
