"""The steps of a supervision delegation, each checked before anything is written.

plan → decision (one head, a secretary) → notice and report outline, at least the committee's
lead time before the first working session → the supervised body's report → working sessions
with minutes → results report → recommendation letter (its items start the answer clocks) →
the answer. Every step writes an audit record in the same scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from giamsat.audit.service import record
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.repository import CaseRepository
from giamsat.db.scope import tenant_scope
from giamsat.delegations.repository import delegation_row, view
from giamsat.delegations.schemas import (
    Answer,
    Decision,
    DelegationPlan,
    DelegationView,
    Letter,
    Minutes,
    Notice,
    NoticeSetting,
    ReportReceived,
    Results,
)
from giamsat.delegations.tables import (
    Delegation,
    DelegationMember,
    DelegationSettings,
    WorkingSession,
)
from giamsat.documents import DEFAULT_MIN_NOTICE_DAYS
from giamsat.errors import InvalidInput
from giamsat.recommendations.service import ANSWER_PERIOD_DAYS, create_items
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_


def _require(row: dict[str, Any], *statuses: str, step: str) -> None:
    if row["status"] not in statuses:
        raise InvalidInput(
            f"delegation {row['id']} is {row['status']!r}: {step} needs it to be "
            f"{' or '.join(repr(s) for s in statuses)}",
            field="status",
        )


def _after(later: dt.date, earlier: dt.date | None, what: str, before_what: str) -> None:
    if earlier is not None and later < earlier:
        raise InvalidInput(f"{what} ({later}) cannot be before {before_what} ({earlier})")


async def _finish(
    ctx: TenantContext, delegation_id: int, action: str, details: dict[str, Any]
) -> None:
    await record(ctx, f"delegation.{action}", "delegation", delegation_id, details)


async def min_notice_days(ctx: TenantContext) -> int:
    row = (
        await DelegationSettings.select(DelegationSettings.min_notice_days)
        .where(DelegationSettings.committee == ctx.committee_id)
        .first()
    )
    return int(row["min_notice_days"]) if row else DEFAULT_MIN_NOTICE_DAYS


async def set_min_notice_days(ctx: TenantContext, data: NoticeSetting) -> int:
    """The committee's notice lead time (default 15 days, NQLT 403/2017)."""
    async with tenant_scope(ctx.path):
        current = await min_notice_days(ctx)
        await DelegationSettings.delete().where(DelegationSettings.committee == ctx.committee_id)
        await DelegationSettings(
            committee=ctx.committee_id, tenant_path=ctx.path, min_notice_days=data.min_notice_days
        ).save()
        await record(
            ctx,
            "delegation.settings_changed",
            "committee",
            ctx.committee_id,
            {"min_notice_days": data.min_notice_days, "previous": current},
        )
    return data.min_notice_days


async def plan(ctx: TenantContext, data: DelegationPlan) -> DelegationView:
    if data.period_start > data.period_end:
        raise InvalidInput(
            f"the supervised period starts {data.period_start} after it ends {data.period_end}",
            field="period_start",
        )
    if not data.indicators:
        raise InvalidInput("a supervision plan needs at least one content item", field="indicators")
    async with tenant_scope(ctx.path):
        if data.case_id is not None and not await CaseRepository(ctx).in_subtree(data.case_id):
            raise InvalidInput(f"no case {data.case_id} in your committee's view", field="case_id")
        row = Delegation(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            case_id=data.case_id,
            subject=data.subject.strip(),
            supervised_name=data.supervised_name.strip(),
            supervised_address=data.supervised_address.strip(),
            plan_reference=data.plan_reference.strip(),
            period_start=data.period_start,
            period_end=data.period_end,
            indicators=msgspec.to_builtins(data.indicators),
            min_notice_days=await min_notice_days(ctx),
        )
        await row.save()
        await _finish(ctx, row.id, "planned", {"case_id": data.case_id})
        return await view(ctx, row.id)


async def decide(ctx: TenantContext, delegation_id: int, data: Decision) -> DelegationView:
    """Form the delegation; refused without exactly one head or without a secretary."""
    heads = [m for m in data.members if m.role == "head"]
    if len(heads) != 1:
        raise InvalidInput(
            N_("A delegation needs exactly one head; this one has %(count)s."),
            field="members",
            params={"count": len(heads)},
        )
    if not any(m.role == "secretary" for m in data.members):
        raise InvalidInput(N_("A delegation needs a secretary."), field="members")
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "planned", step="the decision")
        for m in data.members:
            await DelegationMember(
                delegation=delegation_id,
                tenant_path=ctx.path,
                full_name=m.full_name.strip(),
                role=m.role,
                position=m.position,
                organisation=m.organisation,
                source=m.source,
                official=m.official,
            ).save()
        await Delegation.update(
            {
                Delegation.status: "decided",
                Delegation.decision_on: data.decided_on,
                Delegation.decision_number: data.number,
                Delegation.signer_name: data.signer_name,
                Delegation.signer_title: data.signer_title,
                Delegation.signer_capacity: data.signer_capacity,
            }
        ).where(Delegation.id == delegation_id)
        await _finish(ctx, delegation_id, "decided", {"members": len(data.members)})
        return await view(ctx, delegation_id)


async def send_notice(ctx: TenantContext, delegation_id: int, data: Notice) -> DelegationView:
    """Send the notice and report outline; the first session must be far enough ahead."""
    if not data.sessions:
        raise InvalidInput("the notice needs the working sessions' schedule", field="sessions")
    first = min(s.held_on for s in data.sessions)
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "decided", step="the notice")
        _after(data.notice_on, row["decision_on"], "the notice", "the decision")
        lead, needed = (first - data.notice_on).days, row["min_notice_days"]
        if lead < needed:
            raise InvalidInput(
                f"the notice and report outline must reach the supervised body at least {needed} "
                f"days before the first working session ({first}); {data.notice_on} gives {lead}",
                field="notice_on",
            )
        if not data.notice_on <= data.report_due <= first:
            raise InvalidInput(
                f"the report due date {data.report_due} must fall between the "
                f"notice and the first session",
                field="report_due",
            )
        for s in data.sessions:
            await WorkingSession(
                delegation=delegation_id,
                tenant_path=ctx.path,
                held_on=s.held_on,
                time=s.time,
                place=s.place,
                activity=s.activity,
            ).save()
        await Delegation.update(
            {
                Delegation.status: "notified",
                Delegation.notice_on: data.notice_on,
                Delegation.notice_number: data.number,
                Delegation.report_due: data.report_due,
            }
        ).where(Delegation.id == delegation_id)
        await _finish(
            ctx, delegation_id, "notified", {"lead_days": lead, "sessions": len(data.sessions)}
        )
        return await view(ctx, delegation_id)


async def receive_report(
    ctx: TenantContext, delegation_id: int, data: ReportReceived
) -> DelegationView:
    """The supervised body's own written report arrived."""
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "notified", step="receiving the report")
        _after(data.received_on, row["notice_on"], "the report", "the notice")
        await Delegation.update(
            {Delegation.status: "report_received", Delegation.report_received_on: data.received_on}
        ).where(Delegation.id == delegation_id)
        await _finish(ctx, delegation_id, "report_received", {"on": data.received_on.isoformat()})
        return await view(ctx, delegation_id)


async def record_minutes(ctx: TenantContext, delegation_id: int, data: Minutes) -> DelegationView:
    """Keep the minutes (biên bản) of one working session."""
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "report_received", "in_session", step="recording minutes")
        done = (
            await WorkingSession.update({WorkingSession.minutes: data.minutes.strip()})
            .where(
                (WorkingSession.id == data.session_id)
                & (WorkingSession.delegation == delegation_id)
            )
            .returning(WorkingSession.id)
        )
        if not done:
            raise InvalidInput(
                f"delegation {delegation_id} has no session {data.session_id}", field="session_id"
            )
        await Delegation.update({Delegation.status: "in_session"}).where(
            Delegation.id == delegation_id
        )
        await _finish(ctx, delegation_id, "minutes_recorded", {"session_id": data.session_id})
        return await view(ctx, delegation_id)


async def report_results(ctx: TenantContext, delegation_id: int, data: Results) -> DelegationView:
    """The results report (báo cáo kết quả giám sát), after the sessions."""
    if not data.findings:
        raise InvalidInput("the results report needs at least one finding", field="findings")
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "in_session", step="the results report")
        last = (
            await WorkingSession.select(WorkingSession.held_on)
            .where(WorkingSession.delegation == delegation_id)
            .order_by(WorkingSession.held_on, ascending=False)
            .first()
        )
        _after(
            data.results_on,
            last["held_on"] if last else None,
            "the results report",
            "the last working session",
        )
        await Delegation.update(
            {
                Delegation.status: "reported",
                Delegation.results_on: data.results_on,
                Delegation.results_number: data.number,
                Delegation.findings: msgspec.to_builtins(data.findings),
            }
        ).where(Delegation.id == delegation_id)
        await _finish(ctx, delegation_id, "results_reported", {"findings": len(data.findings)})
        return await view(ctx, delegation_id)


async def send_letter(ctx: TenantContext, delegation_id: int, data: Letter) -> DelegationView:
    """The recommendation letter; each item becomes a tracked recommendation."""
    if not data.recommendations:
        raise InvalidInput("the letter needs at least one recommendation", field="recommendations")
    answer_by = (
        data.answer_by
        or (await working_calendar()).add_working_days(data.letter_on, ANSWER_PERIOD_DAYS).due
    )
    if answer_by <= data.letter_on:
        raise InvalidInput("the answer-by date must be after the letter", field="answer_by")
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "reported", step="the recommendation letter")
        _after(data.letter_on, row["results_on"], "the letter", "the results report")
        await create_items(
            ctx,
            delegation_id=delegation_id,
            case_id=row["case_id"],
            issued_on=data.letter_on,
            answer_by=answer_by,
            items=data.recommendations,
        )
        await Delegation.update(
            {
                Delegation.status: "recommended",
                Delegation.letter_on: data.letter_on,
                Delegation.letter_number: data.number,
                Delegation.answer_by: answer_by,
            }
        ).where(Delegation.id == delegation_id)
        await _finish(
            ctx,
            delegation_id,
            "letter_sent",
            {"answer_by": answer_by.isoformat(), "items": len(data.recommendations)},
        )
        return await view(ctx, delegation_id)


async def record_answer(ctx: TenantContext, delegation_id: int, data: Answer) -> DelegationView:
    """The supervised body's written answer to the letter as a whole."""
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "recommended", step="the answer")
        _after(data.answered_on, row["letter_on"], "the answer", "the letter")
        await Delegation.update(
            {
                Delegation.status: "answered",
                Delegation.answered_on: data.answered_on,
                Delegation.answer_summary: data.summary.strip(),
            }
        ).where(Delegation.id == delegation_id)
        await _finish(ctx, delegation_id, "answered", {"on": data.answered_on.isoformat()})
        return await view(ctx, delegation_id)
