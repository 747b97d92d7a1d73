import datetime as dt

import chinese_calendar
import pytest

from indicators.workdays import add_workdays, calendar_years, is_workday, workdays_between

D = dt.date


@pytest.mark.parametrize(
    ("start", "expected"),
    [  # stack-notes.md §4: 20 工作日 counted from the next day
        (D(2025, 9, 22), D(2025, 10, 24)),  # over 国庆 with the 9-28 and 10-11 make-up days
        (D(2024, 9, 20), D(2024, 10, 23)),
        (D(2026, 1, 30), D(2026, 3, 5)),  # over 春节 with the 2-14 and 2-28 make-up days
    ],
)
def test_add_20_workdays(start, expected):
    deadline = add_workdays(start, 20)
    assert deadline.date == expected
    assert deadline.calendar_covered


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [  # stack-notes.md §4 get_workdays counts both ends; ours excludes a, so start one day earlier
        (D(2024, 9, 24), D(2024, 10, 15), 12),
        (D(2025, 9, 24), D(2025, 10, 15), 11),
        (D(2025, 1, 19), D(2025, 2, 14), 16),
        (D(2026, 2, 9), D(2026, 3, 5), 14),
    ],
)
def test_workdays_between_matches_package_counts(a, b, count):
    assert workdays_between(a, b).count == count
    assert len(chinese_calendar.get_workdays(a + dt.timedelta(days=1), b)) == count


def test_make_up_days_are_workdays_and_in_lieu_days_are_not():
    for day in [D(2025, 9, 28), D(2025, 10, 11), D(2026, 2, 14), D(2026, 2, 28)]:
        assert day.weekday() >= 5
        assert is_workday(day) == (True, True)
    assert is_workday(D(2025, 10, 8)) == (False, True)  # in lieu
    assert is_workday(D(2026, 10, 8)) == (True, True)  # normal Thursday


def test_national_day_20_calendar_days_is_9_workdays():
    # received the day before 国庆, answered 20 calendar days later
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 20)).count == 9


def test_spring_festival_with_make_up_day():
    # 2026-02-14 (Saturday) is a make-up workday, 2-15..2-23 the holiday, 2-28 another make-up day
    assert workdays_between(D(2026, 2, 13), D(2026, 3, 5)).count == 10
    assert add_workdays(D(2026, 2, 13), 1).date == D(2026, 2, 14)


def test_start_day_excluded_and_zero():
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 3)).count == 0
    assert add_workdays(D(2025, 3, 3), 0).date == D(2025, 3, 3)
    assert add_workdays(D(2025, 3, 7), 1).date == D(2025, 3, 10)  # Friday -> Monday
    assert workdays_between(D(2025, 3, 10), D(2025, 3, 7)).count == -1


def test_uncovered_year_falls_back_to_weekends_and_says_so():
    first, last = calendar_years()
    assert first <= 2004 and last >= 2026
    result = add_workdays(D(2027, 9, 30), 20)
    assert not result.calendar_covered
    assert result.date == D(2027, 10, 28)  # weekends only: 4 weeks of Mon-Fri
    assert not workdays_between(D(2026, 12, 28), D(2027, 1, 5)).calendar_covered
    assert workdays_between(D(2026, 12, 1), D(2026, 12, 31)).calendar_covered
