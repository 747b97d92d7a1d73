"""Assemble the Evidence a unit is scored on: the year under review and the body's level."""

from __future__ import annotations

import re
from collections import Counter

from indicators.rules.base import BodyLevel, Evidence
from ingestion.models import DocType, Document

_TOWNSHIP = re.compile(r"(乡|镇|街道)(人民政府|办事处)$")
_GOVERNMENT = re.compile(r"(县|市|区|旗|自治县)人民政府$")
_DEPARTMENT = re.compile(r"(局|委员会|委|办公室|办|中心|厅|署|院)$")


def infer_body_level(unit: str | None, documents: list[Document]) -> BodyLevel:
    """County-level government vs department vs township, from the unit name or issuers.

    The statutory annual-report deadline (条例第四十九条) depends on it.
    """
    names = [unit or ""] + [d.issuer or "" for d in documents if d.doc_type == DocType.annual_report]
    for name in names:
        name = name.strip()
        if not name:
            continue
        if _TOWNSHIP.search(name):
            return "township"
        if _GOVERNMENT.search(name):
            return "county_government"
        if _DEPARTMENT.search(name):
            return "department"
    return "unknown"


def year_under_review(documents: list[Document], requested: int | None = None) -> int | None:
    """The year of work under review: as requested, else the latest year found in the evidence.

    Annual reports count first (their year is the report's year); other documents' years are used
    only when no report states one.
    """
    if requested is not None:
        return requested
    report_years = [d.year for d in documents if d.doc_type == DocType.annual_report and d.year]
    if report_years:
        return max(report_years)
    years = Counter(d.year for d in documents if d.year)
    return max(years) if years else None


def build_evidence(unit: str | None, documents: list[Document], year: int | None = None) -> Evidence:
    return Evidence(
        unit=unit,
        year=year_under_review(documents, year),
        documents=documents,
        body_level=infer_body_level(unit, documents),
    )
