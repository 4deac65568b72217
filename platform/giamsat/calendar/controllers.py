"""Admins' page and API for the official calendar overrides (điều chỉnh lịch làm việc)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.calendar.overrides_store import (
    OverrideCreate,
    OverrideView,
    add_override,
    list_overrides,
    remove_override,
)
from giamsat.db.scope import system_scope
from giamsat.errors import InvalidInput
from giamsat.web.guards import admin, current_tenant, logged_in
from giamsat.web.rendering import page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


async def _list(year: int | None) -> list[OverrideView]:
    async with system_scope():
        return await list_overrides(year)


class OverrideForm(msgspec.Struct):
    date: str = ""
    kind: str = "holiday"
    reason: str = ""
    remove: str = ""


class CalendarApi(Controller):
    path = "/api/v1/calendar/overrides"
    tags = ["calendar"]
    guards = [logged_in]

    @get("/")
    async def index(self, year: int | None = None) -> list[OverrideView]:
        return await _list(year)

    @post("/", guards=[admin])
    async def create(self, request: Request[Any, Any, Any], data: OverrideCreate) -> OverrideView:
        return await add_override(data, entered_by=current_tenant(request).user_id)

    @delete("/{override_id:int}", guards=[admin], status_code=200)
    async def remove(self, override_id: int) -> dict[str, bool]:
        await remove_override(override_id)
        return {"ok": True}


class CalendarPages(Controller):
    path = "/c/{code:str}/calendar"
    include_in_schema = False
    guards = [admin]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], code: str, year: int | None = None
    ) -> Template:
        return page(request, "calendar/overrides.html", items=await _list(year), year=year)

    @post("/")
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
                    f"{data.date!r} is not a date (YYYY-MM-DD)", field="date"
                ) from None
            if data.kind not in ("holiday", "working_day"):
                raise InvalidInput("kind must be holiday or working_day", field="kind")
            entry = OverrideCreate(date=day, kind=data.kind, reason=data.reason)  # type: ignore[arg-type]
            await add_override(entry, entered_by=current_tenant(request).user_id)
        return Redirect(f"/c/{code}/calendar")


ROUTES = [CalendarApi, CalendarPages]
NAV = [("/c/{code}/calendar/", "Lịch làm việc", "Working calendar", ("admin",))]
