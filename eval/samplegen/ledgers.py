"""Ledgers (台账) as XLSX: a title row, a header row (序号/日期/账号名称/...) and data rows.

Dates are written as text (yyyy-mm-dd), as the provincial platforms export them, so that what a
reviewer quotes is exactly what any reader extracts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel

from eval.samplegen.common import stabilise_zip


class Ledger(BaseModel):
    title: str
    sheet: str
    header: list[str]
    rows: list[list[str | int | float]]
    footer: list[str] = []  # 填报单位 / 填报日期 lines under the table


def write_xlsx(ledger: Ledger, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.properties.creator = "zwgk-samplegen"
    wb.properties.created = dt.datetime(2024, 1, 1)
    wb.properties.modified = dt.datetime(2024, 1, 1)
    ws = wb.active
    ws.title = ledger.sheet
    n = len(ledger.header)
    ws.cell(row=1, column=1, value=ledger.title).font = Font(name="宋体", size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, h in enumerate(ledger.header, start=1):
        cell = ws.cell(row=2, column=c, value=h)
        cell.font = Font(name="宋体", bold=True)
        cell.border = border
    for r, row in enumerate(ledger.rows, start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v).border = border
    for i, line in enumerate(ledger.footer):
        ws.cell(row=len(ledger.rows) + 4 + i, column=1, value=line)
    for c in range(1, n + 1):
        width = max(len(str(ws.cell(row=r, column=c).value or "")) for r in range(2, len(ledger.rows) + 3))
        ws.column_dimensions[get_column_letter(c)].width = min(48, 4 + width * 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    stabilise_zip(path)
