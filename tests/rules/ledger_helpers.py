"""Shared helpers for ledger rule tests: evidence from in-memory tables, real XLSX/CSV files."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from core.document import DocType, Document
from indicators.rules.base import REGISTRY, Check, Evidence, load_all_rules
from tests.docbuilder import DocBuilder

load_all_rules()


def ledger_doc(file: str, rows: Sequence[Sequence[str]], *, title_line: str | None = None,
               header_rows: int = 1, year: int | None = 2023, doc_type: DocType = DocType.ledger) -> Document:
    b = DocBuilder(file, doc_type, unit="香河县人民政府", year=year)
    if title_line:
        b.heading(title_line)
    return b.table(rows, header_rows=header_rows).build()


def evidence(*docs: Document, year: int | None = 2023) -> Evidence:
    return Evidence(unit="香河县人民政府", year=year, documents=list(docs))


def run(rule_id: str, ev: Evidence) -> list[Check]:
    return REGISTRY.rules[rule_id].run(ev)


def total(checks: Sequence[Check]) -> float:
    return round(sum(c.deduction for c in checks), 4)


def assert_citations_exact(checks: Sequence[Check], doc: Document) -> None:
    for c in checks:
        for cit in c.citations:
            assert doc.text[cit.start:cit.end] == cit.quote


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def write_csv_gbk(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows(rows)
    return path
