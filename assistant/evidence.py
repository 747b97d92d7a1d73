"""Assemble the Evidence a unit is scored on: the year under review and the body's level."""

from __future__ import annotations

from collections import Counter

from core.document import DocType, Document
from indicators.rules.base import BodyLevel, Evidence
from indicators.units import LevelSource, Roster, level_of


def body_level(unit: str | None, documents: list[Document], roster: Roster | None = None
               ) -> tuple[BodyLevel, LevelSource | None]:
    """County-level government, development zone, department or township, and where that came from:
    the workspace's unit roster (for the unit, else its reports' issuers), else the name rule
    (indicators.units.infer_level), else unknown (the deadline rule then asks the reviewer).

    The statutory annual-report deadline (条例第四十九条) depends on it.
    """
    names = [unit or ""] + [d.issuer or "" for d in documents if d.doc_type == DocType.annual_report]
    return level_of([n.strip() for n in names], roster)


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


def build_evidence(unit: str | None, documents: list[Document], year: int | None = None,
                   roster: Roster | None = None) -> Evidence:
    level, source = body_level(unit, documents, roster)
    return Evidence(
        unit=unit,
        year=year_under_review(documents, year),
        documents=documents,
        body_level=level,
        body_level_source=source,
    )
