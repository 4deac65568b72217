"""Confirming a year's official calendar (xác nhận lịch nghỉ của năm).

A year the shipped data has not checked is computed from the ``holidays`` package and is
provisional. When the Government's announcement is out, an administrator confirms the year: the
swapped working days and the extra days off it names become stored overrides, the year stops
being provisional, and every open clock that counts in that year is recomputed (each moved or
confirmed due date gets a history entry on its case). All of it commits together or not at all.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.calendar.errors import InvalidCalendarData
from giamsat.calendar.official import load_official_data
from giamsat.calendar.overrides_store import (
    MAX_YEAR,
    MIN_YEAR,
    CalendarOverrideEntry,
    CalendarYearConfirmation,
    working_calendar,
)
from giamsat.db.scope import system_scope
from giamsat.web.i18n import N_


class ConfirmedDay(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One day of the announcement; without a reason the announcement itself is the reason."""

    date: dt.date
    reason: str = ""


class YearConfirmation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What the administrator enters: the announcement and the days it changes.

    ``days_off`` are weekdays offices close (e.g. a Tết day swapped off); ``working_days`` are
    weekend days worked in exchange. A year whose announcement changes nothing the package
    computes is confirmed with both lists empty.
    """

    year: int
    source: str
    days_off: list[ConfirmedDay] = msgspec.field(default_factory=list)
    working_days: list[ConfirmedDay] = msgspec.field(default_factory=list)


class YearStatus(msgspec.Struct, frozen=True, kw_only=True):
    """Whether a year's calendar is confirmed, and by what."""

    year: int
    provisional: bool
    sources: list[str]
    confirmed_at: dt.datetime | None = None


class ConfirmationResult(msgspec.Struct, frozen=True, kw_only=True):
    """What a confirmation did: the days stored and the open clocks it recomputed."""

    year: int
    source: str
    days_stored: int
    clocks_recomputed: int
    due_dates_moved: int


def _checked(data: YearConfirmation) -> list[tuple[dt.date, str, str]]:
    """(day, kind, reason) of every entered day, or a refusal naming each contradiction."""
    source = data.source.strip()
    if not source:
        raise InvalidCalendarData(
            N_("Name the announcement the confirmation follows."),
            field="source",
        )
    if not MIN_YEAR <= data.year <= MAX_YEAR:
        raise InvalidCalendarData(
            N_("The year must be between %(first)s and %(last)s, not %(year)s."),
            field="year",
            params={"first": MIN_YEAR, "last": MAX_YEAR, "year": data.year},
        )
    off = [d.date for d in data.days_off]
    worked = [d.date for d in data.working_days]
    both = sorted(set(off) & set(worked))
    if both:
        listed = ", ".join(f"{d:%d/%m/%Y}" for d in both)
        raise InvalidCalendarData(
            N_("A day cannot be both a day off and a working day: %(days)s."),
            field="days_off",
            params={"days": listed},
        )
    for days in (off, worked):
        twice = sorted({d for d in days if days.count(d) > 1})
        if twice:
            raise InvalidCalendarData(
                N_("Entered twice: %(days)s."),
                field="days_off",
                params={"days": ", ".join(f"{d:%d/%m/%Y}" for d in twice)},
            )
    outside = sorted(d for d in (*off, *worked) if d.year != data.year)
    if outside:
        raise InvalidCalendarData(
            N_("Not in %(year)s: %(days)s."),
            field="days_off",
            params={"year": data.year, "days": ", ".join(f"{d:%d/%m/%Y}" for d in outside)},
        )
    return [
        *((d.date, "holiday", d.reason.strip() or source) for d in data.days_off),
        *((d.date, "working_day", d.reason.strip() or source) for d in data.working_days),
    ]


async def confirmed_years() -> dict[int, YearStatus]:
    """Years an administrator confirmed (read in the caller's scope)."""
    rows = await CalendarYearConfirmation.select().order_by(CalendarYearConfirmation.year)
    return {
        r["year"]: YearStatus(
            year=r["year"], provisional=False, sources=[r["source"]], confirmed_at=r["confirmed_at"]
        )
        for r in rows
    }


async def year_statuses(years: list[int]) -> list[YearStatus]:
    """Each year's status: shipped (checked), confirmed by an administrator, or provisional."""
    async with system_scope():
        confirmed = await confirmed_years()
    shipped = load_official_data().years
    statuses = []
    for year in years:
        if year in confirmed:
            statuses.append(confirmed[year])
        elif year in shipped:
            statuses.append(YearStatus(year=year, provisional=False, sources=shipped[year]))
        else:
            statuses.append(YearStatus(year=year, provisional=True, sources=[]))
    return statuses


async def confirm_year(
    data: YearConfirmation, *, entered_by: int | None = None
) -> ConfirmationResult:
    """Store the announcement's days, mark the year confirmed and recompute its open clocks.

    A day already stored with the other kind contradicts the confirmation and is refused; a day
    stored with the same kind is kept as it is. Nothing is stored unless everything passes.
    """
    from giamsat.cases.deadlines import recompute_clocks  # cases build on the calendar

    days = _checked(data)
    source = data.source.strip()[:400]
    async with system_scope():
        stored = (
            {
                o["day"]: o["kind"]
                for o in await CalendarOverrideEntry.select().where(
                    CalendarOverrideEntry.day.is_in([d for d, _, _ in days])
                )
            }
            if days
            else {}
        )
        clashes = sorted(d for d, kind, _ in days if d in stored and stored[d] != kind)
        if clashes:
            raise InvalidCalendarData(
                N_("%(days)s already stored as the other kind of override: remove it first."),
                field="days_off",
                params={"days": ", ".join(f"{d:%d/%m/%Y}" for d in clashes)},
            )
        new = [(d, kind, reason) for d, kind, reason in days if d not in stored]
        for day, kind, reason in new:
            await CalendarOverrideEntry(
                day=day, kind=kind, reason=reason[:255], entered_by=entered_by
            ).save()
        await CalendarYearConfirmation.delete().where(CalendarYearConfirmation.year == data.year)
        await CalendarYearConfirmation(
            year=data.year, source=source, confirmed_by=entered_by
        ).save()
        report = await recompute_clocks(data.year, await working_calendar(), source)
    return ConfirmationResult(
        year=data.year,
        source=source,
        days_stored=len(new),
        clocks_recomputed=report.checked,
        due_dates_moved=report.moved,
    )
