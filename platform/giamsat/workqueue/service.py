"""The figures of the work queue, for one committee and the caller's role.

Lines: cases to classify (received, not yet verified); cases due within three working days;
overdue cases (with the oldest's working days overdue); cases awaiting the same-level party
committee's answer; the report due to the level above and the children whose reports are late or
missing. The home page and ``GET /api/v1/work-queue`` show the same struct. Each case line is one
SQL count over the committee's own open cases (the same conditions as the cases list's views), so
the figures hold for any number of cases and their cost does not grow with closed history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from giamsat.accounts.roles import STAFF_ROLES, Role
from giamsat.calendar.overrides_store import working_calendar
from giamsat.calendar.working_calendar import WorkingCalendar
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import CaseFilter, CaseListItem
from giamsat.cases.statuses import OPEN_STATUSES, Status
from giamsat.db.scope import tenant_scope
from giamsat.tenancy.context import TenantContext
from giamsat.web.list_pages import DUE_SOON_WORKING_DAYS, deadline

_OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
_AWAITING = (Status.REPORTED.value, Status.AWAITING_ANSWER.value)


class QueueCase(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    title: str
    status: str
    due_on: dt.date | None
    #: Positive: working days left; negative: working days overdue (the official calendar,
    #: as the lists and the case page count them).
    days_left: int | None


class ReportLine(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    period_name: str
    period_name_en: str
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


def _queue_case(item: CaseListItem, today: dt.date, calendar: WorkingCalendar) -> QueueCase:
    stands = deadline(calendar, today, item.due_on)
    return QueueCase(
        id=item.id,
        number=item.number,
        title=item.title,
        status=item.status,
        due_on=item.due_on,
        days_left=stands.days if stands is not None else None,
    )


async def _report_line(ctx: TenantContext, today: dt.date) -> ReportLine | None:
    from giamsat.reports.plan import plan_for
    from giamsat.reports.schedule import status_tree
    from giamsat.reports.submissions import draft_report

    # the committee's own plan: one period per pack published over it, as the reports page
    plan = await plan_for(ctx.path)
    period = plan.current_period(today)
    tree = await status_tree(ctx, plan, period.id, today, depth=1)
    view = await draft_report(ctx, plan, period.id, today)
    return ReportLine(
        period=period.id,
        period_name=view.period_name,
        period_name_en=view.period_name_en,
        due_on=tree.deadline,
        status=view.status,
        children_late=tree.counts.get("late", 0),
        children_missing=tree.counts.get("missing", 0),
    )


async def _case_lines(
    ctx: TenantContext, today: dt.date, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The case lines: one count per line and the ten most urgent, inside the caller's scope."""
    soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
    overdue = CaseFilter(own_open_in=_OPEN, due_to=today - dt.timedelta(days=1))
    repo = CaseRepository(ctx)
    async with tenant_scope(ctx.path):
        oldest = await repo.earliest_due(overdue)
        urgent = await repo.list(CaseFilter(own_open_in=_OPEN, due_to=soon, limit=10))
        return {
            "to_classify": await repo.count(CaseFilter(own_open_in=(Status.RECEIVED.value,))),
            "due_soon": await repo.count(CaseFilter(due_from=today, due_to=soon)),
            "overdue": await repo.count(overdue),
            "most_days_overdue": (
                -stands.days if (stands := deadline(calendar, today, oldest)) is not None else None
            ),
            "awaiting_party_answer": await repo.count(CaseFilter(own_open_in=_AWAITING)),
            "urgent": [_queue_case(c, today, calendar) for c in urgent],
        }


async def work_queue(ctx: TenantContext, today: dt.date) -> WorkQueue:
    handles_cases = ctx.role != Role.PARTNER_OFFICER.value
    calendar = await working_calendar()
    lines: dict[str, Any] = {
        "to_classify": 0,
        "due_soon": 0,
        "overdue": 0,
        "most_days_overdue": None,
        "awaiting_party_answer": 0,
        "urgent": [],
    }
    if handles_cases:
        lines = await _case_lines(ctx, today, calendar)
    to_classify = overdue_for_triage = 0
    if ctx.role in STAFF_ROLES:
        from giamsat.decisions.triage import queue_counts  # the decision step imports cases

        to_classify, overdue_for_triage = await queue_counts(ctx, today=today)
    return WorkQueue(
        committee_code=ctx.committee_code,
        today=today,
        handles_cases=handles_cases,
        **lines,
        report=await _report_line(ctx, today),
        signals_to_classify=to_classify,
        signals_overdue_for_triage=overdue_for_triage,
    )
