"""Spreadsheets: XLSX (openpyxl) and CSV. Each sheet is one page holding a heading and a table block.

XLSX: values are the cached results of formulas (data_only=True); a formula without a cached value
(a file written by a program, never opened in Excel) is reported in a warning, not guessed. Merged
cells become one Cell with spans. Workbooks expanding beyond READ_ONLY_ABOVE_MB are streamed in
read-only mode, where openpyxl cannot report merges (a warning says so). Reading stops after
EMPTY_ROWS_STOP consecutive empty rows: ledgers often carry thousands of formatted empty rows.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from openpyxl.utils import range_boundaries

from ingestion import limits
from ingestion.builder import CellSpec
from ingestion.errors import ParseError
from ingestion.models import BlockKind
from ingestion.parsers import Parsed
from ingestion.parsers.tabular import detect_header_rows, trim, value_text
from ingestion.parsers.text import decode_text
from zwgk.settings import Settings

_HAS_VALUE = re.compile(rb"<v(?: [^>]*)?>[^<]+</v>")
READ_ONLY_ABOVE_MB = 50
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


def _formulas_without_value(archive, sheet_paths: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for title, member in sheet_paths.items():
        try:
            xml = limits.read_member(archive, member, "XLSX")
        except ParseError:
            continue
        missing = [m.group(1).decode() for m in _FORMULA_NO_VALUE.finditer(xml)
                   if not _HAS_VALUE.search(m.group(0))]
        if missing:
            out[title] = missing
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
        out[name] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _emit_sheet(parsed: Parsed, number: int, name: str, grid: list[list[str]],
                merges: list[tuple[int, int, int, int]]) -> None:
    b = parsed.builder
    b.new_page(number)
    b.add_block(name, BlockKind.heading, 1)
    grid = trim(grid)
    if not grid:
        return
    cells = _grid_to_cells(grid, merges)
    b.add_table(cells, header_rows=detect_header_rows(cells, len(grid[0])))


def parse_xlsx(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "XLSX", settings)
    expanded_mb = sum(i.file_size for i in archive.infolist()) / (1024 * 1024)
    read_only = expanded_mb > READ_ONLY_ABOVE_MB
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/TypeError on damaged parts
        raise ParseError(f"XLSX 文件已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
    parsed = Parsed(pages=len(wb.worksheets))
    if read_only:
        parsed.warnings.append("工作簿较大，已按只读方式读取，合并单元格未展开")
    missing = _formulas_without_value(archive, _sheet_members(archive))
    for number, ws in enumerate(wb.worksheets, start=1):
        grid: list[list[str]] = []
        empty_run = 0
        for row in ws.iter_rows():
            values = [value_text(c.value, getattr(c, "number_format", None)) for c in row]
            if any(values):
                empty_run = 0
            else:
                empty_run += 1
                if empty_run >= EMPTY_ROWS_STOP:
                    break
            grid.append(values)
        width = max((len(r) for r in grid), default=0)
        grid = [r + [""] * (width - len(r)) for r in grid]
        merges = []
        if not read_only:
            for rng in ws.merged_cells.ranges:
                c0, r0, c1, r1 = range_boundaries(str(rng))
                merges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
        _emit_sheet(parsed, number, ws.title, grid, merges)
        if ws.title in missing:
            refs = missing[ws.title]
            parsed.warnings.append(
                f"工作表“{ws.title}”有 {len(refs)} 个公式单元格没有缓存的计算结果（如 {'、'.join(refs[:3])}），"
                "已按空值处理；请在 Excel/WPS 中打开并保存后重新导入"
            )
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
