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

from giamsat.audit.service import record
from giamsat.cadres.tables import Cadre
from giamsat.db.engine import is_postgres
from giamsat.db.scope import tenant_scope
from giamsat.decisions.service import decide_signals
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.plans.facts import json_value
from giamsat.plans.service import active_pack
from giamsat.signals.tables import Signal, SignalIndicator
from giamsat.tenancy.context import TenantContext

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


class QueueItem(msgspec.Struct, frozen=True, kw_only=True):
    signal_id: int
    channel: str
    kind: str
    received_on: dt.date
    summary: str
    anonymous: bool


class Classification(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Either a cadre with indicators (and flags), or ``outside_remit`` with its reason."""

    cadre_id: int | None = None
    indicators: Annotated[list[Code], msgspec.Meta(max_length=20)] = []
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


async def queue(ctx: TenantContext, limit: int = 200) -> list[QueueItem]:
    """The committee's signals waiting for classification, oldest first."""
    async with tenant_scope(ctx.path):
        rows = await Signal.select(
            Signal.id, Signal.channel, Signal.kind, Signal.received_on, Signal.body,
            Signal.anonymous, Signal.cadre, Signal.indicator_codes,
        ).where(_unclassified(ctx)).order_by(Signal.received_on).order_by(Signal.id).limit(
            limit)  # fmt: skip
    return [
        QueueItem(
            signal_id=r["id"],
            channel=r["channel"],
            kind=r["kind"],
            received_on=r["received_on"],
            summary=str(r["body"])[:200],
            anonymous=bool(r["anonymous"]),
        )
        for r in rows
        if r["cadre"] is None or not json_value(r["indicator_codes"])
    ]


async def _locked(ctx: TenantContext, signal_id: int) -> dict[str, Any]:
    if is_postgres():
        await Signal.raw("SELECT id FROM signal WHERE id = {} FOR UPDATE", signal_id)
    row = await Signal.select().where(
        (Signal.id == signal_id) & (Signal.committee == ctx.committee_id)
    ).first()  # fmt: skip
    if row is None:
        raise NotFound("không tìm thấy tín hiệu (no such signal here)", field="signal_id")
    facts = json_value(row["facts"]) or {}
    first = facts.get("classified_by") if isinstance(facts, dict) else None
    if first or row["status"] != "received" or row["case_id"] is not None:
        who = first or "một cán bộ khác (another officer)"
        raise Conflict(f"Tín hiệu đã được phân loại bởi {who} (already classified by {who})")
    return dict(row)


async def classify(ctx: TenantContext, signal_id: int, data: Classification) -> Classified:
    """Classify (or close) one signal of the queue, then let the pack decide it."""
    who = ctx.username or "?"
    async with tenant_scope(ctx.path):
        row = await _locked(ctx, signal_id)
        facts = dict(json_value(row["facts"]) or {})
        if data.outside_remit:
            if not data.reason.strip():
                raise InvalidInput("Nêu lý do (give the reason the citizen will see)",
                                   field="reason")  # fmt: skip
            facts |= {"classified_by": who, "outside_remit": data.reason.strip()}
            await Signal.update({Signal.status: "rejected", Signal.facts: facts}).where(
                Signal.id == signal_id)  # fmt: skip
            await record(ctx, "signal.closed_outside_remit", "signal", signal_id,
                         {"reason_length": len(data.reason.strip())})  # fmt: skip
            return Classified(signal_id=signal_id, status="rejected")
        codes = await _codes(ctx, row["received_on"], data.indicators)
        cadre = await _cadre(ctx, data.cadre_id)
        facts |= {"classified_by": who, "corruption": data.corruption, "press": data.press,
                  "complex": data.complex_case}  # fmt: skip
        await Signal.update({Signal.cadre: cadre, Signal.indicator_codes: codes,
                             Signal.facts: facts}).where(Signal.id == signal_id)  # fmt: skip
        await _indicator_rows(signal_id, row, codes)
        await record(ctx, "signal.classified", "signal", signal_id,
                     {"cadre": cadre, "indicators": codes, "corruption": data.corruption,
                      "press": data.press, "complex": data.complex_case})  # fmt: skip
    (outcome,) = await decide_signals([signal_id])
    return Classified(signal_id=signal_id, status=outcome.status, case_id=outcome.case_id)


async def _codes(ctx: TenantContext, received: dt.date, chosen: list[str]) -> list[str]:
    codes = sorted({c.strip().upper() for c in chosen})
    if not codes:
        raise InvalidInput("Chọn ít nhất một biểu hiện hoặc nhiệm vụ (choose at least one "
                           "manifestation or duty)", field="indicators")  # fmt: skip
    pack = await active_pack(ctx.path, received)
    known = {i.code for i in pack.pack().indicators} if pack is not None else set()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(f"{', '.join(unknown)}: không có trong danh mục của kế hoạch đang "
                           "áp dụng (not in the catalogue of the pack in force)",
                           field="indicators")  # fmt: skip
    return codes


async def _cadre(ctx: TenantContext, cadre_id: int | None) -> int:
    if cadre_id is None:
        raise InvalidInput("Chọn cán bộ (choose the cadre)", field="cadre_id")
    found = await Cadre.select(Cadre.id).where(
        (Cadre.id == cadre_id) & Cadre.tenant_path.like(f"{ctx.path}%")
    ).first()  # fmt: skip
    if found is None:
        raise NotFound("không tìm thấy cán bộ trong phạm vi đơn vị (no such cadre here)",
                       field="cadre_id")  # fmt: skip
    return int(found["id"])


async def _indicator_rows(signal_id: int, row: dict[str, Any], codes: list[str]) -> None:
    await SignalIndicator.delete().where(SignalIndicator.signal == signal_id)
    for code in codes:
        await SignalIndicator(
            signal=signal_id, tenant_path=row["tenant_path"], code=code,
            channel=row["channel"], received_on=row["received_on"],
        ).save()  # fmt: skip
