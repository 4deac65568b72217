"""The official data shipped with the package, and the ``holidays`` package's view of a year.

Both are read once per process: they are immutable facts of the release, not tenant data.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import holidays
import msgspec

from giamsat.calendar.errors import InvalidCalendarData
from giamsat.calendar.schemas import CalendarDay, OfficialData
from giamsat.web.i18n import N_

DATA_FILE = "official_overrides.yaml"
SATURDAY = 5


@cache
def load_official_data() -> OfficialData:
    """Read and check ``official_overrides.yaml`` from the installed package."""
    raw = resources.files("giamsat.calendar").joinpath(DATA_FILE).read_bytes()
    try:
        data = msgspec.yaml.decode(raw, type=OfficialData)
    except msgspec.ValidationError as exc:
        raise InvalidCalendarData(
            N_("%(file)s is malformed: %(error)s"), params={"file": DATA_FILE, "error": str(exc)}
        ) from exc
    seen: set[dt.date] = set()
    for entry in data.overrides:
        if entry.date in seen:
            raise InvalidCalendarData(
                N_("%(file)s lists %(date)s twice."),
                params={"file": DATA_FILE, "date": f"{entry.date:%d/%m/%Y}"},
            )
        if entry.date.year not in data.years:
            raise InvalidCalendarData(
                N_("%(file)s changes %(date)s, but %(year)s is not a checked year."),
                params={
                    "file": DATA_FILE,
                    "date": f"{entry.date:%d/%m/%Y}",
                    "year": entry.date.year,
                },
            )
        seen.add(entry.date)
    return data


@cache
def package_days(year: int) -> tuple[CalendarDay, ...]:
    """Days of ``year`` that the ``holidays`` package marks off (weekdays and weekends) or worked.

    Holidays falling on a weekend are kept too, so that a skipped Sunday that is also mùng 1
    Tết is reported by its name rather than as a plain weekend.
    """
    names_vi = holidays.country_holidays("VN", years=year, language="vi")
    names_en = holidays.country_holidays("VN", years=year, language="en_US")
    days = [
        CalendarDay(
            date=day,
            working=False,
            reason=name,
            reason_en=names_en.get(day, name),
            origin="holidays",
        )
        for day, name in sorted(names_vi.items())
    ]
    # Older package versions have no ``weekend_workdays``; the shipped data covers them.
    worked: set[dt.date] = set(getattr(names_vi, "weekend_workdays", set()))
    days.extend(
        CalendarDay(
            date=day,
            working=True,
            reason="Ngày làm việc bù (hoán đổi)",
            reason_en="Working weekend day (swapped)",
            origin="holidays",
        )
        for day in sorted(worked)
        if day.year == year
    )
    return tuple(days)


def official_days(year: int) -> tuple[CalendarDay, ...]:
    """Days of ``year`` set by the shipped official data."""
    return tuple(
        CalendarDay(
            date=entry.date,
            working=entry.kind == "working_day",
            reason=entry.reason_vi,
            reason_en=entry.reason_en,
            origin="official",
        )
        for entry in load_official_data().overrides
        if entry.date.year == year
    )
