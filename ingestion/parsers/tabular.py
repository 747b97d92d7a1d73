"""Shared by XLSX and CSV: cell values as text, header detection, trailing-emptiness trimming."""

from __future__ import annotations

import datetime as dt

from ingestion.builder import CellSpec


def value_text(value: object, number_format: str | None = None) -> str:
    """A spreadsheet value as reviewers read it: ISO dates, integers without .0, percentages."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        if number_format and number_format.endswith("%"):
            return f"{value * 100:.15g}%"
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value).strip()


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def detect_header_rows(cells: list[CellSpec], n_cols: int, max_scan: int = 10) -> int:
    """Rows up to and including the header: the first row whose cells are mostly non-empty text.

    Title rows above it (a merged "2023年依申请公开台账" line) count as header rows too; a group
    header (a cell spanning several columns, e.g. 申请人情况 over 自然人/法人) pulls in the next row
    when that row is also all text. Only the first `max_scan` rows are looked at: a text row deep in
    the data is not a header.
    """
    rows: dict[int, list[CellSpec]] = {}
    for c in cells:
        rows.setdefault(c.row, []).append(c)
    if not rows:
        return 0
    need = max(2, (n_cols + 1) // 2) if n_cols > 1 else 1
    last_row = max(rows)
    for r in range(min(last_row + 1, max_scan)):
        row = rows.get(r, [])
        covered = sum(c.colspan for c in row if c.text and not _is_number(c.text))
        if covered >= need and len([c for c in row if c.text]) >= min(2, n_cols):
            end = r + max((c.rowspan for c in row), default=1)
            if any(c.colspan > 1 for c in row) and end <= last_row:
                nxt = [c for c in rows.get(end, []) if c.text]
                if nxt and all(not _is_number(c.text) for c in nxt):
                    end += 1
            return min(end, last_row + 1)
    return 0


def trim(grid: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty rows and columns."""
    while grid and not any(grid[-1]):
        grid.pop()
    width = max((i + 1 for row in grid for i, v in enumerate(row) if v), default=0)
    return [row[:width] + [""] * (width - len(row[:width])) for row in grid]
