"""Admins' page and API for the official calendar: overrides (điều chỉnh lịch làm việc) and
the yearly confirmation (xác nhận lịch nghỉ của năm)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat import clock
from giamsat.calendar.confirmations import (
    ConfirmationResult,
    ConfirmedDay,
    YearConfirmation,
    YearStatus,
    confirm_year,
    year_statuses,
)
from giamsat.calendar.overrides_store import (
    OverrideCreate,
    OverrideView,
    add_override,
    list_overrides,
    remove_override,
)
from giamsat.db.paging import page_of
from giamsat.db.scope import system_scope
from giamsat.errors import InvalidInput
from giamsat.web.guards import admin, current_tenant, logged_in, top_admin
from giamsat.web.i18n import N_
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, Year, paging
from giamsat.web.rendering import error_text, page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


async def _list(year: int | None) -> list[OverrideView]:
    async with system_scope():
        return await list_overrides(year)


class OverrideForm(msgspec.Struct):
    date: str = ""
    kind: str = "holiday"
    reason: str = ""
    remove: str = ""


class ConfirmForm(msgspec.Struct):
    """The confirmation form: one day a line, ``YYYY-MM-DD`` or ``DD/MM/YYYY``, then a reason."""

    year: str = ""
    source: str = ""
    days_off: str = ""
    working_days: str = ""


def _day_lines(text: str, field: str) -> list[ConfirmedDay]:
    days = []
    for number, line in enumerate(text.splitlines(), start=1):
        head, _, reason = line.strip().partition(" ")
        if not head:
            continue
        try:
            if "/" in head:
                day = dt.datetime.strptime(head, "%d/%m/%Y").date()
            else:
                day = dt.date.fromisoformat(head)
        except ValueError:
            raise InvalidInput(
                N_(
                    "Line %(line)s: “%(text)s” is not a date; write the date as YYYY-MM-DD or "
                    "DD/MM/YYYY, then the reason."
                ),
                field=field,
                params={"line": number, "text": head},
            ) from None
        days.append(ConfirmedDay(date=day, reason=reason.strip()))
    return days


def _confirmation(form: ConfirmForm) -> YearConfirmation:
    if not form.year.strip().isdigit():
        raise InvalidInput(
            N_("“%(text)s” is not a year."), field="year", params={"text": form.year.strip()}
        )
    return YearConfirmation(
        year=int(form.year),
        source=form.source,
        days_off=_day_lines(form.days_off, "days_off"),
        working_days=_day_lines(form.working_days, "working_days"),
    )


def _years_around(today: dt.date) -> list[int]:
    return [today.year - 1, today.year, today.year + 1, today.year + 2]


async def _calendar_page(
    request: Request[Any, Any, Any],
    year: int | None,
    *,
    form: ConfirmForm | None = None,
    error: str = "",
    done: ConfirmationResult | None = None,
    status_code: int = 200,
) -> Template:
    today = clock.today()
    return page(
        request,
        "calendar/overrides.html",
        status_code=status_code,
        items=await _list(year),
        year=year,
        years=await year_statuses(_years_around(today)),
        form=form or ConfirmForm(year=str(today.year + 1)),
        error=error,
        done=done,
    )


class CalendarApi(Controller):
    path = "/api/v1/calendar/overrides"
    tags = ["calendar"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, year: Year = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[OverrideView]:
        """The official calendar's overrides, of one ``year`` or all, in date order."""
        return page_of(await _list(year), paging(limit, offset))

    @post("/", guards=[top_admin])
    async def create(self, request: Request[Any, Any, Any], data: OverrideCreate) -> OverrideView:
        """Declare a day off or a working Saturday (administrators of the top committee)."""
        return await add_override(data, entered_by=current_tenant(request).user_id)

    @delete("/{override_id:int}", guards=[top_admin], status_code=200)
    async def remove(self, override_id: int) -> dict[str, bool]:
        """Remove an override (administrators of the top committee); clocks use the calendar
        again."""
        await remove_override(override_id)
        return {"ok": True}


class CalendarYearsApi(Controller):
    path = "/api/v1/calendar"
    tags = ["calendar"]
    guards = [logged_in]

    @get("/years")
    async def years(
        self,
        year: list[int] | None = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[YearStatus]:
        """Whether each year is confirmed or provisional (default: last year to two ahead)."""
        statuses = await year_statuses(year or _years_around(clock.today()))
        return page_of(statuses, paging(limit, offset))

    @post("/confirmations", guards=[admin])
    async def confirm(
        self, request: Request[Any, Any, Any], data: YearConfirmation
    ) -> ConfirmationResult:
        """Confirm a year: store its announced days and recompute the open clocks in it."""
        return await confirm_year(data, entered_by=current_tenant(request).user_id)


class CalendarPages(Controller):
    path = "/c/{code:str}/calendar"
    include_in_schema = False
    guards = [admin]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], code: str, year: Year = None
    ) -> Template:
        return await _calendar_page(request, year)

    @post("/confirm", status_code=200)
    async def confirm(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[ConfirmForm, Form]
    ) -> Template:
        try:
            done = await confirm_year(
                _confirmation(data), entered_by=current_tenant(request).user_id
            )
        except InvalidInput as exc:
            return await _calendar_page(
                request,
                None,
                form=data,
                error=error_text(request, exc),
                status_code=exc.status_code,
            )
        return await _calendar_page(request, None, done=done)

    @post("/", guards=[top_admin])
    async def change(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[OverrideForm, Form]
    ) -> Redirect:
        if data.remove.strip().isdigit():
            await remove_override(int(data.remove))
        else:
            try:
                day = dt.date.fromisoformat(data.date)
            except ValueError:
                raise InvalidInput(
                    N_("%(value)s is not a date."), field="date", params={"value": data.date}
                ) from None
            if data.kind not in ("holiday", "working_day"):
                raise InvalidInput("kind must be holiday or working_day", field="kind")
            entry = OverrideCreate(date=day, kind=data.kind, reason=data.reason)  # type: ignore[arg-type]
            await add_override(entry, entered_by=current_tenant(request).user_id)
        return Redirect(f"/c/{code}/calendar")


ROUTES = [CalendarApi, CalendarYearsApi, CalendarPages]
NAV = [("/c/{code}/calendar/", N_("Working calendar"), ("admin",))]
