"""Opening a case (mở vụ việc): the one entry point the decision step (``giamsat.decisions``) calls.

The due date is computed before anything is written (every year has a calendar, provisional
until confirmed); the case, its clock, findings, signal links, first history event, audit
record and notification then commit together in one scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from giamsat.audit.schemas import Actor
from giamsat.audit.service import record
from giamsat.cadres.tables import Cadre
from giamsat.calendar import COMPLEX_ANSWER_DAYS, STANDARD_ANSWER_DAYS
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.committees import by_code, common_scope
from giamsat.cases.policy import CasePolicy, CommitteeNode
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import CaseView, OpenCase
from giamsat.cases.statuses import Status
from giamsat.cases.tables import Case, CaseClock, CaseEvent, Finding
from giamsat.db.engine import is_postgres
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.errors import InvalidInput
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_


def clock_length(data_clock_days: int | None, complex_case: bool) -> int:
    if data_clock_days is not None:
        return data_clock_days
    return COMPLEX_ANSWER_DAYS if complex_case else STANDARD_ANSWER_DAYS


def system_context(node: CommitteeNode) -> TenantContext:
    """A context acting for ``node`` with no user (rule packs, sweeps)."""
    return TenantContext(
        committee_id=node.id,
        committee_code=node.code,
        committee_name=node.name,
        committee_level=node.level,
        path=node.path,
    )


def _check_findings(codes: list[str]) -> list[str]:
    cleaned = [c.strip().upper() for c in codes]
    for code in cleaned:
        if not code or len(code) > 16:
            raise InvalidInput(
                N_("The indicator code %(code)s must be 1 to 16 characters long."),
                field="findings",
                params={"code": code},
            )
    return cleaned


async def _check_signals(signal_ids: list[int], scope: str) -> None:
    if not signal_ids:
        return
    rows = await Signal.select(Signal._meta.primary_key, Signal.case_id).where(
        Signal._meta.primary_key.is_in(signal_ids) & path_within(Signal.tenant_path, scope)
    )
    found = {r["id"]: r["case_id"] for r in rows}
    missing = sorted(set(signal_ids) - set(found))
    if missing:
        raise InvalidInput(
            N_("Some of the signals are not among these committees' signals."), field="signal_ids"
        )
    taken = sorted(i for i, case in found.items() if case is not None)
    if taken:
        raise InvalidInput(N_("Some of the signals already belong to a case."), field="signal_ids")


async def _check_references(data: OpenCase, scope: str) -> None:
    """The signals, cadre and earlier case the body names, each looked up inside ``scope``: one
    elsewhere is refused exactly like one that does not exist (SQLite has no second wall)."""
    await _check_signals(data.signal_ids, scope)
    if data.cadre_id is not None and not await Cadre.exists().where(
        (Cadre._meta.primary_key == data.cadre_id) & path_within(Cadre.tenant_path, scope)
    ):
        raise InvalidInput(N_("The cadre is not among these committees' cadres."), field="cadre_id")
    if data.follow_up_of is not None and not await Case.exists().where(
        (Case._meta.primary_key == data.follow_up_of) & path_within(Case.tenant_path, scope)
    ):
        raise InvalidInput(
            N_("The earlier case is not among these committees' cases."), field="follow_up_of"
        )


async def open_case(
    ctx_or_committee: TenantContext | int,
    data: OpenCase,
    *,
    policy: CasePolicy | None = None,
    routed_by_pack: bool = False,
) -> CaseView:
    """Open a case routed to ``data.owner``; returns it as the owning committee sees it.
    ``policy`` is what the deciding pack allows later (see ``giamsat.cases.policy``).

    A user's request may name only committees, signals, cadres and cases inside the user's own
    subtree; the rule pack (a committee id, no user) routes anywhere and may name anything under
    the owner and origin. ``routed_by_pack``: the owner is the one the pack chose for a user's
    request (a case opened by hand), checked by the caller; everything else stays in scope."""
    owner = await by_code(data.owner, field="owner")
    origin = await by_code(data.origin, field="origin")
    actor = Actor()
    scope = common_scope(owner.path, origin.path)
    if isinstance(ctx_or_committee, TenantContext):
        ctx = ctx_or_committee
        for node, field in ((owner, "owner"), (origin, "origin")):
            if field == "owner" and routed_by_pack:
                continue  # the pack routed it (a case by hand goes where the pack says)
            if not ctx.covers(node.path):  # worded as by_code words an unknown code
                raise InvalidInput(
                    N_("There is no committee with code %(code)s."),
                    field=field,
                    params={"code": node.code},
                )
        actor = Actor(user_id=ctx.user_id, username=ctx.username or "system")
        scope = ctx.path
    findings = _check_findings(data.findings)
    days = clock_length(data.clock_days, data.complex_case)
    calendar = await working_calendar()
    due = calendar.add_working_days(data.received_on, days).due
    async with tenant_scope(common_scope(owner.path, origin.path, scope)):
        await _check_references(data, scope)
        case_id = await _insert(owner, origin, data, due, policy)
        await CaseClock(
            case=case_id, tenant_path=owner.path, clock_days=days, follow_up_of=data.follow_up_of
        ).save()
        for code in findings:
            await Finding(
                case=case_id, tenant_path=owner.path, indicator=code, rule_id=_rule_for(data)
            ).save()
        if data.signal_ids:
            await Signal.update({Signal.case_id: case_id}).where(
                Signal._meta.primary_key.is_in(data.signal_ids)
            )
        details: dict[str, Any] = {
            "owner": owner.code,
            "origin": origin.code,
            "pack_version": data.pack_version,
            "rules": [r.id for r in data.fired_rules][:20],
            "clock_days": days,
            "due_on": due.isoformat(),
            "signals": data.signal_ids[:50],
        }
        await CaseEvent(
            case=case_id,
            tenant_path=owner.path,
            actor=actor.user_id,
            action="opened",
            to_status=Status.RECEIVED.value,
            details=details,
        ).save()
        await record(owner.id, "case.opened", "case", case_id, details, actor=actor)
        await notify(
            owner.id,
            ["democracy_law", "standing_board"],
            "case.opened",
            Title(vi="Vụ việc mới cần xử lý", en="A new case to handle"),
            link=f"/c/{owner.code}/cases/{case_id}",
        )
    async with tenant_scope(owner.path):
        repo = CaseRepository(system_context(owner))
        return await repo.view(await repo.row(case_id))


def _rule_for(data: OpenCase) -> str:
    return data.fired_rules[0].id[:80] if data.fired_rules else ""


async def _insert(
    owner: CommitteeNode,
    origin: CommitteeNode,
    data: OpenCase,
    due: dt.date,
    policy: CasePolicy | None,
) -> int:
    case = Case(
        committee=owner.id,
        tenant_path=owner.path,
        origin_path=origin.path,
        number="",
        cadre=data.cadre_id,
        subject_name=data.subject_name.strip(),
        title=data.title.strip(),
        status=Status.RECEIVED.value,
        priority=data.priority,
        complex_case=data.complex_case,
        managing_level=data.managing_level,
        pack_version=data.pack_version,
        fired_rules=[msgspec.to_builtins(r) for r in data.fired_rules],
        policy=msgspec.to_builtins(policy) if policy is not None else {},
        received_on=data.received_on,
        due_on=due,
    )
    await case.save()
    number = f"{data.received_on.year}/{owner.code}/{case.id}"
    await Case.update({Case.number: number}).where(Case.id == case.id)
    return int(case.id)


#: First key of the advisory lock taken while deciding whether a cadre's case exists ("case").
_CASE_LOCK = 0x63617365


async def open_case_about(cadre_id: int, owner: CommitteeNode) -> int | None:
    """The cadre's open case at ``owner``, if any. Call inside the scope that will open or
    attach: on PostgreSQL it takes a per-cadre transaction lock first, so two replicas deciding
    signals about the same person never open two cases."""
    if is_postgres():
        await Case.raw("SELECT pg_advisory_xact_lock({}, {})", _CASE_LOCK, int(cadre_id))
    row = await Case.select(Case.id).where(
        (Case.cadre == cadre_id) & (Case.committee == owner.id)
        & Case.closed_at.is_null() & Case.merged_into.is_null()
        & Case.status.not_in(["closed", "merged"])
    ).order_by(Case.id, ascending=False).first()  # fmt: skip
    return int(row["id"]) if row is not None else None


async def attach_signal(
    case_id: int,
    owner: CommitteeNode,
    signal_id: int,
    findings: list[str],
    *,
    rule_ids: list[str],
    pack_version: str,
) -> None:
    """Attach a decided signal to an open case: the new findings and a history event."""
    known = {r["indicator"] for r in await Finding.select(Finding.indicator).where(
        Finding.case == case_id)}  # fmt: skip
    rule = rule_ids[0][:80] if rule_ids else ""
    for code in findings:
        if code not in known:
            await Finding(case=case_id, tenant_path=owner.path, indicator=code,
                          signal_id=signal_id, rule_id=rule).save()  # fmt: skip
    await Signal.update({Signal.case_id: case_id}).where(Signal.id == signal_id)
    await CaseEvent(case=case_id, tenant_path=owner.path, action="signal_attached",
                    details={"signal": signal_id, "pack_version": pack_version,
                             "rules": rule_ids[:20]}).save()  # fmt: skip
