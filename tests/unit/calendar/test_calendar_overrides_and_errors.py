"""Admins' overrides, known years, and every bad input of the working calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.calendar import (
    CalendarError,
    CalendarOverride,
    InvalidCalendarData,
    InvalidWorkingDays,
    WorkingCalendar,
    provisional_note,
)
from giamsat.errors import InvalidInput

D = dt.date
RECEIVED = D(2025, 1, 20)


def test_an_admin_holiday_moves_the_due_date_later() -> None:
    # given the official calendar and one with an extra local day off on Wed 5/2/2025
    official = WorkingCalendar()
    override = CalendarOverride(D(2025, 2, 5), "holiday", "Nghỉ theo quyết định của thành phố")
    adjusted = WorkingCalendar([override])
    # when both count 20 working days from the same receipt
    before = official.add_working_days(RECEIVED, 20)
    after = adjusted.add_working_days(RECEIVED, 20)
    # then the due date moves one working day later and the day is reported as an override
    assert before.due == D(2025, 2, 24)
    assert after.due == D(2025, 2, 25)
    skipped = {s.date: s for s in after.skipped}
    assert skipped[D(2025, 2, 5)].kind == "override"
    assert skipped[D(2025, 2, 5)].reason == "Nghỉ theo quyết định của thành phố"
    assert not adjusted.is_working_day(D(2025, 2, 5))


def test_an_admin_working_saturday_moves_the_due_date_earlier() -> None:
    # given a Saturday declared a working day by swap
    override = CalendarOverride(D(2025, 2, 8), "working_day", "Làm bù")
    adjusted = WorkingCalendar([override])
    # when 20 working days are counted
    result = adjusted.add_working_days(RECEIVED, 20)
    # then the Saturday counts and the due date comes one working day earlier
    assert adjusted.is_working_day(D(2025, 2, 8))
    assert result.due == D(2025, 2, 21)
    assert D(2025, 2, 8) not in {s.date for s in result.skipped}


def test_an_admin_can_cancel_an_official_day_off() -> None:
    # given an admin marking Vietnam Culture Day 2026 as a working day
    override = CalendarOverride(D(2026, 11, 24), "working_day", "Chưa áp dụng cho cơ quan")
    # when the year is listed
    days = WorkingCalendar([override]).year_days(2026)
    # then 24/11 is no longer an exception to Mon–Fri, while the official calendar keeps it
    assert D(2026, 11, 24) not in {d.date for d in days}
    assert not WorkingCalendar().is_working_day(D(2026, 11, 24))


def test_an_unchecked_year_is_computed_from_the_package_and_provisional() -> None:
    # given 2027, which the shipped data has not checked
    calendar = WorkingCalendar()
    # when a day of it is asked about, then the package's holidays answer
    assert not calendar.is_working_day(D(2027, 2, 8))  # mùng 3 Tết per the package
    assert calendar.is_working_day(D(2027, 3, 1))
    # and the year is provisional while 2026 is not
    assert calendar.is_provisional(2027)
    assert not calendar.is_provisional(2026)


def test_admin_overrides_of_an_unchecked_year_apply_and_it_stays_provisional() -> None:
    # given an admin day off in 2027 without a confirmation of the year
    override = CalendarOverride(D(2027, 2, 11), "holiday", "Nghỉ Tết Đinh Mùi (hoán đổi)")
    calendar = WorkingCalendar([override])
    # then the day is off, and the year is still provisional until it is confirmed
    assert not calendar.is_working_day(D(2027, 2, 11))
    assert calendar.is_provisional(2027)


def test_confirmed_years_are_not_provisional() -> None:
    # given an admin confirming 2027 as the package computes it
    calendar = WorkingCalendar(confirmed_years=[2027])
    # when a 2026 receipt runs into 2027
    result = calendar.add_working_days(D(2026, 12, 28), 5)
    # then it counts through New Year 2027 (Friday 1/1 off) and rests on no provisional year
    assert result.due == D(2027, 1, 5)
    assert result.provisional_years == ()
    assert 2027 in calendar.confirmed_years


def test_a_clock_running_into_an_unchecked_year_is_set_and_marked_provisional() -> None:
    # given the shipped calendar, whose last checked year is 2026
    calendar = WorkingCalendar()
    # when a clock started in December 2026 ends in 2027
    result = calendar.add_working_days(D(2026, 12, 20), 20)
    # then it has a due date past New Year 2027, and says which year is provisional
    assert result.due == D(2027, 1, 18)
    assert D(2027, 1, 1) in {s.date for s in result.skipped}
    assert result.provisional_years == (2027,)
    # and a clock wholly inside a checked year rests on nothing provisional
    assert calendar.add_working_days(D(2026, 3, 2), 20).provisional_years == ()


@pytest.mark.parametrize("day", [D(2019, 6, 3), D(1995, 6, 1), D(2027, 1, 4), D(2100, 1, 1)])
def test_dates_outside_checked_years_still_get_a_clock(day: dt.date) -> None:
    # given the shipped calendar
    calendar = WorkingCalendar()
    # when a clock starts on a day outside 2020–2026
    result = calendar.add_working_days(day, 30)
    # then it is set, and provisional for the years it counts in
    assert result.due > day
    assert result.provisional_years
    assert set(result.provisional_years) <= {day.year, result.due.year}


def test_the_provisional_note_names_the_years() -> None:
    vi, en = provisional_note([2028, 2027])
    assert "Lịch nghỉ năm 2027, 2028 chưa được xác nhận" in vi
    assert "2027, 2028" in en and "provisional" in en


@pytest.mark.parametrize("days", [0, -1, -20])
def test_non_positive_days_are_refused(days: int) -> None:
    # when a clock of zero or fewer days is asked for, then the error says so
    with pytest.raises(InvalidWorkingDays, match="at least 1"):
        WorkingCalendar().add_working_days(RECEIVED, days)


@pytest.mark.parametrize("days", [True, 2.5, "20"])
def test_non_integer_days_are_refused(days: object) -> None:
    # when the number of days is not a whole number, then the error says so
    with pytest.raises(InvalidWorkingDays, match="whole number"):
        WorkingCalendar().add_working_days(RECEIVED, days)  # type: ignore[arg-type]


def test_calendar_errors_are_value_errors_and_platform_input_errors() -> None:
    # given each calendar error, then callers can catch it as ValueError or as InvalidInput
    for error in (InvalidWorkingDays, InvalidCalendarData):
        assert issubclass(error, CalendarError)
        assert issubclass(error, ValueError)
        assert issubclass(error, InvalidInput)


def test_working_days_between_refuses_reversed_dates() -> None:
    # when the end is before the start, then the error names both dates
    with pytest.raises(CalendarError, match="before"):
        WorkingCalendar().working_days_between(D(2025, 3, 1), D(2025, 2, 1))


def test_working_days_between_skips_tet() -> None:
    # given a span that contains Tết 2025, then only its working days count
    calendar = WorkingCalendar()
    assert calendar.working_days_between(RECEIVED, D(2025, 2, 24)) == 20
    assert calendar.working_days_between(RECEIVED, RECEIVED) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ([CalendarOverride(D(2025, 2, 5), "holiday", "  ")], "05/02/2025 needs a reason"),
        (
            [
                CalendarOverride(D(2025, 2, 5), "holiday", "a"),
                CalendarOverride(D(2025, 2, 5), "working_day", "b"),
            ],
            "twice",
        ),
        ([CalendarOverride(D(2025, 2, 5), "closed", "a")], "a holiday or a working day"),  # type: ignore[arg-type]
    ],
)
def test_bad_admin_overrides_are_refused(overrides: list[CalendarOverride], message: str) -> None:
    # when the calendar is built from contradictory or incomplete overrides, then it refuses
    with pytest.raises(InvalidCalendarData, match=message):
        WorkingCalendar(overrides)
