"""Locate and parse tables 二, 三 and 四 of an annual report into typed cells.

Two sources, same result: `Table` blocks (PDF/DOCX/HTML parsers give cells with spans, merged
cells once with row/colspan) and plain-text layouts (a txt or OCR'd report: one table row per line,
label then numbers separated by spaces or tabs). Every parsed number keeps the exact span of its
digits in `Document.text`, so a rule can cite the cell itself. A blank cell is kept as blank
(status "blank", value None) and a row the parser could not find as "missing": neither is ever 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field

from core.document import Cell, Document, Table
from core.textnorm import normalize, normalize_long
from indicators.annual_report import digits
from indicators.annual_report.labels import LabelMatcher, label_key, split_segments

# ---------------------------------------------------------------- label tables (domain-rules.md 1.3-1.5)

T3_COLUMNS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
T3_COL_MATCHER = LabelMatcher({**{k: [v] for k, v in T3_COLUMNS.items()}, "total": ["总计", "合计"]})

# row key -> (short display name used in rationales, official label(s))
T3_ROWS: dict[str, tuple[str, list[str]]] = {
    "1": ("一", ["本年新收政府信息公开申请数量"]),
    "2": ("二", ["上年结转政府信息公开申请数量"]),
    "3.1": ("（一）予以公开", ["予以公开"]),
    "3.2": ("（二）部分公开", ["部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"]),
    "3.3.1": ("（三）1", ["属于国家秘密"]),
    "3.3.2": ("（三）2", ["其他法律行政法规禁止公开"]),
    "3.3.3": ("（三）3", ["危及“三安全一稳定”"]),
    "3.3.4": ("（三）4", ["保护第三方合法权益"]),
    "3.3.5": ("（三）5", ["属于三类内部事务信息"]),
    "3.3.6": ("（三）6", ["属于四类过程性信息"]),
    "3.3.7": ("（三）7", ["属于行政执法案卷"]),
    "3.3.8": ("（三）8", ["属于行政查询事项"]),
    "3.4.1": ("（四）1", ["本机关不掌握相关政府信息"]),
    "3.4.2": ("（四）2", ["没有现成信息需要另行制作"]),
    "3.4.3": ("（四）3", ["补正后申请内容仍不明确"]),
    "3.5.1": ("（五）1", ["信访举报投诉类申请"]),
    "3.5.2": ("（五）2", ["重复申请"]),
    "3.5.3": ("（五）3", ["要求提供公开出版物"]),
    "3.5.4": ("（五）4", ["无正当理由大量反复申请"]),
    "3.5.5": ("（五）5", ["要求行政机关确认或重新出具已获取信息"]),
    "3.6.1": ("（六）1", ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    "3.6.2": ("（六）2", ["申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    "3.6.3": ("（六）3", ["其他"]),
    "3.6": ("（六）其他处理", ["其他处理"]),  # 2019 trial format: a single row
    "3.7": ("（七）总计", ["总计"]),
    "4": ("四", ["结转下年度继续办理"]),
}
T3_GROUPS = LabelMatcher({"3": ["本年度办理结果"], "3.3": ["不予公开"], "3.4": ["无法提供"], "3.5": ["不予处理"],
                          "3.6": ["其他处理"]})
T3_ROW_MATCHER = LabelMatcher({k: v[1] for k, v in T3_ROWS.items() if k != "3.6"})
T3_RESULT_ROWS_2021 = ["3.1", "3.2", *[f"3.3.{i}" for i in range(1, 9)], *[f"3.4.{i}" for i in range(1, 4)],
                       *[f"3.5.{i}" for i in range(1, 6)], "3.6.1", "3.6.2", "3.6.3"]
T3_RESULT_ROWS_2019 = [k for k in T3_RESULT_ROWS_2021 if not k.startswith("3.6.")] + ["3.6"]
T3_ROWS_2021 = ["1", "2", *T3_RESULT_ROWS_2021, "3.7", "4"]
T3_ROWS_2019 = ["1", "2", *T3_RESULT_ROWS_2019, "3.7", "4"]

T2_ROWS: dict[str, tuple[str, list[str]]] = {
    "rules": ("规章", ["issued", "repealed", "in_force"]),
    "normative": ("行政规范性文件", ["issued", "repealed", "in_force"]),
    "licensing": ("行政许可", ["decisions"]),
    "penalty": ("行政处罚", ["decisions"]),
    "coercion": ("行政强制", ["decisions"]),
    "fees": ("行政事业性收费", ["amount"]),
}
# the 2019 trial format (国办公开办函〔2019〕60号; domain-rules.md 1.7): other columns, two more rows
T2_ROWS_TRIAL: dict[str, tuple[str, list[str]]] = {
    "rules": ("规章", ["made", "published", "total_public"]),
    "normative": ("规范性文件", ["made", "published", "total_public"]),
    "licensing": ("行政许可", ["prev_items", "change", "decisions"]),
    "other_services": ("其他对外管理服务事项", ["prev_items", "change", "decisions"]),
    "penalty": ("行政处罚", ["prev_items", "change", "decisions"]),
    "coercion": ("行政强制", ["prev_items", "change", "decisions"]),
    "fees": ("行政事业性收费", ["prev_items", "change"]),
    "procurement": ("政府集中采购", ["proc_items", "proc_amount"]),
}
T2_COLUMNS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
              "decisions": "本年处理决定数量", "amount": "本年收费金额（单位：万元）",
              "made": "本年新制作数量", "published": "本年新公开数量", "total_public": "对外公开总数量",
              "prev_items": "上一年项目数量", "change": "本年增/减", "proc_items": "采购项目数量",
              "proc_amount": "采购总金额"}
T2_ROW_MATCHER = LabelMatcher({k: [v[0]] for k, v in T2_ROWS.items()}
                              | {k: [v[0]] for k, v in T2_ROWS_TRIAL.items() if k not in T2_ROWS})
T2_COL_MATCHER = LabelMatcher({"issued": ["本年制发件数"], "repealed": ["本年废止件数"], "in_force": ["现行有效件数"],
                               "decisions": ["本年处理决定数量", "处理决定数量"], "amount": ["本年收费金额"],
                               "made": ["本年新制作数量"], "published": ["本年新公开数量"],
                               "total_public": ["对外公开总数量"], "prev_items": ["上一年项目数量"],
                               "change": ["本年增/减", "本年增减"], "proc_items": ["采购项目数量"],
                               "proc_amount": ["采购总金额"]})


def _t2_row(label: str) -> str | None:
    """The table-二 row of a label cell: the exact row name of either format (规范性文件 is the trial row)."""
    key = label_key(label)
    if key == label_key("规范性文件"):
        return "normative"
    m = T2_ROW_MATCHER.match(label, threshold=100.0)
    if m is None:
        return None
    names = {label_key(T2_ROWS[m.key][0]) if m.key in T2_ROWS else None, label_key(T2_ROWS_TRIAL[m.key][0])
             if m.key in T2_ROWS_TRIAL else None}
    return m.key if key in names else None


_T2_TRIAL_HEADERS = ("本年新制作数量", "对外公开总数量", "上一年项目数量")


def _t2_columns(row: str, n: int, trial: bool) -> list[str] | None:
    """The columns of a text row with n values, in the document's layout first (the trial columns when
    its headers are the trial ones), else the other; None when neither has n columns."""
    for layout in ((T2_ROWS_TRIAL, T2_ROWS) if trial else (T2_ROWS, T2_ROWS_TRIAL)):
        if row in layout and len(layout[row][1]) == n:
            return layout[row][1]
    return None


def _t2_expected(row: str) -> list[str]:
    return [*T2_ROWS.get(row, ("", []))[1], *T2_ROWS_TRIAL.get(row, ("", []))[1]]


T4_GROUPS = {"review": "行政复议", "direct": "行政诉讼（未经复议直接起诉）", "after_review": "行政诉讼（复议后起诉）"}
T4_COLUMNS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}


# ---------------------------------------------------------------- typed cells


class CellStatus(StrEnum):
    ok = "ok"
    blank = "blank"  # printed empty (or &nbsp;)
    non_integer = "non_integer"  # a decimal where a count is expected
    non_numeric = "non_numeric"  # "—", "/", "无", text
    missing = "missing"  # the row or cell was not found in the document


class CellValue(BaseModel):
    row: str
    col: str
    value: int | float | None = None
    raw: str = ""
    status: CellStatus = CellStatus.missing
    start: int | None = Field(None, description="span of the printed value in Document.text")
    end: int | None = None
    label_start: int | None = Field(None, description="span of the row label (cited for blank cells)")
    label_end: int | None = None
    unit: str | None = Field(None, description="unit printed inside the cell, e.g. 元")

    @property
    def filled(self) -> bool:
        return self.status in (CellStatus.ok, CellStatus.non_integer)


_NUM_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万元|元|件|个|次|条)?$")
_BLANK_RAW = {"", "&nbsp;", "\xa0"}
PLACEHOLDER_TOKENS = {"-", "—", "–", "/", "／", "无", "——", "--", "×"}


def parse_value(raw: str) -> tuple[int | float | None, CellStatus, str | None]:
    text = normalize(raw).replace(",", "")
    if raw.strip() in _BLANK_RAW or not text:
        return None, CellStatus.blank, None
    m = _NUM_RE.match(text)
    if not m:
        return None, CellStatus.non_numeric, None
    num, unit = m.group(1), m.group(2)
    if "." in num:  # a decimal is kept as printed; counts flag it (T3-E), amounts (万元) accept it
        return float(num), CellStatus.non_integer, unit
    return int(num), CellStatus.ok, unit


def _cell_value(row: str, col: str, raw: str, start: int | None, end: int | None,
                label: tuple[int, int] | None) -> CellValue:
    value, status, unit = parse_value(raw)
    if status is not CellStatus.blank and start is not None:  # cite the value itself, not its padding
        stripped = raw.strip()
        offset = raw.find(stripped)
        start, end = start + offset, start + offset + len(stripped)
    return CellValue(row=row, col=col, value=value, raw=raw, status=status, start=start, end=end,
                     label_start=label[0] if label else None, label_end=label[1] if label else None, unit=unit)


class ParsedTable(BaseModel):
    """Cells keyed row -> column, plus where the table came from and what went wrong."""

    cells: dict[str, dict[str, CellValue]] = Field(default_factory=dict)
    source: str = "table"  # "table" (Table blocks) or "text" (plain-text layout)
    warnings: list[str] = Field(default_factory=list)
    start: int | None = None  # first character of the table region (for citing the table as a whole)
    end: int | None = None

    def get(self, row: str, col: str) -> CellValue:
        cell = self.cells.get(row, {}).get(col)
        return cell if cell is not None else CellValue(row=row, col=col)

    def put(self, cell: CellValue) -> None:
        self.cells.setdefault(cell.row, {})[cell.col] = cell

    def has_row(self, row: str) -> bool:
        return row in self.cells

    def all_cells(self) -> Iterable[CellValue]:
        for cols in self.cells.values():
            yield from cols.values()

    def extend_span(self, start: int | None, end: int | None) -> None:
        if start is None or end is None:
            return
        self.start = start if self.start is None else min(self.start, start)
        self.end = end if self.end is None else max(self.end, end)


class Table3(ParsedTable):
    trial_single_other_row: bool = False  # (六)其他处理 printed as one data row (2019 trial format)
    split_rows: dict[str, str] = Field(default_factory=dict)  # row -> cells read from a digit run ("35|0|…")
    ambiguous_rows: dict[str, list[str]] = Field(default_factory=dict)  # row -> the splits that remain possible

    @property
    def row_keys(self) -> list[str]:
        return T3_ROWS_2019 if self.trial_single_other_row else T3_ROWS_2021

    @property
    def result_rows(self) -> list[str]:
        return T3_RESULT_ROWS_2019 if self.trial_single_other_row else T3_RESULT_ROWS_2021

    def expected_cells(self) -> list[CellValue]:
        return [self.get(r, c) for r in self.row_keys for c in T3_COLUMNS]


class Table2(ParsedTable):
    def expected_cells(self) -> list[CellValue]:
        return [self.get(r, c) for r, (_, cols) in T2_ROWS.items() for c in cols]


class Table4(ParsedTable):
    split_rows: dict[str, str] = Field(default_factory=dict)  # "all" -> the 15 cells read from digit runs
    def expected_cells(self) -> list[CellValue]:
        return [self.get(g, c) for g in T4_GROUPS for c in T4_COLUMNS]


# ---------------------------------------------------------------- grid helpers


def _unique_cells(table: Table, row: int, cols: Iterable[int]) -> list[Cell]:
    seen: set[tuple[int, int]] = set()
    out = []
    for c in cols:
        cell = table.cell_at(row, c)
        if cell is not None and (cell.row, cell.col) not in seen:
            seen.add((cell.row, cell.col))
            out.append(cell)
    return out


def _label_text(cells: list[Cell]) -> str:
    return "".join(c.text for c in cells)


def _is_number_text(text: str) -> bool:
    _, status, _ = parse_value(text)
    return status in (CellStatus.ok, CellStatus.non_integer)


# ---------------------------------------------------------------- table 三


def _t3_row_key(labels: list[str], context: str | None, prev_key: str | None = None) -> str | None:
    """The data-row key for label segments (parents first); None for group rows or unknown labels."""
    segments = [s for text in labels for s in split_segments(text)]
    if not segments:
        return None
    own = segments[-1]
    group = T3_GROUPS.match(own)
    parents = [T3_GROUPS.match(s) for s in segments[:-1]]
    parent = next((p.key for p in reversed(parents) if p), context)
    if group and group.score == 100.0:
        return None  # a group label such as （三）不予公开 (or (六)其他处理, handled by the caller)
    m = T3_ROW_MATCHER.match(own)
    if m is None:
        return None
    if m.key == "3.6.3" and parent not in (None, "3.6") and prev_key not in ("3.6.1", "3.6.2"):
        return None  # "其他" under another group cannot be (六)3 (unless it follows (六)1/2)
    return m.key


def _t3_columns_from_header(table: Table, header_rows: int) -> dict[int, str] | None:
    mapping: dict[int, str] = {}
    for col in range(table.n_cols):
        texts = [table.cell_at(r, col) for r in range(header_rows)]
        for cell in reversed([t for t in texts if t is not None]):
            text = normalize(cell.text).replace("法人或其他组织", "")
            m = T3_COL_MATCHER.match(text, threshold=100.0)
            if m:
                mapping[col] = m.key
                break
    keys = list(mapping.values())
    if len(set(keys)) == len(keys) and len(keys) >= 5:
        return mapping
    return None


def _t3_first_data_row(table: Table) -> int | None:
    for r in range(table.n_rows):
        texts = [c.text for c in _unique_cells(table, r, range(table.n_cols))]
        for t in texts:
            if T3_ROW_MATCHER.match(t) and T3_ROW_MATCHER.match(t).key in ("1", "2"):
                return r
    return None


def _looks_like_t3(table: Table) -> bool:
    if any("勾稽关系" in c.text or "申请人情况" in c.text for c in table.cells):
        return True
    hits = 0
    for r in range(table.n_rows):
        for cell in _unique_cells(table, r, range(min(3, table.n_cols))):
            if T3_ROW_MATCHER.match(cell.text) or T3_GROUPS.match(cell.text):
                hits += 1
    return hits >= 2


def parse_table3(doc: Document) -> Table3 | None:
    """Table 三 from Table blocks (merging page continuations), else from the text layout."""
    result = Table3()
    mapping: dict[int, str] | None = None
    mapping_cols = 0
    pending_label: list[Cell] = []
    last_key: str | None = None
    context: str | None = None
    single_other: list[CellValue] = []
    found = False
    for table in doc.tables():
        if not _looks_like_t3(table) and not (found and table.continued_from_previous):
            if found and not table.continued_from_previous:
                break
            continue
        found = True
        first = _t3_first_data_row(table)
        header = _t3_columns_from_header(table, first) if first else None
        if header:
            mapping, mapping_cols = header, table.n_cols
        if mapping is None or mapping_cols != table.n_cols:  # a continuation laid out differently
            mapping_cols = table.n_cols
            mapping = {table.n_cols - 7 + i: k for i, k in enumerate(T3_COLUMNS)}
            if table.n_cols < 8:
                result.warnings.append("表三列数不足8列，无法按列定位")
                continue
        first_data_col = min(mapping)
        for r in range(first or 0, table.n_rows):
            labels = _unique_cells(table, r, range(first_data_col))
            labels = [c for c in labels if c.text.strip()]
            values = [table.cell_at(r, col) for col in mapping]
            has_numbers = any(v is not None and _is_number_text(v.text) for v in values)
            for cell in labels:
                g = T3_GROUPS.match(cell.text)
                if g and g.score == 100.0 and len(split_segments(cell.text)) == 1:
                    context = g.key
            key = _t3_row_key([c.text for c in labels], context, last_key)
            own_group = T3_GROUPS.match(labels[-1].text) if labels else None
            if key is None and own_group is not None and own_group.key == "3.6":
                # (六)其他处理 as a row of its own: the 2019 single row, unless sub-items follow (kept aside)
                label_span = (labels[-1].start, labels[-1].end)
                single_other = [_cell_value("3.6", k, c.text, c.start, c.end, label_span)
                                for col, k in mapping.items() if (c := table.cell_at(r, col)) is not None]
                if not has_numbers:
                    continue
                key = "3.6"
            if key is None and pending_label and labels:
                key = _t3_row_key([_label_text(pending_label) + _label_text(labels)], context, last_key)
            if key is None and not labels and has_numbers and last_key and \
                    all(not c.filled for c in result.cells.get(last_key, {}).values()):
                key = last_key  # the numbers of a row whose label stayed on the previous page
            if key is None:
                if labels and not has_numbers:
                    pending_label = labels
                continue
            pending_label = []
            last_key = key
            # the row's own label (the rightmost label cell): group cells span many rows
            label_span = (labels[-1].start, labels[-1].end) if labels else None
            for col, col_key in mapping.items():
                cell = table.cell_at(r, col)
                if cell is None:
                    continue
                result.put(_cell_value(key, col_key, cell.text, cell.start, cell.end, label_span))
            block_start = min((c.start for c in table.cells), default=None)
            block_end = max((c.end for c in table.cells), default=None)
            result.extend_span(block_start, block_end)
    if single_other and not result.has_row("3.6") and not any(
            result.has_row(k) for k in ("3.6.1", "3.6.2", "3.6.3")):
        for cell in single_other:
            result.put(cell)
    if not result.cells:
        text_result = _parse_table3_text(doc)
        if text_result is None:
            return None
        result = text_result
    result.trial_single_other_row = result.has_row("3.6") and not any(
        result.has_row(k) for k in ("3.6.1", "3.6.2", "3.6.3"))
    return result


# ---------------------------------------------------------------- plain-text layouts

_TOKEN = re.compile(r"[^\s|｜]+")  # markdown/OCR pipes separate cells like spaces do
# a label token whose last characters are digits: a CJK label, then the run (not 2022年, not 1.属于…)
_GLUED_DIGITS = re.compile(r"^(.*[\u4e00-\u9fff）)\"”」』])([0-9０-９]+)$")


@dataclass
class _Line:
    start: int
    label: str  # text before the trailing numbers
    label_span: tuple[int, int] | None
    numbers: list[tuple[str, int, int]] = field(default_factory=list)  # (raw, start, end) in doc.text


def _text_lines(doc: Document, start: int = 0, end: int | None = None) -> list[_Line]:
    end = doc.main_end if end is None else end
    out: list[_Line] = []
    pos = start
    for raw_line in doc.text[start:end].split("\n"):
        tokens = [(m.group(), pos + m.start(), pos + m.end()) for m in _TOKEN.finditer(raw_line)]
        tail: list[tuple[str, int, int]] = []
        while tokens and (_is_number_text(tokens[-1][0]) or normalize(tokens[-1][0]) in PLACEHOLDER_TOKENS):
            tail.insert(0, tokens.pop())
        glued = _GLUED_DIGITS.match(tokens[-1][0]) if tokens else None
        if glued:  # "本年新收政府信息公开申请数量350012341": the label with its cells run on
            raw, s0, _ = tokens.pop()
            cut = glued.end(1)
            tokens.append((raw[:cut], s0, s0 + cut))
            tail.insert(0, (raw[cut:], s0 + cut, s0 + len(raw)))
        label = " ".join(t[0] for t in tokens)
        span = (tokens[0][1], tokens[-1][2]) if tokens else None
        out.append(_Line(pos, label, span, tail))
        pos += len(raw_line) + 1
    return out


def _logical_rows(lines: list[_Line], width: int) -> list[_Line]:
    """Join number-only lines to the label line above them (a PDF text layer or an OCR pass often puts
    each cell of a ruled table on its own line), up to `width` numbers per row; drop empty lines."""
    out: list[_Line] = []
    for line in lines:
        if not line.label and not line.numbers:
            continue
        prev = out[-1] if out else None
        if (prev is not None and not line.label and line.numbers and prev.label
                and len(prev.numbers) + len(line.numbers) <= width):
            prev.numbers = prev.numbers + line.numbers
            continue
        out.append(_Line(line.start, line.label, line.label_span, list(line.numbers)))
    return out


def _parse_table3_text(doc: Document) -> Table3 | None:
    result = Table3(source="text")
    ambiguous: dict[str, tuple[list[list[tuple[str, int, int]]], tuple[int, int] | None]] = {}
    pending: list[_Line] = []
    context: str | None = None
    for line in _logical_rows(_text_lines(doc), len(T3_COLUMNS)):
        if not line.numbers:
            g = T3_GROUPS.match(line.label) if line.label else None
            if g and g.score == 100.0:
                context, pending = g.key, []
            elif line.label:
                pending = [*pending[-1:], line]
            continue
        last_key = next(reversed(result.cells), None)
        key = _t3_row_key([line.label], context, last_key) if line.label else None
        if key is None and line.label and T3_GROUPS.match(line.label) and T3_GROUPS.match(line.label).key == "3.6":
            key = "3.6"
        if key is None and pending:
            key = _t3_row_key(["".join(p.label for p in pending) + line.label], context, last_key)
        if key is None:
            pending = []
            continue
        label_span = line.label_span or (pending[-1].label_span if pending else None)
        pending = []
        numbers = line.numbers
        if len(numbers) != len(T3_COLUMNS):
            options = [o for o in digits.splits(numbers, len(T3_COLUMNS)) or [] if digits.row_total_holds(o)]
            if not options:
                result.warnings.append(
                    f"表三“{T3_ROWS[key][0]}”行识别到{len(line.numbers)}个数值（应为7个），无法确定各列位置")
                continue
            if len(options) > 1:
                ambiguous[key] = (options, label_span)
                continue
            numbers = options[0]
            result.split_rows[key] = digits.show(numbers)
        _put_t3_row(result, key, numbers, label_span)
    if ambiguous:
        _resolve_splits(result, ambiguous)
    return result if result.cells or result.ambiguous_rows else None


def _put_t3_row(result: Table3, key: str, numbers: list[tuple[str, int, int]], label_span) -> None:
    for (raw, s, e), col in zip(numbers, T3_COLUMNS, strict=True):
        result.put(_cell_value(key, col, raw, s, e, label_span))
        result.extend_span(s, e)


def _columns_hold(values: dict[tuple[str, str], int]) -> bool:
    """No column identity (T3-A, T3-B) is broken among the known cells (used to choose digit splits)."""
    rows = {r for r, _ in values}
    trial = "3.6" in rows and not rows & {"3.6.1", "3.6.2", "3.6.3"}
    results = T3_RESULT_ROWS_2019 if trial else T3_RESULT_ROWS_2021
    for col in T3_COLUMNS:
        for lhs, rhs in ((["1", "2"], ["3.7", "4"]), (["3.7"], results)):
            cells = [values.get((r, col)) for r in lhs + rhs]
            if all(v is not None for v in cells) and sum(cells[:len(lhs)]) != sum(cells[len(lhs):]):
                return False
    return True


def _resolve_splits(result: Table3, ambiguous: dict) -> None:
    """Rows whose digit run splits several ways: the one combination the column identities accept, else
    none (the rows stay unread and every possible split is named)."""
    known = {(c.row, c.col): c.value for c in result.all_cells() if c.status is CellStatus.ok}

    def consistent(chosen) -> bool:
        values = dict(known)
        for key, option in chosen.items():
            values.update({(key, col): v for col, v in zip(T3_COLUMNS, digits.values(option), strict=True)})
        return _columns_hold(values)

    options = {key: opts for key, (opts, _) in ambiguous.items()}
    chosen = digits.resolve(options, consistent)
    if chosen is not None:
        for key, option in chosen.items():
            _put_t3_row(result, key, option, ambiguous[key][1])
            result.split_rows[key] = digits.show(option)
        return
    for key, (opts, _) in ambiguous.items():
        shown = [digits.show(o) for o in opts]
        result.ambiguous_rows[key] = shown
        result.warnings.append(f"表三“{T3_ROWS[key][0]}”行数字连写，可拆分为" + "或".join(shown[:4])
                               + ("等" if len(shown) > 4 else "") + "，无法确定")


# ---------------------------------------------------------------- table 二


def _t2_rows_from_tables(doc: Document, result: Table2) -> None:
    for table in doc.tables():
        columns: list[str | None] = []
        for r in range(table.n_rows):
            cells = _unique_cells(table, r, range(table.n_cols))
            if not cells:
                continue
            if label_key(cells[0].text) == "信息内容":
                columns = [m.key if (m := T2_COL_MATCHER.match(c.text)) else None for c in cells[1:]]
                continue
            row = _t2_row(cells[0].text)
            if row is None:
                continue
            expected = _t2_expected(row)
            values = cells[1:]
            keys = columns[: len(values)] if columns and all(k in expected for k in columns[: len(values)] if k) \
                else (T2_ROWS.get(row) or T2_ROWS_TRIAL[row])[1]
            label_span = (cells[0].start, cells[0].end)
            result.extend_span(*label_span)
            for cell, col in zip(values, keys, strict=False):
                if col in expected:
                    result.put(_cell_value(row, col, cell.text, cell.start, cell.end, label_span))
                    result.extend_span(cell.start, cell.end)


def _t2_rows_from_text(doc: Document, result: Table2) -> None:
    flat = normalize_long(doc.main_text)
    trial = any(h in flat for h in _T2_TRIAL_HEADERS)
    for line in _logical_rows(_text_lines(doc), 3):
        if not line.numbers or not line.label:
            continue
        row = _t2_row(line.label)
        if row is None or result.has_row(row):
            continue
        columns = _t2_columns(row, len(line.numbers), trial)
        if columns is None:
            name = (T2_ROWS.get(row) or T2_ROWS_TRIAL[row])[0]
            widths = sorted({len(layout[row][1]) for layout in (T2_ROWS, T2_ROWS_TRIAL) if row in layout})
            result.warnings.append(f"表二“{name}”行识别到{len(line.numbers)}个数值（应为"
                                   + "或".join(map(str, widths)) + "个）")
            continue
        for (raw, s, e), col in zip(line.numbers, columns, strict=True):
            result.put(_cell_value(row, col, raw, s, e, line.label_span))
            result.extend_span(s, e)


def parse_table2(doc: Document) -> Table2 | None:
    result = Table2()
    _t2_rows_from_tables(doc, result)
    if not result.cells:
        result.source = "text"
        _t2_rows_from_text(doc, result)
    return result if result.cells else None


# ---------------------------------------------------------------- table 四

_T4_ORDER = [(g, c) for g in T4_GROUPS for c in T4_COLUMNS]
_T4_HEADER_WORDS = {"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"}
_SENTENCE_MARKS = re.compile(r"[。，；,;]")  # a table header has none; prose that mentions 行政复议 has


def _put_t4(result: Table4, values: list[tuple[str, int | None, int | None]]) -> None:
    for (raw, s, e), (g, c) in zip(values, _T4_ORDER, strict=True):
        result.put(_cell_value(g, c, raw, s, e, None))
        result.extend_span(s, e)


def parse_table4(doc: Document) -> Table4 | None:
    result = Table4()
    for table in doc.tables():
        texts = {label_key(c.text) for c in table.cells}
        if not {"行政复议", "行政诉讼"} <= texts and not ("行政复议" in texts and "结果维持" in texts):
            continue
        for r in range(table.n_rows - 1, -1, -1):
            cells = _unique_cells(table, r, range(table.n_cols))
            numeric = [c for c in cells if _is_number_text(c.text) or not c.text.strip()]
            if len(numeric) == 15 and any(_is_number_text(c.text) for c in numeric):
                _put_t4(result, [(c.text, c.start, c.end) for c in numeric])
                return result
        result.warnings.append("表四未找到15个数值的数据行")
    # text layout: the numbers after the header words, possibly wrapped over several lines
    lines = _text_lines(doc)
    seen_header = False
    collected: list[tuple[str, int, int]] = []
    for line in lines:
        key = label_key(line.label)
        # a header line of the table, not a sentence that mentions 行政复议 (phantom tables come from those)
        if not _SENTENCE_MARKS.search(line.label) and "行政复议" in key and \
                ("行政诉讼" in key or "结果维持" in key or key == "行政复议"):
            seen_header, collected = True, []
        if not seen_header:
            continue
        if line.numbers and (not key or key in _T4_HEADER_WORDS):
            collected.extend(line.numbers)
            if len(collected) >= 15:
                break
        elif collected:
            break
    if 0 < len(collected) < 15:  # digit runs: the split that T4-A accepts in all three groups
        options = [o for o in digits.splits(collected, 15) or []
                   if all(digits.row_total_holds(o[i:i + 5]) for i in (0, 5, 10))]
        if len(options) == 1:
            result.split_rows = {"all": digits.show(options[0])}
            collected = options[0]
        elif len(options) > 1:
            shown = [digits.show(o) for o in options]
            result.warnings.append("表四数字连写，可拆分为" + "或".join(shown[:4]) + ("等" if len(shown) > 4 else "")
                                   + "，无法确定")
            return result
    if len(collected) == 15:
        result.source = "text"
        _put_t4(result, collected)
        return result
    if collected:
        result.warnings.append(f"表四识别到{len(collected)}个数值（应为15个）")
    return result if result.warnings else None
