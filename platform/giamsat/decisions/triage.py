"""Triage (phân loại): the signals the pack cannot decide yet, and staff classifying them.

A committee's queue holds its own signals still ``received`` with no cadre or no indicator
(portal reports, letters, calls, suggestion-box items, press items). Staff of the staff roles
link a cadre registered in their committee's scope and choose manifestations or duties from the
catalogue of the pack in force on the signal's received date (by code, with the press,
corruption and complex flags), or close it as outside the Front's remit with a reason the
citizen sees. Then the pack decides it like any other signal. Each step is audited.

Two staff classifying the same signal at once: the row is locked (PostgreSQL) or the write
transaction serialised (SQLite), and the second is refused naming who was first.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from giamsat.audit.service import record
from giamsat.cadres.schemas import CadreCreate, ManagingLevel
from giamsat.cadres.service import create_cadre
from giamsat.cadres.tables import Cadre
from giamsat.calendar.overrides_store import working_calendar
from giamsat.clock import today as vietnam_today
from giamsat.db.engine import is_postgres
from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.decisions.service import decide_signals
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.plans.facts import json_value
from giamsat.plans.service import active_pack
from giamsat.rulepacks.vocabulary import SIGNAL_KINDS
from giamsat.signals.tables import Signal
from giamsat.signals.writer import rewrite_signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


class QueueItem(msgspec.Struct, frozen=True, kw_only=True):
    signal_id: int
    channel: str
    kind: str
    received_on: dt.date
    summary: str
    anonymous: bool
    #: Working days since it was received (the received day not counted).
    waiting_working_days: int = 0
    #: The pack's triage time (working days), when the pack in force gives one.
    triage_working_days: int | None = None
    #: Waiting longer than the pack's triage time.
    overdue: bool = False


class NewCadre(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A person the signal names who is not registered yet: registered in the caller's own
    register (through the cadres service) as part of the classification."""

    full_name: Annotated[str, msgspec.Meta(min_length=1, max_length=160)]
    position: Annotated[str, msgspec.Meta(max_length=200)] = ""
    workplace: Annotated[str, msgspec.Meta(max_length=255)] = ""
    managing_level: ManagingLevel


class Classification(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Either a cadre (``cadre_id``, or ``new_cadre`` to register) with indicators, kind and
    flags, or ``outside_remit`` with its reason (the citizen reads it)."""

    cadre_id: int | None = None
    new_cadre: NewCadre | None = None
    indicators: Annotated[list[Code], msgspec.Meta(max_length=20)] = []
    #: report, complaint, denunciation, feedback …; empty keeps the signal's kind.
    kind: Annotated[str, msgspec.Meta(max_length=32)] = ""
    corruption: bool = False
    press: bool = False
    complex_case: bool = False
    outside_remit: bool = False
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class Classified(msgspec.Struct, frozen=True, kw_only=True):
    signal_id: int
    status: str
    case_id: int | None = None


def _unclassified(ctx: TenantContext) -> Any:
    return (
        (Signal.committee == ctx.committee_id)
        & (Signal.status == "received")
        & Signal.case_id.is_null()
    )


def waits_for_triage(row: dict[str, Any]) -> bool:
    """A received signal the pack cannot decide: no cadre or no indicator."""
    return row["cadre"] is None or not json_value(row["indicator_codes"])


#: :func:`waits_for_triage` in SQL: no cadre, or no row in the signals' indicator table (which
#: the one writer of signals keeps equal to each signal's list, ``giamsat.signals.writer``).
_WAITS = WhereRaw(
    '("signal"."cadre" IS NULL OR NOT EXISTS (SELECT 1 FROM "signal_indicator" AS i '
    'WHERE i."signal" = "signal"."id"))'
)
_QUEUE_COLUMNS = (
    Signal.id, Signal.channel, Signal.kind, Signal.received_on, Signal.body, Signal.anonymous,
    Signal.cadre, Signal.indicator_codes,
)  # fmt: skip
_OLDEST_FIRST: list[Order] = [(Signal.received_on, True), (Signal.id, True)]


async def triage_days(path: str, on_date: dt.date) -> int | None:
    """How many working days the pack in force on ``on_date`` gives triage (None: no limit)."""
    pack = await active_pack(path, on_date)
    return pack.pack().rules.triage_working_days if pack is not None else None


async def _items(ctx: TenantContext, rows: list[dict[str, Any]], today: dt.date) -> list[QueueItem]:
    """The queue's lines for ``rows`` (inside ``ctx``'s scope): how long each has waited, in
    working days, against the triage time of the pack in force on its received date."""
    calendar = await working_calendar()
    limits: dict[dt.date, int | None] = {}
    items = []
    for r in rows:
        received = r["received_on"]
        if received not in limits:
            limits[received] = await triage_days(ctx.path, received)
        waited = calendar.working_days_between(received, max(received, today))
        days = limits[received]
        items.append(QueueItem(
            signal_id=r["id"], channel=r["channel"], kind=r["kind"], received_on=received,
            summary=str(r["body"])[:200], anonymous=bool(r["anonymous"]),
            waiting_working_days=waited, triage_working_days=days,
            overdue=days is not None and waited > days,
        ))  # fmt: skip
    return items


async def queue(
    ctx: TenantContext, limit: int = 200, *, today: dt.date | None = None
) -> list[QueueItem]:
    """The committee's signals waiting for classification, oldest first (at most ``limit``)."""
    today = today or vietnam_today()
    async with tenant_scope(ctx.path):
        query = Signal.select(*_QUEUE_COLUMNS).where(_unclassified(ctx)).where(_WAITS)
        rows = await query.order_by(Signal.received_on).order_by(Signal.id).limit(limit)
        return await _items(ctx, [dict(r) for r in rows], today)


async def queue_counts(ctx: TenantContext, *, today: dt.date | None = None) -> tuple[int, int]:
    """How many signals wait for classification, and how many of them longer than the pack
    allows: counted in the database by received date (one row per date, never per signal)."""
    today = today or vietnam_today()
    async with tenant_scope(ctx.path):
        rows = await (
            Signal.select(Signal.received_on, Count(Signal.id, alias="n"))
            .where(_unclassified(ctx))
            .where(_WAITS)
            .group_by(Signal.received_on)
        )
        calendar = await working_calendar()
        total = overdue = 0
        for r in rows:
            received, n = r["received_on"], int(r["n"])
            days = await triage_days(ctx.path, received)
            waited = calendar.working_days_between(received, max(received, today))
            total += n
            overdue += n if days is not None and waited > days else 0
    return total, overdue


async def queue_page(
    ctx: TenantContext, request: PageRequest, *, today: dt.date | None = None
) -> Page[QueueItem]:
    """One page of the queue, oldest first, with its total: read and counted in the database
    (two queries at most), never cut from the whole queue in memory."""
    today = today or vietnam_today()
    async with tenant_scope(ctx.path):
        rows = await fetch_page(
            Signal, _QUEUE_COLUMNS, [_unclassified(ctx), _WAITS], _OLDEST_FIRST, request
        )
        items = await _items(ctx, rows.items, today)
    return Page(items=items, limit=rows.limit, offset=rows.offset, total=rows.total)


class Waiting(msgspec.Struct, frozen=True, kw_only=True):
    """One signal of the queue as its classify page shows it."""

    item: QueueItem
    body: str
    subject_text: str
    source: str
    facts: dict[str, Any]
    status: str
    classified_by: str = ""
    outside_remit: str = ""


async def waiting(ctx: TenantContext, signal_id: int) -> Waiting:
    """One signal of the committee, for its classify page (404 outside the committee)."""
    async with tenant_scope(ctx.path):
        row = await Signal.select().where(
            (Signal.id == signal_id) & (Signal.committee == ctx.committee_id)
        ).first()  # fmt: skip
    if row is None:
        raise NotFound(N_("There is no such signal here."), field="signal_id")
    facts = dict(json_value(row["facts"]) or {})
    queued = row["status"] == "received" and row["case_id"] is None and waits_for_triage(row)
    if queued:
        async with tenant_scope(ctx.path):
            [item] = await _items(ctx, [dict(row)], vietnam_today())
    else:
        item = QueueItem(
            signal_id=signal_id, channel=row["channel"], kind=row["kind"],
            received_on=row["received_on"], summary=str(row["body"])[:200],
            anonymous=bool(row["anonymous"]),
        )  # fmt: skip
    return Waiting(
        item=item, body=str(row["body"]), subject_text=str(row["subject_text"]),
        source=str(row["source"]), facts=facts, status=str(row["status"]),
        classified_by=str(facts.get("classified_by") or ""),
        outside_remit=str(facts.get("outside_remit") or ""),
    )  # fmt: skip


async def _locked(ctx: TenantContext, signal_id: int) -> dict[str, Any]:
    if is_postgres():
        await Signal.raw("SELECT id FROM signal WHERE id = {} FOR UPDATE", signal_id)
    row = await Signal.select().where(
        (Signal.id == signal_id) & (Signal.committee == ctx.committee_id)
    ).first()  # fmt: skip
    if row is None:
        raise NotFound(N_("There is no such signal here."), field="signal_id")
    facts = json_value(row["facts"]) or {}
    first = facts.get("classified_by") if isinstance(facts, dict) else None
    if first or row["status"] != "received" or row["case_id"] is not None:
        if not first:
            raise Conflict(
                N_("This signal has already been classified."),
                field="classified_by",
            )
        raise Conflict(
            N_("This signal has already been classified by %(name)s."),
            field="classified_by",
            params={"name": first},
        )
    return dict(row)


async def classify(ctx: TenantContext, signal_id: int, data: Classification) -> Classified:
    """Classify (or close) one signal of the queue, then let the pack decide it."""
    who = ctx.full_name or ctx.username or "?"
    async with tenant_scope(ctx.path):
        row = await _locked(ctx, signal_id)
        facts = dict(json_value(row["facts"]) or {})
        if data.outside_remit:
            if not data.reason.strip():
                raise InvalidInput(N_("Give the reason the citizen will see."), field="reason")
            facts |= {"classified_by": who, "outside_remit": data.reason.strip()}
            await rewrite_signal(signal_id, status="rejected", facts=facts)
            await record(ctx, "signal.closed_outside_remit", "signal", signal_id,
                         {"reason_length": len(data.reason.strip())})  # fmt: skip
            return Classified(signal_id=signal_id, status="rejected")
        codes = await _codes(ctx, row["received_on"], data.indicators)
        kind = _kind(data.kind) or row["kind"]
        cadre = await _cadre(ctx, signal_id, data)
        facts |= {"classified_by": who, "corruption": data.corruption, "press": data.press,
                  "complex": data.complex_case}  # fmt: skip
        await rewrite_signal(signal_id, cadre=cadre, kind=kind, indicator_codes=codes,
                             facts=facts)  # fmt: skip
        await record(ctx, "signal.classified", "signal", signal_id,
                     {"cadre": cadre, "indicators": codes, "kind": kind,
                      "corruption": data.corruption, "press": data.press,
                      "complex": data.complex_case,
                      "registered": data.new_cadre is not None})  # fmt: skip
    (outcome,) = await decide_signals([signal_id])
    return Classified(signal_id=signal_id, status=outcome.status, case_id=outcome.case_id)


def _kind(kind: str) -> str:
    if kind and kind not in SIGNAL_KINDS:
        raise InvalidInput(N_("Choose a kind of information from the list."), field="kind")
    return kind


async def _codes(ctx: TenantContext, received: dt.date, chosen: list[str]) -> list[str]:
    codes = sorted({c.strip().upper() for c in chosen})
    if not codes:
        raise InvalidInput(N_("Choose at least one manifestation or duty."), field="indicators")
    pack = await active_pack(ctx.path, received)
    known = {i.code for i in pack.pack().indicators} if pack is not None else set()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(
            N_("%(codes)s: not in the catalogue of the plan in force."),
            field="indicators",
            params={"codes": ", ".join(unknown)},
        )
    return codes


async def _cadre(ctx: TenantContext, signal_id: int, data: Classification) -> int:
    if data.new_cadre is not None:
        if data.cadre_id is not None:
            raise InvalidInput(
                N_("Choose a registered cadre or register a new one, not both."),
                field="cadre_id",
            )
        return await _register(ctx, signal_id, data.new_cadre)
    if data.cadre_id is None:
        raise InvalidInput(N_("Choose the cadre."), field="cadre_id")
    found = await Cadre.select(Cadre.id).where(
        (Cadre.id == data.cadre_id) & path_within(Cadre.tenant_path, ctx.path)
    ).first()  # fmt: skip
    if found is None:
        raise NotFound(N_("There is no such cadre in this committee's scope."), field="cadre_id")
    return int(found["id"])


async def _register(ctx: TenantContext, signal_id: int, person: NewCadre) -> int:
    """Register the person in the committee's own register (inside the classification's
    transaction: refused together), with a code naming the signal it came from."""
    taken = {r["code"] for r in await Cadre.select(Cadre.code).where(
        (Cadre.committee == ctx.committee_id) & Cadre.code.like(f"PL-{signal_id}%"))}  # fmt: skip
    code = next(c for n in range(1, 1000) if (c := f"PL-{signal_id}-{n}") not in taken)
    view = await create_cadre(ctx, CadreCreate(
        code=code, full_name=person.full_name.strip(), position=person.position.strip(),
        workplace=person.workplace.strip(), managing_level=person.managing_level,
        party_member=True,
    ))  # fmt: skip
    return view.id


#: Who is reminded of signals waiting too long for triage.
REMINDED_ROLES = ("democracy_law", "office", "standing_board")


async def remind_overdue(today: dt.date) -> int:
    """Remind each committee, once per signal, of the signals waiting for triage longer than
    the pack in force on their received date allows; the number of signals reminded of."""
    from giamsat.db.scope import system_scope
    from giamsat.notifications.schemas import Title
    from giamsat.notifications.service import notify

    async with system_scope():
        rows = await Signal.select(
            Signal.id, Signal.committee, Signal.tenant_path, Signal.received_on, Signal.cadre,
            Signal.indicator_codes, Signal.facts, Signal.committee.code.as_alias("code"),
        ).where((Signal.status == "received") & Signal.case_id.is_null())  # fmt: skip
        calendar = await working_calendar()
    limits: dict[tuple[str, dt.date], int | None] = {}
    due: dict[tuple[int, str, str], list[tuple[int, dict[str, Any], int]]] = {}
    for r in rows:
        facts = dict(json_value(r["facts"]) or {})
        if not waits_for_triage(r) or facts.get("triage_reminded_on"):
            continue
        key = (r["tenant_path"], r["received_on"])
        if key not in limits:
            limits[key] = await triage_days(*key)
        days, received = limits[key], r["received_on"]
        waited = calendar.working_days_between(received, max(received, today))
        if days is not None and waited > days:
            group = (int(r["committee"]), str(r["tenant_path"]), str(r["code"]))
            due.setdefault(group, []).append((int(r["id"]), facts, waited))
    reminded = 0
    for (committee, path, code), signals in sorted(due.items()):
        async with tenant_scope(path):
            for signal_id, facts, waited in signals:
                await rewrite_signal(
                    signal_id, facts=facts | {"triage_reminded_on": today.isoformat()}
                )
                await record(committee, "signal.triage_reminded", "signal", signal_id,
                             {"working_days_waited": waited})  # fmt: skip
            n = len(signals)
            await notify(committee, list(REMINDED_ROLES), "triage.overdue", Title(
                vi=f"{n} tín hiệu chờ phân loại quá thời hạn của kế hoạch",
                en=f"{n} signal(s) waiting for triage longer than the plan allows",
            ), link=f"/c/{code}/triage/")  # fmt: skip
            reminded += n
    return reminded
