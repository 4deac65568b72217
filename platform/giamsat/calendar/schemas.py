"""Structs at the calendar's boundary: overrides coming in, due dates and calendar days going out.

Field names stay plain (``date``, ``kind``, ``reason``) because admins' overrides are stored
in the database and shown on pages with exactly these names.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

OverrideKind = Literal["holiday", "working_day"]
"""``holiday``: ngày nghỉ, offices closed; ``working_day``: ngày làm việc (e.g. a swapped Sat)."""

SkipKind = Literal["weekend", "holiday", "override"]
"""Why a day was not counted: the weekly rest, an official holiday, or a committee admin's entry."""


class CalendarOverride(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One day an admin declares a holiday or a working day (điều chỉnh lịch làm việc).

    The platform stores these per deployment and passes them to :class:`WorkingCalendar`; they
    win over both the ``holidays`` package and the shipped official data.
    """

    date: dt.date
    kind: OverrideKind
    reason: str


class OfficialOverride(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One day of the shipped official data, with the decision it comes from."""

    date: dt.date
    kind: OverrideKind
    reason_vi: str
    reason_en: str
    source: str


class OfficialData(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The shipped ``official_overrides.yaml``: checked years with their announcements, and days."""

    years: dict[int, list[str]]
    overrides: list[OfficialOverride]


class SkippedDay(msgspec.Struct, frozen=True):
    """A day the clock did not count, and why (``reason`` Vietnamese, ``reason_en`` English)."""

    date: dt.date
    kind: SkipKind
    reason: str
    reason_en: str


class DueDate(msgspec.Struct, frozen=True):
    """The last day of a working-day clock (hạn cuối) and the non-working days it stepped over."""

    received: dt.date
    days: int
    due: dt.date
    skipped: list[SkippedDay]
    #: Years the clock counted in whose holidays are computed, not yet confirmed (tạm tính).
    provisional_years: tuple[int, ...] = ()


class CalendarDay(msgspec.Struct, frozen=True):
    """A day whose status differs from the plain Mon–Fri rule: a weekday off or a worked weekend."""

    date: dt.date
    working: bool
    reason: str
    reason_en: str
    origin: Literal["holidays", "official", "admin"]
