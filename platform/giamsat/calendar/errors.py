"""Errors of the working-day calendar.

They are :class:`~giamsat.errors.InvalidInput` so the web layer maps them to 422 in its one
place, and ``ValueError`` so plain callers (the CLI, scripts) can treat them as bad values.
"""

from __future__ import annotations

from giamsat.errors import InvalidInput


class CalendarError(InvalidInput, ValueError):
    """Any input the working-day calendar cannot answer for."""

    code = "calendar"


class InvalidWorkingDays(CalendarError):
    """A clock length that is not a positive whole number of working days."""

    code = "invalid_working_days"


class InvalidCalendarData(CalendarError):
    """Override data that contradicts itself or cannot be read."""

    code = "invalid_calendar_data"
