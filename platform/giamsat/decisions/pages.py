"""Triage pages (phân loại, ``/c/{code}/triage``) and signal file downloads for staff.

The queue lists the committee's signals the pack cannot decide yet; a signal's page links a
registered cadre (searched in the committee's scope) or registers one on the spot, chooses the
manifestations or duties by name, the kind and the flags, or closes the signal as outside the
Front's remit with the reason its sender reads. A refused form comes back with an error summary
and the input kept. Thin: parse, call :mod:`giamsat.decisions.triage`, render.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from giamsat.cadres.schemas import MANAGING_LEVELS
from giamsat.cadres.service import search_cadres
from giamsat.channels.registry import ChannelRegistry
from giamsat.clock import today as vietnam_today
from giamsat.decisions.triage import (
    Classification,
    NewCadre,
    classify,
    queue,
    waiting,
)
from giamsat.errors import Conflict, GiamsatError
from giamsat.intake import evidence
from giamsat.plans.service import active_pack
from giamsat.rulepacks.choices import grouped
from giamsat.rulepacks.vocabulary import SIGNAL_KINDS, channel_name
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.rendering import page, request_language, translator

#: What the page says for a refusal, by the field at fault (the services speak to developers).
REFUSALS = {
    "cadre_id": N_("Choose the person concerned, or register a new one."),
    "full_name": N_("Write the full name of the person to register."),
    "managing_level": N_("Choose who manages the person."),
    "indicators": N_("Choose at least one manifestation or duty from the list."),
    "kind": N_("Choose a kind from the list."),
    "reason": N_("Write the reason the sender will read."),
    "code": N_("The person could not be registered; try again."),
}

#: Who manages a cadre, in the words of the register (cán bộ thuộc diện … quản lý).
MANAGED_BY = {
    "central": N_("Managed by the Central Committee"),
    "province": N_("Managed by the province or city party committee"),
    "district": N_("Managed by the district party committee"),
    "commune": N_("Managed by the commune party committee"),
    "residence": N_("Party member at the place of residence"),
}

#: The kinds of signal, as staff read them.
KINDS = {
    "report": N_("Report"),
    "complaint": N_("Complaint"),
    "denunciation": N_("Denunciation"),
    "feedback": N_("Feedback"),
    "survey": N_("Survey"),
    "assessment": N_("Assessment"),
}


def _channel_names(registry: ChannelRegistry, lang: str) -> dict[str, str]:
    return {i.name: i.label_en if lang == "en" else i.label_vi for i in registry.known_channels()}


class TriagePages(Controller):
    path = "/c/{code:str}/triage"
    include_in_schema = False
    guards = [staff]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], code: str, channel_registry: ChannelRegistry
    ) -> Template:
        ctx = current_tenant(request)
        items = await queue(ctx)
        names = _channel_names(channel_registry, request_language(request))
        return page(
            request,
            "decisions/queue.html",
            items=items,
            channel_label=lambda c: names.get(c) or channel_name(c, request_language(request)),
            kind_label=_kind_label(request),
        )

    @get("/{signal_id:int}")
    async def show(
        self,
        request: Request[Any, Any, Any],
        code: str,
        signal_id: int,
        channel_registry: ChannelRegistry,
        q: str = "",
    ) -> Template:
        return await _signal_page(request, signal_id, channel_registry, q=q)

    @post("/{signal_id:int}")
    async def act(
        self,
        request: Request[Any, Any, Any],
        code: str,
        signal_id: int,
        channel_registry: ChannelRegistry,
    ) -> Template | Redirect:
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k != "_csrf_token"}
        chosen = [str(v) for v in form.getall("indicators")] if "indicators" in form else []
        ctx = current_tenant(request)
        try:
            data = _classification(values, chosen)
            done = await classify(ctx, signal_id, data)
        except GiamsatError as exc:
            tr = translator(request)
            field = exc.field or "cadre_id"
            if isinstance(exc, Conflict) and field == "classified_by":
                who = (await waiting(ctx, signal_id)).classified_by
                message = (
                    tr.gettext(N_("This signal has already been classified by %(name)s."), name=who)
                    if who
                    else tr.gettext(N_("This signal has already been classified."))
                )
            else:
                message = tr.gettext(REFUSALS.get(field, REFUSALS["cadre_id"]))
            anchor = {"classified_by": "classify", "code": "full_name"}.get(field, field)
            return await _signal_page(
                request,
                signal_id,
                channel_registry,
                q=values.get("q", ""),
                status_code=exc.status_code,
                errors=[(message, anchor)],
                form=values | {"indicators": chosen},
                error_field=anchor,
            )
        if done.case_id is not None and done.status == "attached":
            return Redirect(f"/c/{code}/triage/?classified={signal_id}&case={done.case_id}")
        return Redirect(f"/c/{code}/triage/?classified={signal_id}")


def _classification(values: dict[str, str], chosen: list[str]) -> Classification:
    if values.get("action") == "close":
        return Classification(outside_remit=True, reason=values.get("reason", "")[:2000])
    from giamsat.errors import InvalidInput

    person = values.get("cadre", "")
    new_cadre = None
    cadre_id = None
    if person == "new":
        name = values.get("full_name", "").strip()
        if not name:
            raise InvalidInput("full name", field="full_name")
        level = values.get("managing_level", "")
        if level not in MANAGING_LEVELS:
            raise InvalidInput("managing level", field="managing_level")
        new_cadre = NewCadre(
            full_name=name[:160],
            position=values.get("position", "").strip()[:200],
            workplace=values.get("workplace", "").strip()[:255],
            managing_level=level,  # type: ignore[arg-type]
        )
    elif person.isdigit() and len(person) < 12:
        cadre_id = int(person)
    return Classification(
        cadre_id=cadre_id,
        new_cadre=new_cadre,
        indicators=[c[:16] for c in chosen if c.strip()][:20],
        kind=values.get("kind", "")[:32],
        corruption=values.get("corruption") == "yes",
        press=values.get("press") == "yes",
        complex_case=values.get("complex_case") == "yes",
    )


def _kind_label(request: Request[Any, Any, Any]) -> Any:
    tr = translator(request)

    def label(kind: str) -> str:
        known = KINDS.get(kind)
        return tr.gettext(known) if known else tr.gettext(N_("Other"))

    return label


async def _signal_page(
    request: Request[Any, Any, Any],
    signal_id: int,
    registry: ChannelRegistry,
    *,
    q: str = "",
    status_code: int = 200,
    **extra: Any,
) -> Template:
    ctx = current_tenant(request)
    lang = request_language(request)
    tr = translator(request)
    signal = await waiting(ctx, signal_id)
    pack = await active_pack(ctx.path, signal.item.received_on)
    groups = grouped(pack.pack().indicators if pack is not None else [], lang)
    cadres = await search_cadres(ctx, q, limit=20) if q.strip() else []
    files = (await evidence.attachments_of(ctx, [signal_id])).get(signal_id, [])
    names = _channel_names(registry, lang)
    return page(
        request,
        "decisions/classify.html",
        status_code=status_code,
        signal=signal,
        groups=groups,
        cadres=cadres,
        q=q,
        files=files,
        kinds=[(k, tr.gettext(v)) for k, v in KINDS.items() if k in SIGNAL_KINDS],
        levels=[(k, tr.gettext(v)) for k, v in MANAGED_BY.items()],
        managed_by=lambda level: tr.gettext(MANAGED_BY[level]) if level in MANAGED_BY else "—",
        channel_label=lambda c: names.get(c) or channel_name(c, lang),
        kind_label=_kind_label(request),
        today=vietnam_today(),
        **extra,
    )


class SignalFiles(Controller):
    """A signal's files, as downloads, for staff of its committee and the committees above."""

    path = "/c/{code:str}/signals"
    include_in_schema = False
    guards = [logged_in]

    @get("/{signal_id:int}/attachments/{attachment_id:int}")
    async def download(
        self, request: Request[Any, Any, Any], code: str, signal_id: int, attachment_id: int
    ) -> Response[bytes]:
        file = await evidence.download(current_tenant(request), signal_id, attachment_id)
        return Response(
            file.data,
            media_type=file.content_type,
            headers={
                "Content-Disposition": content_disposition(file.filename),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "no-store",
            },
        )
