"""Official Vietnamese public-sector working calendar and deadline clocks (hạn xử lý).

Pure Python, no database: the platform passes in the admins' overrides it stores.
"""

from __future__ import annotations

from giamsat.calendar.errors import (
    CalendarError,
    InvalidCalendarData,
    InvalidWorkingDays,
)
from giamsat.calendar.official import load_official_data
from giamsat.calendar.schemas import (
    CalendarDay,
    CalendarOverride,
    DueDate,
    OfficialOverride,
    OverrideKind,
    SkippedDay,
)
from giamsat.calendar.working_calendar import (
    COMPLEX_ANSWER_DAYS,
    STANDARD_ANSWER_DAYS,
    WorkingCalendar,
    provisional_note,
)

__all__ = [
    "COMPLEX_ANSWER_DAYS",
    "STANDARD_ANSWER_DAYS",
    "CalendarDay",
    "CalendarError",
    "CalendarOverride",
    "DueDate",
    "InvalidCalendarData",
    "InvalidWorkingDays",
    "OfficialOverride",
    "OverrideKind",
    "SkippedDay",
    "WorkingCalendar",
    "load_official_data",
    "provisional_note",
]
