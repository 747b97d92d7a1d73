"""Annual-report (政府信息公开工作年度报告) analysis: pure parsing and logic, no rule registration.

`analyse(doc)` gathers what the 1.1.9 rules read (parts, tables 二/三/四, format) once per document.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.document import Document
from indicators.annual_report.completeness import Completeness, assess
from indicators.annual_report.formats import FormatDetection, detect_format
from indicators.annual_report.sections import SectionReport, find_sections
from indicators.annual_report.tables import Table2, Table3, Table4, parse_table2, parse_table3, parse_table4


class ReportAnalysis(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    sections: SectionReport
    completeness: Completeness
    table2: Table2 | None
    table3: Table3 | None
    table4: Table4 | None
    format: FormatDetection


_CACHE: dict[tuple[str, int, int], ReportAnalysis] = {}
_CACHE_SIZE = 64


def analyse(doc: Document) -> ReportAnalysis:
    # several rules read the same report: parse it once (keyed by content, not object identity)
    key = (doc.doc_id, len(doc.blocks), hash(doc.text))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        t3 = parse_table3(doc)
        sections = find_sections(doc)
        _CACHE[key] = ReportAnalysis(sections=sections, completeness=assess(doc, sections), table2=parse_table2(doc),
                                     table3=t3, table4=parse_table4(doc), format=detect_format(doc, t3))
    return _CACHE[key]


__all__ = ["ReportAnalysis", "analyse"]
