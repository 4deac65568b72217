"""Admins' official overrides of the working calendar, stored in the database.

The calendar package itself is pure; this module keeps the overrides an admin enters for a year
(ngày nghỉ, ngày làm bù announced by the Government), the years an admin confirmed, and builds
the :class:`WorkingCalendar` every clock of the platform uses. They belong to the whole
deployment, not to one committee, so the tables have no tenant path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec
from piccolo.columns import Date, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.calendar import CalendarOverride, OverrideKind, WorkingCalendar
from giamsat.calendar.errors import InvalidCalendarData
from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, NotFound
from giamsat.web.i18n import N_

#: Years an admin may enter, so that a typing slip (20255) is refused with a reason.
MIN_YEAR, MAX_YEAR = 2000, 2100


class CalendarOverrideEntry(Table, tablename="calendar_override"):
    """One day an admin declared a holiday or a working day, with the announcement it follows."""

    id: Serial  # piccolo adds it; declared for the type checker

    day = Date(unique=True, index=True)
    kind = Varchar(length=12)
    reason = Varchar(length=255)
    entered_by = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class CalendarYearConfirmation(Table, tablename="calendar_year_confirmation"):
    """A year whose official announcement an administrator entered and confirmed."""

    id: Serial  # piccolo adds it; declared for the type checker

    year = Integer(unique=True, index=True)
    source = Varchar(length=400)
    confirmed_by = Integer(null=True, default=None)
    confirmed_at = Timestamptz(default=TimestamptzNow())


class CalendarReminder(Table, tablename="calendar_reminder"):
    """A committee reminded to confirm a year (``key`` is ``year:committee id``): once each."""

    id: Serial  # piccolo adds it; declared for the type checker

    key = Varchar(length=40, unique=True)
    year = Integer()
    committee = Integer()
    sent_at = Timestamptz(default=TimestamptzNow())


TABLES = [CalendarOverrideEntry, CalendarYearConfirmation, CalendarReminder]


class OverrideView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    date: dt.date
    kind: str
    reason: str


class OverrideCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    date: dt.date
    kind: OverrideKind
    reason: str


async def list_overrides(year: int | None = None) -> list[OverrideView]:
    """Every stored override (of ``year`` when given), in date order."""
    query = CalendarOverrideEntry.select().order_by(CalendarOverrideEntry.day)
    if year is not None:
        query = query.where(
            (CalendarOverrideEntry.day >= dt.date(year, 1, 1))
            & (CalendarOverrideEntry.day <= dt.date(year, 12, 31))
        )
    rows = await query
    return [
        OverrideView(id=r["id"], date=r["day"], kind=r["kind"], reason=r["reason"]) for r in rows
    ]


#: The stored overrides and the confirmed years in one round trip (every page with a clock reads
#: them): an override's row has a day, a confirmation's a year.
_CALENDAR_ROWS = (
    "SELECT day, kind, reason, NULL AS year FROM calendar_override "
    "UNION ALL SELECT NULL, NULL, NULL, year FROM calendar_year_confirmation"
)


def _day(value: object) -> dt.date:
    # SQLite answers a date of a UNION as its text; PostgreSQL as a date
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


async def working_calendar(extra: Iterable[CalendarOverride] = ()) -> WorkingCalendar:
    """The one calendar of the deployment: the shipped data with every stored override.

    ``extra`` entries (an operator trying a year's announcement from a file) win over the
    stored ones for the same day. Read in the caller's scope.
    """
    rows = await CalendarOverrideEntry.raw(_CALENDAR_ROWS)
    entries = {
        _day(r["day"]): CalendarOverride(date=_day(r["day"]), kind=r["kind"], reason=r["reason"])
        for r in rows
        if r["day"] is not None
    }
    entries.update((o.date, o) for o in extra)
    confirmed = [int(r["year"]) for r in rows if r["year"] is not None]
    return WorkingCalendar(entries.values(), confirmed_years=confirmed)


async def add_override(entry: OverrideCreate, *, entered_by: int | None = None) -> OverrideView:
    """Store one override after checking it; the same day twice is a conflict."""
    reason = entry.reason.strip()
    if not reason:
        raise InvalidCalendarData(
            N_("The change of %(date)s needs a reason."), params={"date": f"{entry.date:%d/%m/%Y}"}
        )
    if not MIN_YEAR <= entry.date.year <= MAX_YEAR:
        raise InvalidCalendarData(
            N_("The change of %(date)s: the year must be between %(first)s and %(last)s."),
            params={"date": f"{entry.date:%d/%m/%Y}", "first": MIN_YEAR, "last": MAX_YEAR},
        )
    async with system_scope():
        exists = await CalendarOverrideEntry.exists().where(CalendarOverrideEntry.day == entry.date)
        if exists:
            raise Conflict(
                N_("%(date)s is already changed in the calendar: remove that change first."),
                field="date",
                params={"date": f"{entry.date:%d/%m/%Y}"},
            )
        row = CalendarOverrideEntry(
            day=entry.date, kind=entry.kind, reason=reason, entered_by=entered_by
        )
        await row.save()
        await _recompute(entry.date.year, reason)
    return OverrideView(id=row.id, date=entry.date, kind=entry.kind, reason=reason)


async def remove_override(override_id: int) -> None:
    async with system_scope():
        row = (
            await CalendarOverrideEntry.select()
            .where(CalendarOverrideEntry.id == override_id)
            .first()
        )
        if row is None:
            raise NotFound(N_("This calendar change does not exist (it may have been removed)."))
        await CalendarOverrideEntry.delete().where(CalendarOverrideEntry.id == override_id)
        await _recompute(row["day"].year, f"bỏ điều chỉnh ngày {row['day']:%d/%m/%Y}")


async def _recompute(year: int, why: str) -> None:
    """Move the open clocks the changed day reaches, in the same scope as the change."""
    from giamsat.cases.deadlines import recompute_clocks  # cases build on the calendar

    await recompute_clocks(year, await working_calendar(), why, confirmed=False)
