"""The city administrator's reorganisation page: choose a register and a date, preview what ends,
starts and moves, then apply it (the same plan as ``giamsat tenants reorganise``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from giamsat.db.scope import system_scope
from giamsat.errors import GiamsatError, InvalidInput, PermissionDenied
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.levels import Level
from giamsat.tenancy.open_work import KIND_LABELS, KINDS
from giamsat.tenancy.register import REGISTERS, register_named
from giamsat.tenancy.reorganising import apply, preview
from giamsat.tenancy.tables import Reorganisation
from giamsat.web.guards import admin, current_tenant
from giamsat.web.i18n import N_
from giamsat.web.rendering import error_text, page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


class ReorganisationForm(msgspec.Struct):
    register: str = ""
    effective: str = ""


def _province(ctx: TenantContext) -> str:
    if ctx.committee_level != Level.PROVINCE.value:
        raise PermissionDenied(
            N_("Only a province or city committee reorganises its administrative units.")
        )
    return ctx.committee_code


def _effective(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            "enter the first day of the new tree as YYYY-MM-DD", field="effective"
        ) from None


class ReorganisationPages(Controller):
    path = "/c/{code:str}/reorganisation"
    include_in_schema = False
    guards = [admin]

    async def _render(
        self, request: Request[Any, Any, Any], status: int = 200, **extra: Any
    ) -> Template:
        ctx = current_tenant(request)
        async with system_scope():
            applied = (
                await Reorganisation.select()
                .where(Reorganisation.province == ctx.committee_code)
                .order_by(Reorganisation.effective_on)
            )
        registers = [r for r in REGISTERS.values() if r.id != "2023"]
        context = {"applied": applied, "registers": registers, "form": ReorganisationForm(),
                   "plan": None, "outcome": None, "errors": [], "kinds": KINDS,
                   "kind_labels": KIND_LABELS, **extra}  # fmt: skip
        return page(request, "tenancy/reorganisation.html", status_code=status, **context)

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        _province(current_tenant(request))
        return await self._render(request)

    @post("/preview")
    async def show_preview(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[ReorganisationForm, Form]
    ) -> Template:
        province = _province(current_tenant(request))
        try:
            register, effective = register_named(data.register), _effective(data.effective)
            (plan,) = await preview(register, effective, province, {})
        except (GiamsatError, ValueError) as exc:
            message = error_text(request, exc) if isinstance(exc, GiamsatError) else str(exc)
            return await self._render(request, 422, form=data, errors=[message])
        return await self._render(request, form=data, plan=plan)

    @post("/apply")
    async def apply_plan(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[ReorganisationForm, Form]
    ) -> Template:
        ctx = current_tenant(request)
        province = _province(ctx)
        try:
            register, effective = register_named(data.register), _effective(data.effective)
            (outcome,) = await apply(register, effective, province, {}, ctx.username or "admin")
        except (GiamsatError, ValueError) as exc:
            message = error_text(request, exc) if isinstance(exc, GiamsatError) else str(exc)
            return await self._render(request, 409, form=data, errors=[message])
        return await self._render(request, form=data, outcome=outcome)


ROUTES = [ReorganisationPages]
NAV = [("/c/{code}/reorganisation/", N_("Reorganisation"), ("admin",))]
