"""Changing a case: status, transfer, forwarding up, merging, complexity, clock, assignee.

Only the owning committee acts on a case. Every change checks first and then writes the case,
one history event (CaseEvent) and one audit record in the same scope, so a refused change
leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from giamsat import clock
from giamsat.accounts.tables import User
from giamsat.audit.service import record
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.committees import by_code, by_id, by_path, common_scope, neighbours
from giamsat.cases.opening import clock_length
from giamsat.cases.policy import (
    CaseFacts,
    CommitteeNode,
    case_facts,
    pause_opinion,
    transfer_opinion,
)
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import (
    Assign,
    CaseDetail,
    CaseListItem,
    ClockChange,
    ComplexFlag,
    Forward,
    Merge,
    StatusChange,
    Transfer,
)
from giamsat.cases.statuses import STATUS_LABELS, TERMINAL_STATUSES, Status, check_transition
from giamsat.cases.tables import Case, CaseClock, CaseEvent, Finding
from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput, NotFound
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, Word

#: Statuses reached only through their own action (they move or link the case).
#: Statuses a case reaches only through their own action, and what to use instead.
_OWN_ACTIONS = {
    Status.FORWARDED: N_("A case is sent up with its own action (Send up), not a status change."),
    Status.MERGED: N_("A case is merged with its own action (Merge), not a status change."),
    Status.ESCALATED: N_("A case escalates by itself when it is overdue, not by a status change."),
}


async def facts_of(row: Mapping[str, Any]) -> CaseFacts:
    return case_facts(row, await by_path(row["tenant_path"]))


async def _event(
    ctx: TenantContext,
    row: Mapping[str, Any],
    action: str,
    to_status: str,
    reason: str,
    details: dict[str, Any],
    *,
    path: str | None = None,
) -> None:
    await CaseEvent(
        case=row["id"],
        tenant_path=path or row["tenant_path"],
        actor=ctx.user_id,
        action=action,
        from_status=row["status"],
        to_status=to_status,
        reason=reason.strip(),
        details=details,
    ).save()
    audit = {"from_status": row["status"], "to_status": to_status, **details}
    await record(ctx, f"case.{action}", "case", row["id"], audit)


async def _detail(ctx: TenantContext, case_id: int) -> CaseDetail:
    async with tenant_scope(ctx.path):
        return await CaseRepository(ctx).detail(case_id)


async def change_status(ctx: TenantContext, case_id: int, change: StatusChange) -> CaseDetail:
    """Move the case along the workflow (see ``statuses.TRANSITIONS``)."""
    async with tenant_scope(ctx.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        target = check_transition(row["status"], change.status)
        if target in _OWN_ACTIONS:
            raise InvalidInput(_OWN_ACTIONS[target], field="status")
        values: dict[Any, Any] = {Case.status: target.value}
        if target in TERMINAL_STATUSES:
            values[Case.closed_at] = dt.datetime.now(dt.UTC)
        await Case.update(values).where(Case.id == case_id)
        await _event(ctx, row, "status_changed", target.value, change.reason, {})
    return await _detail(ctx, case_id)


async def _move(
    ctx: TenantContext,
    row: Mapping[str, Any],
    target: CommitteeNode,
    action: str,
    to_status: str,
    reason: str,
) -> None:
    """Hand the case and its history to ``target`` (inside a scope covering both)."""
    case_id = row["id"]
    await Case.update(
        {Case.committee: target.id, Case.tenant_path: target.path, Case.status: to_status}
    ).where(Case.id == case_id)
    for table in (CaseEvent, Finding, CaseClock):
        await table.update({table.tenant_path: target.path}).where(table.case == case_id)
    details = {"from_committee": ctx.committee_code, "to_committee": target.code}
    await _event(ctx, row, action, to_status, reason, details, path=target.path)
    await notify(
        target.id,
        ["democracy_law", "standing_board"],
        f"case.{action}",
        Title(vi="Vụ việc được chuyển đến", en="A case was handed to your committee"),
        link=f"/c/{target.code}/cases/{case_id}",
    )


async def transfer_targets(ctx: TenantContext, case_id: int) -> list[CommitteeNode]:
    """The committees this case may be handed to now: the parent and the children in force that
    the case's pack allows (never below the level it routed the case to)."""
    async with tenant_scope(ctx.path):
        try:
            row = await CaseRepository(ctx).owned_row(case_id)
        except NotFound:  # seen from above: only the owner hands a case on
            return []
        facts = await facts_of(row)
    if row["status"] in {s.value for s in TERMINAL_STATUSES}:
        return []
    near = await neighbours(facts.owner, clock.today())
    return [node for node in near if (await transfer_opinion(facts, node)).allow]


#: How many open cases the merge form offers at once (a number search finds the others).
MERGE_TARGETS = 20


async def merge_targets(ctx: TenantContext, case_id: int, number: str = "") -> list[CaseListItem]:
    """The committee's own open cases this case may be merged into: the ``MERGE_TARGETS`` most
    recently received, those about the same cadre first, or those whose number contains
    ``number``. None for a case the committee does not own."""
    async with tenant_scope(ctx.path):
        repo = CaseRepository(ctx)
        try:
            row = await repo.owned_row(case_id)
        except NotFound:
            return []
        return await repo.merge_candidates(case_id, row["cadre"], number[:40], MERGE_TARGETS)


async def transfer(ctx: TenantContext, case_id: int, data: Transfer) -> CaseDetail:
    """Hand the case to another committee with a reason; the history goes with it."""
    target = await by_code(data.target, field="target")
    async with tenant_scope(ctx.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        facts = await facts_of(row)
    if row["status"] in {s.value for s in TERMINAL_STATUSES}:
        raise InvalidInput(
            N_("Case %(number)s is %(status)s: it cannot be transferred."), field="status",
            params={"number": row["number"], "status": Word(STATUS_LABELS[Status(row["status"])])},
        )  # fmt: skip
    opinion = await transfer_opinion(facts, target)
    if not opinion.allow:
        raise InvalidInput(opinion.reason, field="target", params=opinion.params)
    async with tenant_scope(common_scope(ctx.path, target.path)):
        row = await CaseRepository(ctx).owned_row(case_id)
        await _move(ctx, row, target, "transferred", row["status"], data.reason)
    return await _detail(ctx, case_id)


async def forward_up(ctx: TenantContext, case_id: int, data: Forward) -> CaseDetail:
    """Refer the case to the parent committee (chuyển cấp trên); the origin keeps the status."""
    committee = await by_id(ctx.committee_id)
    if committee.parent_id is None:
        raise InvalidInput(N_("Your committee has no committee above it to send the case to."))
    parent = await by_id(committee.parent_id)
    async with tenant_scope(parent.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        check_transition(row["status"], Status.FORWARDED.value)
        await _move(ctx, row, parent, "forwarded", Status.FORWARDED.value, data.reason)
    return await _detail(ctx, case_id)


async def merge(ctx: TenantContext, case_id: int, data: Merge) -> CaseDetail:
    """Close the case as a duplicate of ``data.into`` (gộp vụ việc trùng)."""
    if data.into == case_id:
        raise InvalidInput(N_("A case cannot be merged into itself."), field="into")
    async with tenant_scope(ctx.path):
        repo = CaseRepository(ctx)
        row = await repo.owned_row(case_id)
        check_transition(row["status"], Status.MERGED.value)
        try:
            other = await repo.row(data.into)
        except NotFound:
            raise InvalidInput(
                N_("The case to merge into is not among your committee's cases."), field="into"
            ) from None
        if other["tenant_path"] != ctx.path or other["status"] in {
            s.value for s in TERMINAL_STATUSES
        }:
            raise InvalidInput(
                N_("Case %(number)s is not an open case of your committee."), field="into",
                params={"number": other["number"]},
            )  # fmt: skip
        await Case.update(
            {
                Case.status: Status.MERGED.value,
                Case.merged_into: data.into,
                Case.closed_at: dt.datetime.now(dt.UTC),
            }
        ).where(Case.id == case_id)
        await _event(ctx, row, "merged", Status.MERGED.value, data.reason, {"into": data.into})
    return await _detail(ctx, case_id)


async def set_complex(ctx: TenantContext, case_id: int, data: ComplexFlag) -> CaseDetail:
    """Flag or unflag a complex case (vụ việc phức tạp): the clock becomes 30 or 20 days."""
    calendar = await working_calendar()
    async with tenant_scope(ctx.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        clock = await _clock(case_id)
        days = clock_length(None, data.complex_case)
        due = calendar.add_working_days(row["received_on"], days + clock["paused_days"]).due
        await Case.update({Case.complex_case: data.complex_case, Case.due_on: due}).where(
            Case.id == case_id
        )
        await CaseClock.update({CaseClock.clock_days: days}).where(CaseClock.case == case_id)
        details = {"complex_case": data.complex_case, "clock_days": days, "due_on": due.isoformat()}
        await _event(ctx, row, "complexity_changed", row["status"], data.reason, details)
    return await _detail(ctx, case_id)


async def _clock(case_id: int) -> dict[str, Any]:
    clock = await CaseClock.select().where(CaseClock.case == case_id).first()
    if clock is None:
        raise NotFound(N_("This case has no clock."))
    return dict(clock)


async def pause_clock(ctx: TenantContext, case_id: int, data: ClockChange) -> CaseDetail:
    """Stop the clock where the rule pack allows it (tạm dừng tính hạn)."""
    on = data.on or clock.today()
    async with tenant_scope(ctx.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        opinion = await pause_opinion(await facts_of(row))
        if not opinion.allow:
            raise InvalidInput(opinion.reason, field="status", params=opinion.params)
        state = await _clock(case_id)
        if state["paused_since"] is not None:
            raise InvalidInput(
                N_("The clock has been paused since %(since)s."),
                params={"since": f"{state['paused_since']:%d/%m/%Y}"},
            )
        if on < row["received_on"]:
            raise InvalidInput(
                N_("The clock cannot be paused on %(on)s, before the case was received."),
                field="on", params={"on": f"{on:%d/%m/%Y}"},
            )  # fmt: skip
        await CaseClock.update({CaseClock.paused_since: on}).where(CaseClock.case == case_id)
        await _event(ctx, row, "clock_paused", row["status"], data.reason, {"on": on.isoformat()})
    return await _detail(ctx, case_id)


async def resume_clock(ctx: TenantContext, case_id: int, data: ClockChange) -> CaseDetail:
    """Restart the clock; the working days it stood still push the due date back."""
    on = data.on or clock.today()
    calendar = await working_calendar()
    async with tenant_scope(ctx.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        state = await _clock(case_id)
        since = state["paused_since"]
        if since is None:
            raise InvalidInput(N_("The clock is not paused."))
        if on < since:
            raise InvalidInput(
                N_("The clock cannot restart on %(on)s, before it was paused on %(since)s."),
                field="on", params={"on": f"{on:%d/%m/%Y}", "since": f"{since:%d/%m/%Y}"},
            )  # fmt: skip
        paused = state["paused_days"] + calendar.working_days_between(since, on)
        due = calendar.add_working_days(row["received_on"], state["clock_days"] + paused).due
        await CaseClock.update({CaseClock.paused_since: None, CaseClock.paused_days: paused}).where(
            CaseClock.case == case_id
        )
        await Case.update({Case.due_on: due}).where(Case.id == case_id)
        details = {"on": on.isoformat(), "paused_days": paused, "due_on": due.isoformat()}
        await _event(ctx, row, "clock_resumed", row["status"], data.reason, details)
    return await _detail(ctx, case_id)


async def assign(ctx: TenantContext, case_id: int, data: Assign) -> CaseDetail:
    """Give the case to one of the committee's active staff (or to nobody)."""
    async with tenant_scope(ctx.path):
        row = await CaseRepository(ctx).owned_row(case_id)
        if data.assignee is not None:
            exists = await User.exists().where(
                (User.id == data.assignee)
                & (User.committee == ctx.committee_id)
                & (User.active == True)  # noqa: E712
            )
            if not exists:
                raise InvalidInput(
                    N_("Choose an active staff member of your committee."), field="assignee"
                )
        await Case.update({Case.assignee: data.assignee}).where(Case.id == case_id)
        await _event(ctx, row, "assigned", row["status"], "", {"assignee": data.assignee})
        if data.assignee is not None:
            await notify(
                ctx.committee_id,
                [data.assignee],
                "case.assigned",
                Title(vi="Vụ việc được giao cho bạn", en="A case was assigned to you"),
                link=f"/c/{ctx.committee_code}/cases/{case_id}",
            )
    return await _detail(ctx, case_id)
