"""Spreadsheets: XLSX (openpyxl) and CSV. Each sheet is one page holding a heading and a table block.

XLSX: openpyxl's streaming read-only mode (fast, little memory) with cached formula values
(data_only=True). What that mode does not report is read from the worksheet XML: merged ranges
(one Cell with spans) and formulas without a cached value (a file written by a program and never
opened in Excel), which are reported in a warning, not guessed. Stored sheet dimensions are ignored
(they are often wrong): rows are read from A1, then empty leading rows/columns are dropped. Reading
stops after EMPTY_ROWS_STOP consecutive empty rows: ledgers often carry thousands of formatted empty rows.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import range_boundaries

from core.document import BlockKind
from core.settings import Settings
from ingestion import limits
from ingestion.builder import CellSpec
from ingestion.errors import ParseError
from ingestion.parsers import Parsed
from ingestion.parsers.tabular import detect_header_rows, trim, value_text
from ingestion.parsers.text import decode_text

_HAS_VALUE = re.compile(rb"<v(?: [^>]*)?>[^<]+</v>")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*?ref="([A-Z]+\d+:[A-Z]+\d+)"')
EMPTY_ROWS_STOP = 1000
_FORMULA_NO_VALUE = re.compile(rb'<c [^>]*?r="([A-Z]+\d+)"[^>]*(?<!/)>(?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?</c>', re.S)


def _grid_to_cells(grid: list[list[str]], merges: list[tuple[int, int, int, int]]) -> list[CellSpec]:
    """merges: (row0, col0, row1, col1) inclusive, 0-based."""
    covered: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    for r0, c0, r1, c1 in merges:
        if r0 >= n_rows or c0 >= n_cols:
            continue
        r1, c1 = min(r1, n_rows - 1), min(c1, n_cols - 1)
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    cells = []
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            if text or (r, c) in spans:
                cells.append(CellSpec(row=r, col=c, text=text, rowspan=rowspan, colspan=colspan))
            else:
                cells.append(CellSpec(row=r, col=c, text=""))
    return cells


@dataclass
class SheetXml:
    """What openpyxl's streaming reader does not report, read from the worksheet XML itself."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based
    formulas_without_value: list[str] = field(default_factory=list)


def _sheet_xml(archive, member: str | None) -> SheetXml:
    out = SheetXml()
    if not member:
        return out
    try:
        xml = limits.read_member(archive, member, "XLSX")
    except ParseError:
        return out
    for ref in _MERGE.findall(xml):
        try:
            c0, r0, c1, r1 = range_boundaries(ref.decode())
        except (ValueError, TypeError):
            continue
        out.merges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
    if b"<f" in xml:
        out.formulas_without_value = [m.group(1).decode() for m in _FORMULA_NO_VALUE.finditer(xml)
                                      if not _HAS_VALUE.search(m.group(0))]
    return out


def _sheet_members(archive) -> dict[str, str]:
    """Sheet title -> worksheet XML member, from workbook.xml and its relationships."""
    try:
        wb = limits.read_member(archive, "xl/workbook.xml", "XLSX").decode("utf-8", "replace")
        rels = limits.read_member(archive, "xl/_rels/workbook.xml.rels", "XLSX").decode("utf-8", "replace")
    except ParseError:
        return {}
    targets = dict(re.findall(r'<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    out = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', wb):
        target = targets.get(rid, "")
        out[html.unescape(name)] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _read_grid(ws) -> list[list[str]]:
    """All rows from A1, whatever the (often wrong) stored dimensions say; missing rows come empty."""
    ws.reset_dimensions()
    grid: list[list[str]] = []
    empty_run = 0
    for row in ws.iter_rows(min_row=1, min_col=1):
        # number_format is a style lookup: only floats need it (percentages)
        values = [value_text(c.value, getattr(c, "number_format", None) if isinstance(c.value, float) else None)
                  for c in row]
        if any(values):
            empty_run = 0
        else:
            empty_run += 1
            if empty_run >= EMPTY_ROWS_STOP:
                break
        grid.append(values)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def _strip_leading(grid: list[list[str]], merges: list[tuple[int, int, int, int]]):
    """Drop empty rows above and columns left of the data (a ledger often starts at B2)."""
    top = next((i for i, row in enumerate(grid) if any(row)), 0)
    left = min((next(i for i, v in enumerate(row) if v) for row in grid if any(row)), default=0)
    grid = [row[left:] for row in grid[top:]]
    merges = [(r0 - top, c0 - left, r1 - top, c1 - left) for r0, c0, r1, c1 in merges
              if r0 >= top and c0 >= left]
    return grid, merges


def _emit_sheet(parsed: Parsed, number: int, name: str, grid: list[list[str]],
                merges: list[tuple[int, int, int, int]]) -> None:
    b = parsed.builder
    b.new_page(number)
    b.add_block(name, BlockKind.heading, 1)
    grid, merges = _strip_leading(trim(grid), merges)
    if not grid or not grid[0]:
        return
    cells = _grid_to_cells(grid, merges)
    b.add_table(cells, header_rows=detect_header_rows(cells, len(grid[0])))


def parse_xlsx(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "XLSX", settings)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/TypeError on damaged parts
        raise ParseError(f"XLSX 文件已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
    try:
        parsed = Parsed(pages=len(wb.worksheets))
        members = _sheet_members(archive)
        for number, ws in enumerate(wb.worksheets, start=1):
            extra = _sheet_xml(archive, members.get(ws.title))
            try:
                grid = _read_grid(ws)  # the streaming reader parses the sheet only now
            except Exception as exc:
                raise ParseError(f"XLSX 工作表“{ws.title}”已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
            _emit_sheet(parsed, number, ws.title, grid, extra.merges)
            refs = extra.formulas_without_value
            if refs:
                parsed.warnings.append(
                    f"工作表“{ws.title}”有 {len(refs)} 个公式单元格没有缓存的计算结果（如 {'、'.join(refs[:3])}），"
                    "已按空值处理；请在 Excel/WPS 中打开并保存后重新导入"
                )
    finally:
        wb.close()
    return parsed


def parse_csv(data: bytes, settings: Settings) -> Parsed:
    text, encoding = decode_text(data)
    sample = text[:5000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    except csv.Error as exc:
        raise ParseError(f"CSV 格式错误：{exc}") from exc
    width = max((len(r) for r in rows), default=0)
    grid = [[v.strip() for v in r] + [""] * (width - len(r)) for r in rows]
    parsed = Parsed(pages=1, encoding=encoding)
    b = parsed.builder
    b.new_page(1)
    grid = trim(grid)
    if grid:
        cells = _grid_to_cells(grid, [])
        b.add_table(cells, header_rows=detect_header_rows(cells, len(grid[0])))
    return parsed
