"""The statutory publication deadline (条例第四十九条; domain-rules.md 1.9).

县级以上人民政府部门: submit and publish by 1月31日 of the following year. 县级以上地方人民政府 (its
own report, published by the 主管部门): by 3月31日, and so do development zones, new areas and
experimental zones (assessed like counties; scoring-policy.md 1.1.9). 乡镇/街道 have no statutory date
(local rules: UNCONFIRMED at national level), so the rule flags them instead of deciding. The levels,
the roster and the name rule live in indicators/units.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.document import Document
from core.textnorm import normalize
from indicators.units import DEADLINES, BodyLevel, infer_level

_TITLE_YEAR = re.compile(r"(20\d{2})\s*年度?\s*政府信息公开")


def infer_body_level(name: str | None) -> BodyLevel:
    """Body level from an issuer name (indicators.units.infer_level): 开发区等管委会 -> development_zone,
    乡镇/街道 -> township, 局/委/办 -> department, 人民政府 -> government, else unknown."""
    return infer_level(name)


def report_year(title: str | None, text: str) -> int | None:
    """The reporting year from the title (or the first lines): 2023年政府信息公开工作年度报告 -> 2023."""
    for source in (title or "", text[:300]):
        m = _TITLE_YEAR.search(source)
        if m:
            return int(m.group(1))
    return None


def deadline_for(level: BodyLevel, year: int) -> dt.date | None:
    if BodyLevel(level) not in DEADLINES:
        return None
    month, day = DEADLINES[BodyLevel(level)]
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
