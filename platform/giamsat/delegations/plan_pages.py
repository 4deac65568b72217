"""The page that plans a supervision delegation (``/c/{code}/delegations/new``), prefilled from
a case whose pack proposes one (``?case=ID``): the person supervised, the subject, the contents
(the case's manifestations, by name), the period and the link to the case. Thin: the
delegations service checks every id in the committee's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import SkipValidation
from litestar.response import Redirect, Template

from giamsat.cases.provided import IndicatorNames
from giamsat.cases.repository import CaseRepository
from giamsat.clock import today as vietnam_today
from giamsat.db.scope import tenant_scope
from giamsat.delegations import service
from giamsat.delegations.schemas import DelegationPlan, IndicatorIn
from giamsat.errors import GiamsatError, InvalidInput, NotFound
from giamsat.rulepacks.choices import ungrouped
from giamsat.tenancy.context import TenantContext
from giamsat.web.guards import current_tenant, staff
from giamsat.web.i18n import N_
from giamsat.web.rendering import page, request_language, translator

REFUSALS = {
    "subject": N_("Write what the supervision is about."),
    "supervised_name": N_("Write whom the supervision is of."),
    "period_start": N_("Give a supervised period that starts before it ends."),
    "indicators": N_("Choose at least one content of the supervision."),
    "case_id": N_("The case cannot be linked to this delegation."),
}


class DelegationPlanPages(Controller):
    path = "/c/{code:str}/delegations/new"
    include_in_schema = False
    guards = [staff]

    @get("/")
    async def form(
        self,
        request: Request[Any, Any, Any],
        code: str,
        indicator_names: SkipValidation[IndicatorNames],
        case: int | None = None,
    ) -> Template:
        ctx = current_tenant(request)
        values: dict[str, Any] = {"indicators": []}
        if case is not None:
            async with tenant_scope(ctx.path):
                detail = await CaseRepository(ctx).detail(case)  # 404 outside the scope
            if detail.case is not None and detail.access == "full":
                c = detail.case
                values = {
                    "case_id": str(c.id), "case_number": c.number, "owner": c.committee_name,
                    "supervised_name": c.subject_name,
                    "subject": translator(request).gettext(
                        N_("Supervision of the ethics and lifestyle of %(name)s (case %(number)s)"),
                        name=c.subject_name or "…", number=c.number,
                    ),
                    "indicators": sorted({f.indicator for f in c.findings}),
                }  # fmt: skip
        return await _form_page(request, indicator_names, values)

    @post("/")
    async def create(
        self,
        request: Request[Any, Any, Any],
        code: str,
        indicator_names: SkipValidation[IndicatorNames],
    ) -> Template | Redirect:
        form = await request.form()
        values: dict[str, Any] = {k: str(v)[:4000] for k, v in form.items() if k != "_csrf_token"}
        chosen = (
            [str(v)[:16] for v in form.getall("indicators")][:40] if "indicators" in form else []
        )
        values["indicators"] = chosen
        ctx = current_tenant(request)
        try:
            names = await _names(ctx, indicator_names, str(values.get("case_id", "")))
            data = _plan(values, chosen, names, request_language(request))
            made = await service.plan(ctx, data)
        except (GiamsatError, msgspec.ValidationError) as exc:
            field = getattr(exc, "field", None) or "subject"
            field = field if field in REFUSALS else "subject"
            message = translator(request).gettext(REFUSALS[field])
            return await _form_page(
                request, indicator_names, values, status_code=getattr(exc, "status_code", 422),
                errors=[(message, field)], error_field=field,
            )  # fmt: skip
        return Redirect(f"/c/{code}/delegations/{made.id}")


async def _names(
    ctx: TenantContext, indicator_names: IndicatorNames, case_id: str
) -> dict[str, tuple[str, str]]:
    """The catalogue in force for the committee, and the one that decided the case (the case's
    manifestations are named from the pack in force where it was received)."""
    names = dict(await indicator_names(ctx.path, vietnam_today()))
    if case_id.isdigit() and len(case_id) < 12:
        try:
            async with tenant_scope(ctx.path):
                detail = await CaseRepository(ctx).detail(int(case_id))
        except NotFound:  # the service refuses the case; the page names no foreign row
            return names
        if detail.case is not None:
            case = detail.case
            names = {**await indicator_names(case.origin_path, case.received_on), **names}
    return names


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, field="period_start") from None


def _plan(values: dict[str, Any], chosen: list[str], names: Any, lang: str) -> DelegationPlan:
    for field in ("subject", "supervised_name"):
        if not str(values.get(field, "")).strip():
            raise InvalidInput(field, field=field)
    if not chosen:
        raise InvalidInput("indicators", field="indicators")
    case = str(values.get("case_id", ""))
    items = []
    for code in chosen:
        vi, en = names.get(code, (code, code))
        items.append(IndicatorIn(code=code, name=(en if lang == "en" else vi)[:255]))
    return msgspec.convert({
        "subject": str(values["subject"]).strip(),
        "supervised_name": str(values["supervised_name"]).strip()[:255],
        "supervised_address": str(values.get("supervised_address", "")).strip()[:255],
        "plan_reference": str(values.get("plan_reference", "")).strip(),
        "period_start": _date(str(values.get("period_start", "")), "period_start"),
        "period_end": _date(str(values.get("period_end", "")), "period_end"),
        "indicators": [msgspec.to_builtins(i) for i in items],
        "case_id": int(case) if case.isdigit() and len(case) < 12 else None,
    }, DelegationPlan)  # fmt: skip


async def _form_page(
    request: Request[Any, Any, Any],
    indicator_names: IndicatorNames,
    values: dict[str, Any],
    status_code: int = 200,
    **extra: Any,
) -> Template:
    ctx = current_tenant(request)
    lang = request_language(request)
    today = vietnam_today()
    names = await _names(ctx, indicator_names, str(values.get("case_id", "")))
    groups = ungrouped([(code, en if lang == "en" else vi) for code, (vi, en) in names.items()])
    start = values.get("period_start") or dt.date(today.year, 1, 1).isoformat()
    return page(
        request,
        "delegations/plan_form.html",
        status_code=status_code,
        f=values
        | {"period_start": start, "period_end": values.get("period_end") or today.isoformat()},
        groups=groups,
        **extra,
    )
