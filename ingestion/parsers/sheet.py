"""Spreadsheets: XLSX (openpyxl) and CSV. Each sheet is one page holding a heading and a table block.

XLSX: openpyxl's streaming read-only mode (fast, little memory) with cached formula values
(data_only=True). What that mode does not report is read from the worksheet XML: merged ranges
(one Cell with spans) and formulas without a cached value (a file written by a program and never
opened in Excel), which are reported in a warning, not guessed. Stored sheet dimensions are ignored
(they are often wrong): rows are read from A1, then empty leading rows/columns are dropped. Reading
stops after EMPTY_ROWS_STOP consecutive empty rows: ledgers often carry thousands of formatted empty rows.

Limits (ZWGK_MAX_SHEET_ROWS, ZWGK_MAX_SHEET_CELLS) are checked row by row while the sheet streams,
so a sheet of a million rows is refused after reading the first rows past the limit, in bounded
memory; the worksheet XML is scanned for merges and formulas in 1 MB pieces, never whole. openpyxl
reads worksheets with defusedxml (installed): a sheet that declares XML entities is refused, in
Chinese, rather than read with entity references dropped.
"""

from __future__ import annotations

import csv
import html
import io
import re
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
import openpyxl.reader.excel as excel_reader
from defusedxml import DefusedXmlException
from openpyxl.utils import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core.display import safe_name
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
        fh = archive.open(member)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return out
    with fh:
        for piece in _xml_pieces(fh):
            for ref in _MERGE.findall(piece):
                try:
                    c0, r0, c1, r1 = range_boundaries(ref.decode())
                except (ValueError, TypeError):
                    continue
                out.merges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
            if b"<f" in piece:
                out.formulas_without_value += [m.group(1).decode() for m in _FORMULA_NO_VALUE.finditer(piece)
                                               if not _HAS_VALUE.search(m.group(0))]
    return out


_PIECE = 1 << 20


def _xml_pieces(fh) -> Iterator[bytes]:
    """The member's XML in ~1 MB pieces that end where a cell begins (`<c `; cells do not nest and
    their text is escaped), so that no cell or mergeCell is cut in two; failing that, at a tag."""
    carry = b""
    while True:
        try:
            chunk = fh.read(_PIECE)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            return  # damage is reported by openpyxl, which read the same member
        if not chunk:
            if carry:
                yield carry
            return
        buf = carry + chunk
        cut = buf.rfind(b"<c ")
        if cut <= 0:
            cut = buf.rfind(b"<")
        if cut <= 0:
            carry = buf
            continue
        yield buf[:cut]
        carry = buf[cut:]


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


def _read_grid(ws, settings: Settings, cells_before: int) -> list[list[str]]:
    """All rows from A1, whatever the (often wrong) stored dimensions say; missing rows come empty.
    Rows are cut after their last value (trailing empty cells are dropped later anyway) and the
    limits are checked on every row streamed, on the grid the rows will fill once padded."""
    ws.reset_dimensions()
    grid: list[list[str]] = []
    empty_run = 0
    width = 0
    for row in ws.iter_rows(min_row=1, min_col=1):
        limits.check_sheet_rows(ws.title, len(grid) + 1, settings)
        # number_format is a style lookup: only floats need it (percentages)
        values = [value_text(c.value, getattr(c, "number_format", None) if isinstance(c.value, float) else None)
                  for c in row]
        last = next((i + 1 for i in range(len(values) - 1, -1, -1) if values[i]), 0)
        if last:
            empty_run = 0
            width = max(width, last)
        else:
            empty_run += 1
            if empty_run >= EMPTY_ROWS_STOP:
                break
        grid.append(values[:last])
        limits.check_sheet_cells(cells_before + len(grid) * width, settings)
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


def _unreadable(exc: Exception, where: str) -> ParseError:
    """openpyxl's (English) error as a Chinese reason with what to do."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException):  # openpyxl wraps it
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return ParseError(f"{where}含有 XML 实体声明，出于安全不予读取（实体可引用外部文件）；"
                          "请在 Excel/WPS 中打开后另存为 XLSX 再导入")
    return ParseError(f"{where}已损坏，无法读取；请在 Excel/WPS 中打开并另存为 XLSX 后重新导入")


class _StreamedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet without its size scan. For a sheet without a <dimension> element,
    ReadOnlyWorksheet.__init__ parses the whole sheet only to find there is none (iterparse reports
    <sheetData> at its end): 1,048,576 rows cost half a minute before the first row was read, and no
    row limit could stop it. The stored size is ignored here anyway (`reset_dimensions`)."""

    def _get_size(self) -> None:
        pass


_LOAD = threading.Lock()


def _load_workbook(data: bytes):
    """openpyxl.load_workbook (read-only, cached values) creating _StreamedSheet worksheets: the reader
    module's name is swapped for the call only, under a lock."""
    with _LOAD:
        excel_reader.ReadOnlyWorksheet = _StreamedSheet
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        finally:
            excel_reader.ReadOnlyWorksheet = ReadOnlyWorksheet


def parse_xlsx(data: bytes, settings: Settings) -> Parsed:
    archive = limits.open_zip(data, "XLSX", settings)
    try:
        wb = _load_workbook(data)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/TypeError on damaged parts
        raise _unreadable(exc, "XLSX 文件") from exc
    try:
        parsed = Parsed(pages=len(wb.worksheets))
        members = _sheet_members(archive)
        cells = 0
        for number, ws in enumerate(wb.worksheets, start=1):
            try:
                grid = _read_grid(ws, settings, cells)  # the streaming reader parses the sheet only now
            except ParseError:
                raise
            except Exception as exc:
                raise _unreadable(exc, f"XLSX 工作表“{safe_name(ws.title)}”") from exc
            cells += len(grid) * (len(grid[0]) if grid else 0)
            extra = _sheet_xml(archive, members.get(ws.title))
            _emit_sheet(parsed, number, ws.title, grid, extra.merges)
            refs = extra.formulas_without_value
            if refs:
                parsed.warnings.append(
                    f"工作表“{safe_name(ws.title)}”有 {len(refs)} 个公式单元格没有缓存的计算结果（如 {'、'.join(refs[:3])}），"
                    "已按空值处理；请在 Excel/WPS 中打开并保存后重新导入"
                )
    finally:
        wb.close()
    return parsed


def parse_csv(data: bytes, settings: Settings) -> Parsed:
    decoded = decode_text(data)
    text, encoding = decoded.text, decoded.encoding
    limits.check_text_chars(len(text), settings)
    sample = text[:5000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[str]] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter):
            rows.append(row)
            width = max(width, len(row))
            limits.check_sheet_rows("CSV", len(rows), settings)
            limits.check_sheet_cells(len(rows) * width, settings)
    except csv.Error as exc:
        raise ParseError(f"CSV 格式错误（第 {len(rows) + 1} 行）；请在 Excel/WPS 中打开并另存为 CSV 或 XLSX 后重新导入") from exc
    grid = [[v.strip() for v in r] + [""] * (width - len(r)) for r in rows]
    parsed = Parsed(pages=1, encoding=encoding)
    b = parsed.builder
    b.new_page(1)
    grid = trim(grid)
    if grid:
        cells = _grid_to_cells(grid, [])
        b.add_table(cells, header_rows=detect_header_rows(cells, len(grid[0])))
    return parsed
