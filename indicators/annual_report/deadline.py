"""The statutory publication deadline (条例第四十九条; domain-rules.md 1.9).

县级以上人民政府部门: submit and publish by 1月31日 of the following year. 县级以上地方人民政府 (its
own report, published by the 主管部门): by 3月31日. 乡镇/街道 have no statutory date (local rules:
UNCONFIRMED at national level), so the rule flags them instead of deciding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.document import Document
from core.textnorm import normalize
from indicators.rules.base import BodyLevel

DEADLINES: dict[str, tuple[int, int]] = {"department": (1, 31), "county_government": (3, 31)}

_TOWNSHIP = re.compile(r"(?:乡|镇|街道)(?:人民政府|办事处)|街道办|乡政府|镇政府|(?:乡|镇|街道)$")
# 人民政府办公室 is a department of the government, not the government itself
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|中心|署|厅|院|所|站|队)$|人民政府办公室")
_GOVERNMENT = re.compile(r"人民政府$")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年度?\s*政府信息公开")


def infer_body_level(name: str | None) -> BodyLevel:
    """Body level from an issuer name: 乡镇/街道 -> township, 局/委/办 -> department, 人民政府 -> government."""
    if not name:
        return "unknown"
    name = re.sub(r"\s+", "", name)
    if _TOWNSHIP.search(name):
        return "township"
    if _DEPARTMENT.search(name):
        return "department"
    if _GOVERNMENT.search(name):
        return "county_government"
    return "unknown"


def report_year(title: str | None, text: str) -> int | None:
    """The reporting year from the title (or the first lines): 2023年政府信息公开工作年度报告 -> 2023."""
    for source in (title or "", text[:300]):
        m = _TITLE_YEAR.search(source)
        if m:
            return int(m.group(1))
    return None


def deadline_for(level: BodyLevel, year: int) -> dt.date | None:
    if level not in DEADLINES:
        return None
    month, day = DEADLINES[level]
    return dt.date(year + 1, month, day)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class Listing:
    """A report's entry in the website's 年报 column: the line, and the date the site shows."""

    page: Document
    start: int
    end: int
    date: dt.date


_LIST_DATE = re.compile(r"((?:19|20)\d{2})[-./年](\d{1,2})[-./月](\d{1,2})日?\]?\s*$")


def listed_publication(pages: list[Document], year: int, issuer: str | None) -> Listing | None:
    """The publication date of `year`'s report as listed on a web page or screenshot of the column.

    The website's date is the publication date 第四十九条 speaks of, and the listing itself shows the
    report was published in the 信息公开专栏 (1.1.9 sub 1).
    """
    body = normalize(issuer or "")
    for page in pages:
        pos = 0
        for line in page.text.split("\n"):
            start, pos = pos, pos + len(line) + 1
            flat = normalize(line)
            if "年度报告" not in flat or f"{year}年" not in flat:
                continue
            if body and "人民政府" in flat and body not in flat:
                continue  # another body's report in a shared column
            m = _LIST_DATE.search(line)
            if not m:
                continue
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            stripped = line.strip()
            lead = line.index(stripped) if stripped else 0
            return Listing(page, start + lead, start + lead + len(stripped), date)
    return None
