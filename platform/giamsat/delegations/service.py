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
from giamsat.web.i18n import N_, Word, Words
from giamsat.web.labels import STEPS

#: The steps and documents a date or a refusal names, as a sentence calls them.
_DECISION = Word(N_("the decision forming the delegation"))
_NOTICE = Word(N_("the supervision notice"))
_REPORT = Word(N_("the supervised body's report"))
_MINUTES = Word(N_("the minutes of a working session"))
_RESULTS = Word(N_("the supervision results report"))
_LAST_SESSION = Word(N_("the last working session"))
_LETTER = Word(N_("the recommendation letter"))
_ANSWER = Word(N_("the answer to the letter"))


def _step(status: str) -> Word:
    """A delegation's status by the name its page shows (``STEPS``), never the stored code."""
    return Word(STEPS.get(status, N_("In progress")))


def _require(row: dict[str, Any], *statuses: str, step: Word) -> None:
    if row["status"] not in statuses:
        raise InvalidInput(
            N_(
                "The delegation “%(delegation)s” is at the step “%(status)s”: %(step)s can "
                "only be recorded at the step %(needed)s."
            ),
            field="status",
            params={
                "delegation": row["subject"],
                "status": _step(row["status"]),
                "step": step,
                "needed": Words(_step(s) for s in statuses),
            },
        )


def _after(later: dt.date, earlier: dt.date | None, what: Word, before_what: Word) -> None:
    if earlier is not None and later < earlier:
        raise InvalidInput(
            N_("The date of %(what)s (%(date)s) cannot be before that of %(earlier)s (%(on)s)."),
            params={
                "what": what,
                "date": f"{later:%d/%m/%Y}",
                "earlier": before_what,
                "on": f"{earlier:%d/%m/%Y}",
            },
        )


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
            N_("The supervised period cannot start (%(start)s) after it ends (%(end)s)."),
            field="period_start",
            params={"start": f"{data.period_start:%d/%m/%Y}", "end": f"{data.period_end:%d/%m/%Y}"},
        )
    if not data.indicators:
        raise InvalidInput(
            N_("A supervision plan needs at least one content item."), field="indicators"
        )
    async with tenant_scope(ctx.path):
        if data.case_id is not None and not await CaseRepository(ctx).in_subtree(data.case_id):
            raise InvalidInput(
                N_("This case is not among the cases your committee can see."), field="case_id"
            )
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
        _require(row, "planned", step=_DECISION)
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
        raise InvalidInput(
            N_("The notice needs the schedule of the working sessions."), field="sessions"
        )
    first = min(s.held_on for s in data.sessions)
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "decided", step=_NOTICE)
        _after(data.notice_on, row["decision_on"], _NOTICE, _DECISION)
        lead, needed = (first - data.notice_on).days, row["min_notice_days"]
        if lead < needed:
            raise InvalidInput(
                N_(
                    "The notice and report outline must reach the supervised body at least "
                    "%(needed)s days before the first working session (%(first)s); sent on "
                    "%(sent)s they arrive only %(lead)s days before it."
                ),
                field="notice_on",
                params={
                    "needed": needed,
                    "first": f"{first:%d/%m/%Y}",
                    "sent": f"{data.notice_on:%d/%m/%Y}",
                    "lead": lead,
                },
            )
        if not data.notice_on <= data.report_due <= first:
            raise InvalidInput(
                N_(
                    "The date the report is due (%(date)s) must fall between the notice and the "
                    "first working session."
                ),
                field="report_due",
                params={"date": f"{data.report_due:%d/%m/%Y}"},
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
        _require(row, "notified", step=_REPORT)
        _after(data.received_on, row["notice_on"], _REPORT, _NOTICE)
        await Delegation.update(
            {Delegation.status: "report_received", Delegation.report_received_on: data.received_on}
        ).where(Delegation.id == delegation_id)
        await _finish(ctx, delegation_id, "report_received", {"on": data.received_on.isoformat()})
        return await view(ctx, delegation_id)


async def record_minutes(ctx: TenantContext, delegation_id: int, data: Minutes) -> DelegationView:
    """Keep the minutes (biên bản) of one working session."""
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "report_received", "in_session", step=_MINUTES)
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
                N_("This working session is not one of the delegation's sessions."),
                field="session_id",
            )
        await Delegation.update({Delegation.status: "in_session"}).where(
            Delegation.id == delegation_id
        )
        await _finish(ctx, delegation_id, "minutes_recorded", {"session_id": data.session_id})
        return await view(ctx, delegation_id)


async def report_results(ctx: TenantContext, delegation_id: int, data: Results) -> DelegationView:
    """The results report (báo cáo kết quả giám sát), after the sessions."""
    if not data.findings:
        raise InvalidInput(N_("The results report needs at least one finding."), field="findings")
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "in_session", step=_RESULTS)
        last = (
            await WorkingSession.select(WorkingSession.held_on)
            .where(WorkingSession.delegation == delegation_id)
            .order_by(WorkingSession.held_on, ascending=False)
            .first()
        )
        _after(
            data.results_on,
            last["held_on"] if last else None,
            _RESULTS,
            _LAST_SESSION,
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
        raise InvalidInput(
            N_("The letter needs at least one recommendation."), field="recommendations"
        )
    answer_by = (
        data.answer_by
        or (await working_calendar()).add_working_days(data.letter_on, ANSWER_PERIOD_DAYS).due
    )
    if answer_by <= data.letter_on:
        raise InvalidInput(
            N_("The date to answer by must be after the letter's date."), field="answer_by"
        )
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        _require(row, "reported", step=_LETTER)
        _after(data.letter_on, row["results_on"], _LETTER, _RESULTS)
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
        _require(row, "recommended", step=_ANSWER)
        _after(data.answered_on, row["letter_on"], _ANSWER, _LETTER)
        await Delegation.update(
            {
                Delegation.status: "answered",
                Delegation.answered_on: data.answered_on,
                Delegation.answer_summary: data.summary.strip(),
            }
        ).where(Delegation.id == delegation_id)
        await _finish(ctx, delegation_id, "answered", {"on": data.answered_on.isoformat()})
        return await view(ctx, delegation_id)
