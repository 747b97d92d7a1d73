"""Cells of an annual report's tables 二, 三 and 四, labelled for a reader: "表三·本年新收政府信息公开申请数量·总计 = 35".

The tables are read by the rules' own reader (indicators.annual_report.tables: Table blocks with spans,
plain-text and flattened layouts, digit runs), so chat sees exactly the cells the rules check; this
module only names them (table, row and column labels) and matches them to a question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from assistant.qterms import grams, idf_weights, question_grams, weight
from core.document import DocType, Document
from indicators.annual_report import tables  # the statutory tables' labels and readers

_T3_GROUP_LABELS = {"3.3": "（三）不予公开", "3.4": "（四）无法提供", "3.5": "（五）不予处理", "3.6": "（六）其他处理"}

# words reviewers use for a row or column that its official label does not contain
_ROW_ALIASES: dict[tuple[str, str], str] = {
    ("表三", "1"): "新收 新受理 收到 受理 新增 新申请",
    ("表三", "2"): "上年结转 上年转结 上年度结转",
    ("表三", "4"): "结转下年 转下年 转入下年 下一年度 继续办理",
    ("表三", "3.7"): "办理结果总计 办结 办理完毕",
    ("表二", "fees"): "收费 行政事业性收费",
}
_COL_ALIASES: dict[tuple[str, str], str] = {
    ("表三", "total"): "总计 合计 总数 共计",
    ("表三", "natural"): "自然人 个人 公民",
    ("表四", "total"): "总计 合计 总数 共计",
    ("表四", "upheld"): "维持",
    ("表四", "corrected"): "纠正",
    ("表四", "pending"): "未审结 未结",
    ("表二", "amount"): "金额 收费金额 万元",
}
# the column a figure means when the question names none (the row's total, or the row's count)
_DEFAULT_COLS = {"total", "decisions", "amount", "issued", "made"}
_TABLE_WORDS = {"表二": "主动公开", "表三": "政府信息公开申请 依申请公开", "表四": ""}


@dataclass(frozen=True)
class LabelledCell:
    """One filled cell of a report's table, with its labels and the exact span of its printed value."""

    doc_id: str
    file: str
    year: int | None
    table: str  # 表二 / 表三 / 表四
    row: str  # the reader's row key ("1", "3.3.1", "licensing", "review")
    col: str  # the reader's column key ("total", "decisions", "upheld")
    row_label: str
    col_label: str
    value: str  # as printed
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.table}·{self.row_label}·{self.col_label}"

    @property
    def text(self) -> str:
        return f"{self.label} = {self.value}"

    @cached_property
    def row_grams(self) -> frozenset[str]:
        words = [self.row_label, _ROW_ALIASES.get((self.table, self.row), ""), _TABLE_WORDS[self.table]]
        return frozenset().union(*(grams(w) for w in " ".join(words).split()))

    @cached_property
    def col_grams(self) -> frozenset[str]:
        words = f"{self.col_label} {_COL_ALIASES.get((self.table, self.col), '')}".split()
        return frozenset().union(*(grams(w) for w in words))


def _t3_row_label(key: str) -> str:
    short, official = tables.T3_ROWS[key]
    parts = key.split(".")
    if len(parts) == 3:  # (三)1 …: the group, then the item
        return f"{_T3_GROUP_LABELS['.'.join(parts[:2])]} {parts[2]}.{official[-1]}"
    if key == "3.7":
        return "本年度办理结果（七）总计"
    if key.startswith("3."):
        return short
    return official[0] if key != "4" else "结转下年度继续办理"


def _t2_row_label(row: str, col: str) -> str:
    if row in tables.T2_ROWS and col in tables.T2_ROWS[row][1]:
        return tables.T2_ROWS[row][0]
    return tables.T2_ROWS_TRIAL[row][0]


def _cell(doc: Document, table: str, c: tables.CellValue, row_label: str, col_label: str) -> LabelledCell | None:
    if c.status not in (tables.CellStatus.ok, tables.CellStatus.non_integer) or c.start is None or c.end is None:
        return None  # blank, placeholder or unread cells state no figure
    return LabelledCell(doc.doc_id, doc.file, doc.year, table, c.row, c.col, row_label, col_label,
                        doc.text[c.start:c.end], c.start, c.end)


def labelled_cells(doc: Document) -> list[LabelledCell]:
    """Every filled cell of tables 二, 三 and 四 of an annual report (none for other documents)."""
    if doc.doc_type != DocType.annual_report:
        return []
    out: list[LabelledCell | None] = []
    if (t2 := tables.parse_table2(doc)) is not None:
        out += [_cell(doc, "表二", c, _t2_row_label(c.row, c.col), tables.T2_COLUMNS.get(c.col, c.col)) for c in t2.all_cells()]
    if (t3 := tables.parse_table3(doc)) is not None:
        out += [_cell(doc, "表三", c, _t3_row_label(c.row), tables.T3_COLUMNS[c.col]) for c in t3.all_cells()
                if c.row in tables.T3_ROWS]
    if (t4 := tables.parse_table4(doc)) is not None:
        out += [_cell(doc, "表四", c, tables.T4_GROUPS[c.row], tables.T4_COLUMNS[c.col]) for c in t4.all_cells()]
    return [c for c in out if c is not None]


@dataclass(frozen=True)
class CellMatch:
    cell: LabelledCell
    score: float  # IDF weight of the question's bigrams found in the row and column labels
    row_score: float


# a row must share at least this much IDF weight with the question (one rare bigram such as 新收,
# or several common ones): "申请" alone names no row
MIN_ROW_SCORE = 3.0
# and the labels must hold most of what the question asks about (by weight): "是否收取信息处理费"
# shares 信息/取信 with a row of table 三 but is not about it
MIN_COVERAGE = 0.5


def match_cells(question: str, cells: Sequence[LabelledCell]) -> list[CellMatch]:
    """Cells whose row the question names, best first (the named column, else the row's total)."""
    if not cells:
        return []
    q = question_grams(question)
    rows = {(c.table, c.row): c.row_grams for c in cells}
    cols = {(c.table, c.col): c.col_grams for c in cells}
    row_idf = idf_weights(rows.values())
    col_idf = idf_weights(cols.values())
    unseen = max([*row_idf.values(), *col_idf.values()])
    asked = weight(q, {**col_idf, **row_idf}, unseen)
    matches = []
    for c in cells:
        row_score = weight(q & c.row_grams, row_idf, 0.0)
        named = weight(q & (c.row_grams | c.col_grams), {**col_idf, **row_idf}, unseen)
        if row_score < MIN_ROW_SCORE or named < MIN_COVERAGE * asked:
            continue
        col_score = weight(q & c.col_grams, col_idf, 0.0)
        default = 0.5 if c.col in _DEFAULT_COLS else 0.0
        matches.append(CellMatch(c, row_score + col_score + default, row_score))
    matches.sort(key=lambda m: -m.score)
    return matches
