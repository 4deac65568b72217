"""The figures of the work queue, for one committee and the caller's role.

Lines: cases to classify (received, not yet verified); cases due within three working days;
overdue cases (with the oldest's days overdue); cases awaiting the same-level party committee's
answer; the report due to the level above and the children whose reports are late or missing.
The home page and ``GET /api/v1/work-queue`` show the same struct.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from giamsat.accounts.roles import STAFF_ROLES, Role
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import CaseFilter, CaseListItem
from giamsat.cases.statuses import OPEN_STATUSES, Status
from giamsat.db.scope import tenant_scope
from giamsat.tenancy.context import TenantContext

DUE_SOON_WORKING_DAYS = 3
_OPEN = {s.value for s in OPEN_STATUSES}
_AWAITING = {Status.REPORTED.value, Status.AWAITING_ANSWER.value}


class QueueCase(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    title: str
    status: str
    due_on: dt.date | None
    #: Positive: days left; negative: days overdue (calendar days, as a person counts them).
    days_left: int | None


class ReportLine(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    period_name: str
    due_on: dt.date
    status: str
    children_late: int
    children_missing: int


class WorkQueue(msgspec.Struct, frozen=True, kw_only=True):
    committee_code: str
    today: dt.date
    #: False for roles that do not handle cases (partner officers): the case lines are empty.
    handles_cases: bool
    to_classify: int
    due_soon: int
    overdue: int
    most_days_overdue: int | None
    awaiting_party_answer: int
    #: The most urgent open cases (overdue first, then by due date), at most ten.
    urgent: list[QueueCase]
    report: ReportLine | None
    #: Signals waiting for triage (phân loại), and those waiting longer than the pack allows.
    signals_to_classify: int = 0
    signals_overdue_for_triage: int = 0


def _queue_case(item: CaseListItem, today: dt.date) -> QueueCase:
    return QueueCase(
        id=item.id,
        number=item.number,
        title=item.title,
        status=item.status,
        due_on=item.due_on,
        days_left=(item.due_on - today).days if item.due_on else None,
    )


async def _report_line(ctx: TenantContext, today: dt.date) -> ReportLine | None:
    from giamsat.reports.plan import load_plan
    from giamsat.reports.schedule import status_tree
    from giamsat.reports.submissions import draft_report

    plan = load_plan()
    period = plan.current_period(today)
    tree = await status_tree(ctx, plan, period.id, today, depth=1)
    view = await draft_report(ctx, plan, period.id, today)
    return ReportLine(
        period=period.id,
        period_name=view.period_name,
        due_on=tree.deadline,
        status=view.status,
        children_late=tree.counts.get("late", 0),
        children_missing=tree.counts.get("missing", 0),
    )


async def work_queue(ctx: TenantContext, today: dt.date) -> WorkQueue:
    handles_cases = ctx.role != Role.PARTNER_OFFICER.value
    cases: list[CaseListItem] = []
    if handles_cases:
        async with tenant_scope(ctx.path):
            listed = await CaseRepository(ctx).list(CaseFilter(limit=500))
        cases = [c for c in listed if c.access == "full" and c.status in _OPEN]
    waiting: list[Any] = []
    if ctx.role in STAFF_ROLES:
        from giamsat.decisions.triage import queue  # the decision step imports cases

        waiting = await queue(ctx, limit=10_000, today=today)
    calendar = await working_calendar()
    soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
    overdue = [c for c in cases if c.due_on is not None and c.due_on < today]
    due_soon = [c for c in cases if c.due_on is not None and today <= c.due_on <= soon]
    urgent = sorted(overdue + due_soon, key=lambda c: (c.due_on or dt.date.max, c.id))[:10]
    return WorkQueue(
        committee_code=ctx.committee_code,
        today=today,
        handles_cases=handles_cases,
        to_classify=sum(c.status == Status.RECEIVED.value for c in cases),
        due_soon=len(due_soon),
        overdue=len(overdue),
        most_days_overdue=max(((today - c.due_on).days for c in overdue if c.due_on), default=None),
        awaiting_party_answer=sum(c.status in _AWAITING for c in cases),
        urgent=[_queue_case(c, today) for c in urgent],
        report=await _report_line(ctx, today),
        signals_to_classify=len(waiting),
        signals_overdue_for_triage=sum(i.overdue for i in waiting),
    )
