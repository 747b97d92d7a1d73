"""Which table format a report follows: the 2021 unified format (国办公开办函〔2021〕30号) or the
2019 trial format (国办公开办函〔2019〕60号); domain-rules.md 1.7.

Signals are labels that exist in only one of the two formats; each is kept with its span so the
rule can cite it. Labels shared by both formats (表三/表四 rows) are not signals. 政府集中采购 alone
is not a signal: a 2021 report may mention procurement in its text; the 第二十条第（九）项 block is.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from core.document import Document
from indicators.annual_report.tables import Table3

TRIAL_LABELS = [
    "本年新制作数量", "本年新公开数量", "对外公开总数量",  # 第（一）项 old columns
    "其他对外管理服务事项",  # 第（五）项 old row
    "上一年项目数量",  # 第（五）（六）（八）项 old columns
    "第二十条第（九）项", "采购项目数量", "采购总金额",  # the old procurement block
]
CURRENT_LABELS = ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"]
# a table-二 row that reads exactly 规范性文件 (the 2021 format says 行政规范性文件)
_OLD_NORMATIVE_ROW = re.compile(r"(?m)^[ \t]*规范性文件(?=[ \t\d]|$)")


class FormatSignal(BaseModel):
    label: str
    start: int
    end: int


class FormatDetection(BaseModel):
    format: Literal["2021", "2019", "mixed", "unknown"]
    trial_signals: list[FormatSignal] = Field(default_factory=list)
    current_signals: list[FormatSignal] = Field(default_factory=list)


def _signals(doc: Document, labels: list[str]) -> list[FormatSignal]:
    out = []
    for label in labels:
        span = doc.find(label)
        if span:
            out.append(FormatSignal(label=label, start=span.start, end=span.end))
    return out


def detect_format(doc: Document, table3: Table3 | None) -> FormatDetection:
    trial = _signals(doc, TRIAL_LABELS)
    current = _signals(doc, CURRENT_LABELS)
    for table in doc.tables():  # the old row label inside a table cell
        for cell in table.cells:
            if cell.text.strip() == "规范性文件":
                trial.append(FormatSignal(label="规范性文件", start=cell.start, end=cell.end))
                break
    if not any(s.label == "规范性文件" for s in trial):
        m = _OLD_NORMATIVE_ROW.search(doc.main_text)
        if m:
            trial.append(FormatSignal(label="规范性文件", start=m.end() - 5, end=m.end()))
    if table3 is not None:
        if table3.trial_single_other_row:
            cell = next(iter(table3.cells["3.6"].values()))
            if cell.label_start is not None:
                trial.append(FormatSignal(label="（六）其他处理（单行，无细分项）", start=cell.label_start,
                                          end=cell.label_end))
        elif any(table3.has_row(k) for k in ("3.6.1", "3.6.2")):
            cell = next(iter(table3.cells.get("3.6.1", table3.cells.get("3.6.2", {})).values()))
            if cell.label_start is not None:
                current.append(FormatSignal(label="（六）其他处理细分项", start=cell.label_start,
                                            end=cell.label_end))
    if trial and current:
        fmt = "mixed"
    elif trial:
        fmt = "2019"
    elif current:
        fmt = "2021"
    else:
        fmt = "unknown"
    return FormatDetection(format=fmt, trial_signals=trial, current_signals=current)
