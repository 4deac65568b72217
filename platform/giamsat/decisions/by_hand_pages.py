"""The page for opening a case by hand (``/c/{code}/cases/new``): staff choose the person (from
the register, in the committee's scope) and the manifestations by name; the pack in force routes
the case and sets its clock (:func:`giamsat.decisions.by_hand.open_by_hand`). Another owner may
be chosen only at the routed level or above, with a reason; a refusal comes back with an error
summary and the input kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from giamsat.cadres.service import search_cadres
from giamsat.cases.schemas import CaseByHand
from giamsat.clock import today as vietnam_today
from giamsat.decisions.by_hand import open_by_hand
from giamsat.decisions.pages import MANAGED_BY
from giamsat.errors import GiamsatError, InvalidInput
from giamsat.plans.service import active_pack
from giamsat.rulepacks.choices import grouped
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.web.guards import current_tenant, staff
from giamsat.web.i18n import N_
from giamsat.web.rendering import page, request_language, translator

REFUSALS = {
    "cadre_id": N_("Choose the person concerned from the register."),
    "indicators": N_("Choose at least one manifestation or duty from the list."),
    "received_on": N_(
        "Give a received date that is not in the future and falls under a plan in force."
    ),
    "owner": N_(
        "The plan routes this case to another committee: choose that committee or one above it."
    ),
    "owner_reason": N_(
        "Write why the case goes to a committee other than the one the plan routes it to."
    ),
    "signal_ids": N_("Choose the person concerned from the register."),
}


class CaseByHandPages(Controller):
    path = "/c/{code:str}/cases/new"
    include_in_schema = False
    guards = [staff]

    @get("/")
    async def form(self, request: Request[Any, Any, Any], code: str, q: str = "") -> Template:
        return await _form_page(request, q=q[:160])

    @post("/")
    async def create(self, request: Request[Any, Any, Any], code: str) -> Template | Redirect:
        form = await request.form()
        values = {k: str(v)[:2000] for k, v in form.items() if k != "_csrf_token"}
        chosen = (
            [str(v)[:16] for v in form.getall("indicators")][:20] if "indicators" in form else []
        )
        ctx = current_tenant(request)
        try:
            data = _case(values, chosen)
            view = await open_by_hand(ctx, data, today=vietnam_today())
        except GiamsatError as exc:
            field = exc.field if exc.field in REFUSALS else "cadre_id"
            if exc.status_code == 403:
                field = "owner"
            message = translator(request).gettext(REFUSALS[field])
            return await _form_page(
                request,
                q=values.get("q", ""),
                status_code=exc.status_code,
                errors=[(message, field)],
                error_field=field,
                form=values | {"indicators": chosen},
            )
        return Redirect(f"/c/{code}/cases/{view.id}")


def _case(values: dict[str, str], chosen: list[str]) -> CaseByHand:
    person = values.get("cadre", "")
    if not (person.isdigit() and len(person) < 12):
        raise InvalidInput("cadre", field="cadre_id")
    received = None
    if values.get("received_on", "").strip():
        try:
            received = dt.date.fromisoformat(values["received_on"].strip())
        except ValueError:
            raise InvalidInput("received_on", field="received_on") from None
    if not chosen:
        raise InvalidInput("indicators", field="indicators")
    return CaseByHand(
        cadre_id=int(person),
        indicators=chosen,
        title=values.get("title", "").strip()[:255],
        received_on=received,
        corruption=values.get("corruption") == "yes",
        press=values.get("press") == "yes",
        complex_case=values.get("complex_case") == "yes",
        owner=values.get("owner", "").strip()[:16] or None,
        owner_reason=values.get("owner_reason", "").strip(),
    )


async def _form_page(
    request: Request[Any, Any, Any], *, q: str = "", status_code: int = 200, **extra: Any
) -> Template:
    ctx = current_tenant(request)
    lang = request_language(request)
    tr = translator(request)
    today = vietnam_today()
    pack = await active_pack(ctx.path, today)
    groups = grouped(pack.pack().indicators if pack is not None else [], lang)
    cadres = await search_cadres(ctx, q, limit=20) if q.strip() else []
    repo = CommitteeRepository()
    me = await repo.by_code(ctx.committee_code)
    above = await repo.ancestors(me) if me is not None else []
    owners = [(c.code, c.name) for c in reversed(above)]
    return page(
        request,
        "decisions/case_new.html",
        status_code=status_code,
        groups=groups,
        cadres=cadres,
        q=q,
        owners=owners,
        today=today,
        managed_by=lambda level: tr.gettext(MANAGED_BY[level]) if level in MANAGED_BY else "—",
        **extra,
    )
