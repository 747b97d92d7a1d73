"""Chinese working-day arithmetic (statutory holidays and 调休 make-up workdays).

The calendar data is `chinese_calendar` (1.11.0 covers 2004-2026; domain-rules.md §6.2). For a
year it does not cover we fall back to weekends-only counting and say so in the result
(`calendar_covered=False` -> Flag.out_of_calendar): a deadline is never guessed silently.

Counting convention (domain-rules.md §2.2, UNCONFIRMED for the 条例): the start day itself does not
count; the first working day is the next working day after it (民事诉讼法 第八十五条 style).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, the calendar covers this date)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:  # year outside the package's data
        return day.weekday() < 5, False


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    calendar_covered: bool


@dataclass(frozen=True)
class WorkdayCount:
    count: int
    calendar_covered: bool


def add_workdays(start: dt.date, n: int) -> Deadline:
    """The n-th working day after `start` (start excluded); n=0 returns start unchanged."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day, covered, left = start, True, n
    while left:
        day += _ONE_DAY
        work, ok = is_workday(day)
        covered &= ok
        left -= work
    return Deadline(day, covered)


def workdays_between(a: dt.date, b: dt.date) -> WorkdayCount:
    """Working days in (a, b]: a excluded, b included. `b` is then "the n-th working day" after a.

    Negative when b < a (the count of (b, a], negated).
    """
    if b < a:
        back = workdays_between(b, a)
        return WorkdayCount(-back.count, back.calendar_covered)
    count, covered, day = 0, True, a
    while day < b:
        day += _ONE_DAY
        work, ok = is_workday(day)
        covered &= ok
        count += work
    return WorkdayCount(count, covered)


def calendar_years() -> tuple[int, int]:
    """The first and last year the installed calendar data covers."""
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)
