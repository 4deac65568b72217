"""Properties of working-day clocks over every shipped year."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from giamsat.calendar import WorkingCalendar

CALENDAR = WorkingCalendar()
# Receipts up to September 2026 with clocks of up to 60 days stay inside the known years.
RECEIPTS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 9, 30))
DAYS = st.integers(min_value=1, max_value=60)


@settings(max_examples=300, deadline=None)
@given(received=RECEIPTS, days=DAYS)
def test_due_date_is_a_working_day_counted_back_to_n(received: dt.date, days: int) -> None:
    # given any receipt and clock length
    # when the due date is computed
    result = CALENDAR.add_working_days(received, days)
    # then it is a working day after the receipt, and counting back gives the clock length
    assert result.due > received
    assert CALENDAR.is_working_day(result.due)
    assert CALENDAR.working_days_between(received, result.due) == days


@settings(max_examples=300, deadline=None)
@given(received=RECEIPTS, days=DAYS)
def test_skipped_days_are_exactly_the_closed_days_in_between(received: dt.date, days: int) -> None:
    # when the due date is computed
    result = CALENDAR.add_working_days(received, days)
    # then the calendar days elapsed are the counted days plus the skipped ones
    assert (result.due - received).days == days + len(result.skipped)
    for skipped in result.skipped:
        assert received < skipped.date < result.due
        assert not CALENDAR.is_working_day(skipped.date)


@settings(max_examples=200, deadline=None)
@given(received=RECEIPTS, days=st.integers(min_value=1, max_value=59))
def test_due_date_is_monotonic_in_days(received: dt.date, days: int) -> None:
    # when one more working day is allowed, then the due date is strictly later
    shorter = CALENDAR.add_working_days(received, days).due
    longer = CALENDAR.add_working_days(received, days + 1).due
    assert longer > shorter
    assert CALENDAR.working_days_between(shorter, longer) == 1


SPANS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2032, 12, 31))


@settings(max_examples=400, deadline=None)
@given(start=SPANS, end=SPANS)
def test_working_days_between_counts_exactly_the_open_days(start: dt.date, end: dt.date) -> None:
    # given any two days, across weekends, holidays, make-up Saturdays and years
    start, end = min(start, end), max(start, end)
    # when the working days between them are counted
    counted = CALENDAR.working_days_between(start, end)
    # then it is the number of days after the start, up to the end, that offices open
    days = (end - start).days
    assert counted == sum(
        CALENDAR.is_working_day(start + dt.timedelta(days=i)) for i in range(1, days + 1)
    )


@settings(max_examples=100, deadline=None)
@given(clocks=st.lists(st.tuples(RECEIPTS, DAYS), min_size=1, max_size=40))
def test_due_dates_of_a_batch_are_those_of_each_clock(clocks: list[tuple[dt.date, int]]) -> None:
    # given a batch of clocks, receipts years apart or on the same day
    # when their due dates are computed together from one index of working days
    due = CALENDAR.due_dates(clocks)
    # then each is the due date of its clock computed alone
    assert due == [CALENDAR.add_working_days(received, days).due for received, days in clocks]


def test_due_dates_far_apart_and_of_no_clock() -> None:
    # given clocks forty years apart (beyond one index), and no clock at all
    clocks = [(dt.date(1990, 1, 2), 20), (dt.date(2030, 2, 1), 30)]
    # when their due dates are computed together
    # then each is its own clock's, and no clock gives no date
    assert CALENDAR.due_dates(clocks) == [CALENDAR.add_working_days(r, d).due for r, d in clocks]
    assert CALENDAR.due_dates([]) == []
