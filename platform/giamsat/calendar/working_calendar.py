"""Working-day clocks on the official public-sector calendar (lịch làm việc của cơ quan nhà nước).

A day is a working day when it is Monday–Friday, unless one of three layers says otherwise;
each later layer wins over the earlier ones:

1. the ``holidays`` package: statutory holidays, compensatory days off (nghỉ bù), and the
   Saturdays it knows were worked by swap (``weekend_workdays``);
2. the shipped ``official_overrides.yaml``: the announcements the package lacks;
3. the committee admins' :class:`CalendarOverride` entries, stored by the platform.

Every year has a calendar. A year whose official announcements have not been checked (neither
shipped nor confirmed by an administrator) is computed from the package alone and is
*provisional*: a due date that rests on such a year says so, and is recomputed when the year is
confirmed. A deadline is never refused for want of a calendar.

Counting follows Civil Code 2015 art. 147: a period counted in days starts on the day after
the event, so the day of receipt is never counted.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from giamsat.calendar.errors import CalendarError, InvalidCalendarData, InvalidWorkingDays
from giamsat.calendar.official import load_official_data, official_days, package_days
from giamsat.calendar.schemas import (
    CalendarDay,
    CalendarOverride,
    DueDate,
    SkipKind,
    SkippedDay,
)
from giamsat.web.i18n import N_

STANDARD_ANSWER_DAYS = 20
"""Days a party committee has to answer the Front's report (seed 003 §II.4)."""
COMPLEX_ANSWER_DAYS = 30
"""The same clock when the case is flagged complex (vụ việc phức tạp)."""

_ONE_DAY = dt.timedelta(days=1)
#: Days one :meth:`WorkingCalendar.due_dates` index may span (beyond, clocks go one by one).
_INDEX_SPAN = 4_000
_WEEKDAY_NAMES = (
    ("Thứ Hai", "Monday"),
    ("Thứ Ba", "Tuesday"),
    ("Thứ Tư", "Wednesday"),
    ("Thứ Năm", "Thursday"),
    ("Thứ Sáu", "Friday"),
    ("Thứ Bảy", "Saturday"),
    ("Chủ nhật", "Sunday"),
)


def weekday_name(day: dt.date) -> tuple[str, str]:
    """The day of the week in Vietnamese and English."""
    return _WEEKDAY_NAMES[day.weekday()]


def provisional_note(years: Iterable[int]) -> tuple[str, str]:
    """What a due date resting on provisional years says, in Vietnamese and English."""
    listed = ", ".join(str(y) for y in sorted(set(years)))
    return (
        f"Lịch nghỉ năm {listed} chưa được xác nhận: hạn này là tạm tính.",
        f"The {listed} holiday calendar is not confirmed yet: this due date is provisional.",
    )


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def _weekdays_after(start: dt.date, end: dt.date) -> int:
    """Mondays to Fridays after ``start`` up to and including ``end``."""
    weeks, rest = divmod((end - start).days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for i in range(1, rest + 1) if (first + i) % 7 < 5)


def _admin_days(overrides: Iterable[CalendarOverride]) -> dict[dt.date, CalendarDay]:
    days: dict[dt.date, CalendarDay] = {}
    for entry in overrides:
        if entry.kind not in ("holiday", "working_day"):
            raise InvalidCalendarData(
                N_("The change of %(date)s must make it a holiday or a working day."),
                params={"date": f"{entry.date:%d/%m/%Y}"},
            )
        if not entry.reason.strip():
            raise InvalidCalendarData(
                N_("The change of %(date)s needs a reason."),
                params={"date": f"{entry.date:%d/%m/%Y}"},
            )
        if entry.date in days:
            raise InvalidCalendarData(
                N_("%(date)s is changed twice."), params={"date": f"{entry.date:%d/%m/%Y}"}
            )
        days[entry.date] = CalendarDay(
            date=entry.date,
            working=entry.kind == "working_day",
            reason=entry.reason.strip(),
            reason_en=entry.reason.strip(),
            origin="admin",
        )
    return days


class WorkingCalendar:
    """The official working calendar of a deployment, with its admins' overrides.

    Pure and cheap to build: the platform builds one per request (or caches it until an
    admin edits the overrides) from the overrides it stores.
    """

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        *,
        confirmed_years: Iterable[int] = (),
    ) -> None:
        """Build the calendar.

        ``confirmed_years`` are the years an administrator confirmed (their announcements
        entered as overrides, or none needed); with the shipped checked years they are the
        years that are not provisional.
        """
        self._admin = _admin_days(overrides)
        years = set(load_official_data().years) | set(confirmed_years)
        self._confirmed_years = tuple(sorted(years))
        self._years: dict[int, dict[dt.date, CalendarDay]] = {}

    @property
    def confirmed_years(self) -> tuple[int, ...]:
        """Years whose official announcements are checked, ascending."""
        return self._confirmed_years

    def is_provisional(self, year: int) -> bool:
        """Whether ``year`` is computed from the ``holidays`` package only, not yet confirmed."""
        return year not in self._confirmed_years

    def provisional_years(self, start: dt.date, end: dt.date) -> tuple[int, ...]:
        """The provisional years a clock from ``start`` (not counted) to ``end`` counts in."""
        first = (start + _ONE_DAY).year
        return tuple(y for y in range(first, end.year + 1) if self.is_provisional(y))

    def is_working_day(self, day: dt.date) -> bool:
        """Whether public offices work on ``day``."""
        entry = self._year(day.year).get(day)
        if entry is not None:
            return entry.working
        return not _is_weekend(day)

    def add_working_days(self, received: dt.date, days: int) -> DueDate:
        """The due date ``days`` working days after ``received`` (receipt day not counted)."""
        _check_days(days)
        current, counted = received, 0
        skipped: list[SkippedDay] = []
        while counted < days:
            current += _ONE_DAY
            if self.is_working_day(current):
                counted += 1
            else:
                skipped.append(self._why_closed(current))
        return DueDate(
            received=received,
            days=days,
            due=current,
            skipped=skipped,
            provisional_years=self.provisional_years(received, current),
        )

    def due_dates(self, clocks: Sequence[tuple[dt.date, int]]) -> list[dt.date]:
        """``add_working_days(received, days).due`` of every ``(received, days)`` clock, from
        one index of the working days the clocks span (built once: a batch of a thousand clocks
        asks each day once, not each clock each of its days)."""
        if not clocks:
            return []
        for _, days in clocks:
            _check_days(days)
        first = min(received for received, _ in clocks)
        last = max(received for received, _ in clocks)
        longest = max(days for _, days in clocks)
        # a week holds at least one working day even around Tết (the longest break is 9 days)
        end = last + dt.timedelta(days=longest * 7 + 14)
        if (end - first).days > _INDEX_SPAN:  # clocks years apart: one at a time
            return [self.add_working_days(received, days).due for received, days in clocks]
        index: list[int] = []
        day = first
        while day < end:
            day += _ONE_DAY
            if self.is_working_day(day):
                index.append(day.toordinal())
        due: list[dt.date] = []
        for received, days in clocks:
            at = bisect_right(index, received.toordinal()) + days - 1
            due.append(dt.date.fromordinal(index[at]) if at < len(index)
                       else self.add_working_days(received, days).due)  # fmt: skip
        return due

    def answer_deadline(self, received: dt.date, *, complex_case: bool = False) -> DueDate:
        """The party committee's answer clock: 20 working days, 30 for a complex case."""
        days = COMPLEX_ANSWER_DAYS if complex_case else STANDARD_ANSWER_DAYS
        return self.add_working_days(received, days)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when they are equal)."""
        if end < start:
            raise CalendarError(
                N_("The end date %(end)s is before the start date %(start)s."),
                field="end",
                params={"end": f"{end:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"},
            )
        # Mon–Fri by arithmetic, then each year's exceptions inside the range: the cost grows
        # with the years spanned, not the days (a case years overdue is counted as fast).
        count = _weekdays_after(start, end)
        for year in range(start.year, end.year + 1):
            for day, entry in self._year(year).items():
                if start < day <= end:
                    count += int(entry.working) - int(not _is_weekend(day))
        return count

    def year_days(self, year: int) -> list[CalendarDay]:
        """The year's weekdays off and worked weekend days, in date order."""
        return [
            entry
            for entry in sorted(self._year(year).values(), key=lambda item: item.date)
            if entry.working == _is_weekend(entry.date)
        ]

    def _why_closed(self, day: dt.date) -> SkippedDay:
        entry = self._year(day.year).get(day)
        if entry is not None and not entry.working:
            kind: SkipKind = "override" if entry.origin == "admin" else "holiday"
            return SkippedDay(day, kind, entry.reason, entry.reason_en)
        name_vi, name_en = weekday_name(day)
        return SkippedDay(day, "weekend", f"Nghỉ cuối tuần ({name_vi})", f"Weekend ({name_en})")

    def _year(self, year: int) -> dict[dt.date, CalendarDay]:
        """The year's exceptions to Mon–Fri, built on first use."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        days = {entry.date: entry for entry in package_days(year)}
        days.update((entry.date, entry) for entry in official_days(year))
        days.update((day, entry) for day, entry in self._admin.items() if day.year == year)
        self._years[year] = days
        return days


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidWorkingDays(
            N_("The number of working days must be a whole number."), field="days"
        )
    if days <= 0:
        raise InvalidWorkingDays(
            N_("The number of working days must be at least 1, not %(days)s."),
            field="days",
            params={"days": days},
        )
