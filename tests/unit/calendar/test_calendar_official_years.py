"""The calendar against the government's announced calendars, 2022–2026."""

from __future__ import annotations

import datetime as dt

import pytest
from official_facts import WEEKDAYS_OFF, WORKING_WEEKENDS, YEARS, reference_due

from giamsat.calendar import WorkingCalendar, load_official_data
from giamsat.calendar.official import package_days

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize("year", YEARS)
def test_year_matches_the_announced_calendar(calendar: WorkingCalendar, year: int) -> None:
    # given the announced weekdays off and swapped Saturdays of the year
    # when the calendar lists the year's exceptions to Mon–Fri
    days = calendar.year_days(year)
    # then they are exactly the announced ones
    assert {d.date for d in days if not d.working} == WEEKDAYS_OFF[year]
    assert {d.date for d in days if d.working} == WORKING_WEEKENDS[year]


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_agrees_with_the_facts(calendar: WorkingCalendar, year: int) -> None:
    # given every day of the year
    day, end = D(year, 1, 1), D(year, 12, 31)
    mismatches = []
    while day <= end:
        # when the calendar classifies it
        official = (day.weekday() < 5 and day not in WEEKDAYS_OFF[year]) or (
            day in WORKING_WEEKENDS[year]
        )
        if calendar.is_working_day(day) != official:
            mismatches.append(day)
        day += dt.timedelta(days=1)
    # then no day disagrees with the announcements
    assert mismatches == []


@pytest.mark.parametrize("year", YEARS)
def test_package_disagreements_are_all_corrected_by_shipped_data(year: int) -> None:
    # given the days the holidays package alone marks as exceptions to Mon–Fri
    package = package_days(year)
    package_off = {d.date for d in package if not d.working and d.date.weekday() < 5}
    package_worked = {d.date for d in package if d.working and d.date.weekday() >= 5}
    # when they are compared with the announced calendar
    disagreements = (package_off ^ WEEKDAYS_OFF[year]) | (package_worked ^ WORKING_WEEKENDS[year])
    # then each disagreement is a day the shipped official overrides set
    shipped = {entry.date for entry in load_official_data().overrides}
    assert disagreements <= shipped


def test_shipped_data_names_its_sources() -> None:
    # given the shipped official data
    data = load_official_data()
    # then each override has reasons in both languages and a source, and swaps are Saturdays
    for entry in data.overrides:
        assert entry.reason_vi.strip()
        assert entry.reason_en.strip()
        assert entry.source.strip()
        if entry.kind == "working_day":
            assert entry.date.weekday() == 5, entry
    assert all(sources for sources in data.years.values())
    assert set(YEARS) <= set(data.years)


# (received, working days, due, what the case crosses)
DUE_CASES = [
    (D(2021, 12, 31), 1, D(2022, 1, 4), "New Year 2022 on Saturday, compensatory Monday"),
    (D(2022, 1, 28), 5, D(2022, 2, 11), "Tết Nhâm Dần 2022, nine days off"),
    (D(2022, 4, 29), 3, D(2022, 5, 6), "30/4–1/5 2022 on a weekend, two compensatory days"),
    (D(2022, 4, 8), 1, D(2022, 4, 12), "Giỗ Tổ 2022 on Sunday, compensatory Monday"),
    (D(2023, 1, 19), 1, D(2023, 1, 27), "Tết Quý Mão 2023"),
    (D(2023, 4, 28), 2, D(2023, 5, 5), "Giỗ Tổ on Saturday + 30/4 on Sunday 2023"),
    (D(2023, 8, 31), 1, D(2023, 9, 5), "Quốc khánh 2023 on Saturday, compensatory Monday"),
    (D(2024, 2, 7), 1, D(2024, 2, 15), "Tết Giáp Thìn 2024"),
    (D(2024, 4, 26), 1, D(2024, 5, 2), "30/4 2024 with Monday 29/4 swapped"),
    (D(2024, 4, 26), 3, D(2024, 5, 4), "Saturday 4/5/2024 worked by swap"),
    (D(2025, 1, 20), 20, D(2025, 2, 24), "Tết Ất Tỵ 2025, standard clock"),
    (D(2025, 1, 20), 30, D(2025, 3, 10), "Tết Ất Tỵ 2025, complex-case clock"),
    (D(2025, 4, 25), 1, D(2025, 4, 26), "Saturday 26/4/2025 worked by swap"),
    (D(2025, 4, 29), 1, D(2025, 5, 5), "30/4 2025 with Friday 2/5 swapped"),
    (D(2025, 12, 31), 1, D(2026, 1, 5), "New Year 2026 with Friday 2/1 swapped"),
    (D(2026, 1, 9), 1, D(2026, 1, 10), "Saturday 10/1/2026 worked by swap"),
    (D(2026, 2, 13), 5, D(2026, 2, 27), "Tết Bính Ngọ 2026, nine days off"),
    (D(2026, 2, 9), 20, D(2026, 3, 16), "Tết Bính Ngọ 2026, standard clock"),
    (D(2026, 2, 9), 30, D(2026, 3, 30), "Tết Bính Ngọ 2026, complex-case clock"),
    (D(2026, 8, 21), 1, D(2026, 8, 22), "Saturday 22/8/2026 worked by swap"),
    (D(2026, 8, 28), 1, D(2026, 9, 3), "Quốc khánh 2026 with Monday 31/8 swapped"),
]


@pytest.mark.parametrize(
    ("received", "days", "due", "crossing"), DUE_CASES, ids=[case[3] for case in DUE_CASES]
)
def test_due_dates_across_official_breaks(
    calendar: WorkingCalendar, received: dt.date, days: int, due: dt.date, crossing: str
) -> None:
    # given a receipt date just before an official break
    # when the clock runs for the given number of working days
    result = calendar.add_working_days(received, days)
    # then it ends on the announced-calendar due date, which a count from the facts confirms
    assert result.due == due, crossing
    if received.year in WEEKDAYS_OFF:
        assert reference_due(received, days) == due


def test_counting_mon_to_fri_alone_would_be_wrong(calendar: WorkingCalendar) -> None:
    # given the example of the issue: received 2025-01-20, 20 working days
    received = D(2025, 1, 20)
    naive, counted = received, 0
    while counted < 20:
        naive += dt.timedelta(days=1)
        counted += naive.weekday() < 5
    # when the calendar computes the due date
    result = calendar.answer_deadline(received)
    # then Tết pushes it a week past the Mon–Fri count
    assert naive == D(2025, 2, 17)
    assert result.due == D(2025, 2, 24)
    assert calendar.answer_deadline(received, complex_case=True).due == D(2025, 3, 10)


def test_skipped_days_name_tet_and_weekends(calendar: WorkingCalendar) -> None:
    # given a receipt the Friday before Tết 2025
    # when one working day is counted
    result = calendar.add_working_days(D(2025, 1, 24), 1)
    # then every skipped day is listed with its reason, Tết days by name
    assert result.due == D(2025, 2, 3)
    assert [s.date for s in result.skipped] == [D(2025, 1, 25) + dt.timedelta(n) for n in range(9)]
    kinds = {s.date: s.kind for s in result.skipped}
    assert kinds[D(2025, 1, 25)] == "weekend"
    assert kinds[D(2025, 1, 29)] == "holiday"
    tet = next(s for s in result.skipped if s.date == D(2025, 1, 29))
    assert "Tết" in tet.reason
    assert "Lunar New Year" in tet.reason_en
    eve = next(s for s in result.skipped if s.date == D(2025, 1, 27))
    assert eve.reason.startswith("28 tháng Chạp")
