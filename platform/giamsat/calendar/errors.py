"""Errors of the working-day calendar.

They are :class:`~giamsat.errors.InvalidInput` so the web layer maps them to 422 in its one
place, and ``ValueError`` so plain callers (the CLI, scripts) can treat them as bad values.
"""

from __future__ import annotations

from giamsat.errors import InvalidInput


class CalendarError(InvalidInput, ValueError):
    """Any input the working-day calendar cannot answer for."""

    code = "calendar"


class CalendarYearUnknown(CalendarError):
    """A date falls in a year whose official calendar has not been loaded.

    Deadlines are legal facts: rather than guess the holidays of an unannounced year, the
    calendar refuses, and an admin enters that year's official overrides.
    """

    code = "calendar_year_unknown"

    def __init__(self, year: int, known_years: tuple[int, ...]) -> None:
        super().__init__(
            f"No official working calendar for {year} (known years: {_spans(known_years)}); "
            f"an admin must enter {year}'s official holidays and swapped days first.",
            field="date",
        )
        self.year = year
        self.known_years = known_years


def _spans(years: tuple[int, ...]) -> str:
    """``2020–2026, 2028`` rather than eight numbers."""
    if not years:
        return "none"
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


class InvalidWorkingDays(CalendarError):
    """A clock length that is not a positive whole number of working days."""

    code = "invalid_working_days"


class InvalidCalendarData(CalendarError):
    """Override data that contradicts itself or cannot be read."""

    code = "invalid_calendar_data"
