"""ISO weeks of a period, for "每周不少于1条" (5.1.3 quantity).

A week belongs to a period when its Thursday falls inside it: the ISO rule that assigns weeks to
years, so a calendar year has exactly the 52 or 53 weeks of its ISO year, and 2021-01-01 (a Friday)
falls in week 53 of 2020, not in 2021. A period that is not a whole year (the ledger's own span) is
taken instead as every week it touches (its first and last items must land in a week of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from indicators.ledgers.values import cn_date

Week = tuple[int, int]  # (ISO year, ISO week)


def week_of(d: dt.date) -> Week:
    iso = d.isocalendar()
    return iso.year, iso.week


def monday_of(week: Week) -> dt.date:
    return dt.date.fromisocalendar(week[0], week[1], 1)


def weeks_in(start: dt.date, end: dt.date, touching: bool = False) -> list[Week]:
    """Weeks whose Thursday lies in [start, end]; with `touching`, every week overlapping it."""
    if end < start:
        return []
    if touching:
        d, last = start - dt.timedelta(days=start.weekday()), end
    else:
        d, last = start + dt.timedelta(days=(3 - start.weekday()) % 7), end
    weeks = []
    while d <= last:
        weeks.append(week_of(d))
        d += dt.timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class WeekCoverage:
    period: tuple[dt.date, dt.date]
    weeks: list[Week]
    covered: list[Week]
    empty: list[Week]
    outside: int  # dated items that fall in no week of the period

    @property
    def share(self) -> float:
        return len(self.covered) / len(self.weeks) if self.weeks else 0.0


def coverage(dates: Iterable[dt.date], start: dt.date, end: dt.date, touching: bool = False) -> WeekCoverage:
    dates = list(dates)
    weeks = weeks_in(start, end, touching)
    wanted = set(weeks)
    seen = {week_of(d) for d in dates}
    outside = sum(1 for d in dates if week_of(d) not in wanted)
    covered = [w for w in weeks if w in seen]
    return WeekCoverage((start, end), weeks, covered, [w for w in weeks if w not in seen], outside)


def week_label(week: Week) -> str:
    """第5周（2023年1月30日至2月5日） — the ISO year is named when it differs from the Monday's year."""
    monday = monday_of(week)
    sunday = monday + dt.timedelta(days=6)
    tail = f"{sunday.month}月{sunday.day}日" if sunday.year == monday.year else cn_date(sunday)
    prefix = f"{week[0]}年第{week[1]}周" if week[0] != monday.year else f"第{week[1]}周"
    return f"{prefix}（{cn_date(monday)}至{tail}）"
