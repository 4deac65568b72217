"""The deadline sweep (rà soát hạn): reminders before and at the due date, escalation after it;
and recomputing the open clocks when a calendar year is confirmed.

Each case of the sweep is handled in its own short scope. Escalation is a conditional update
(``escalated = false`` → ``true``) whose returned row decides who writes the event, the audit
record and the notice: with any number of processes sweeping at once, exactly one wins it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from giamsat.audit.service import record
from giamsat.calendar import CalendarError, WorkingCalendar
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.committees import by_id, common_scope
from giamsat.cases.opening import clock_length, system_context
from giamsat.cases.policy import CaseFacts, CommitteeNode, overdue_action
from giamsat.cases.statuses import OPEN_STATUSES, Status
from giamsat.cases.tables import Case, CaseClock, CaseEvent
from giamsat.cases.workflow import facts_of
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify

log = logging.getLogger(__name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: Working days before the due date when the first reminder goes out.
REMIND_DAYS_BEFORE = 3
_STAFF = ["democracy_law", "standing_board"]


class SweepReport(msgspec.Struct, kw_only=True):
    reminded: int = 0
    due_today: int = 0
    escalated: int = 0
    skipped: int = 0

    def describe(self) -> str:
        return (
            f"{self.reminded} reminded, {self.due_today} due today, "
            f"{self.escalated} escalated, {self.skipped} skipped"
        )


class RecomputeReport(msgspec.Struct, kw_only=True):
    checked: int = 0
    moved: int = 0


async def recompute_clocks(
    year: int, calendar: WorkingCalendar, source: str, *, confirmed: bool = True
) -> RecomputeReport:
    """Recompute every open clock that counts in ``year`` after its calendar changed.

    Run inside the scope that changed the calendar, so the new due dates and their history
    entries commit with it. Each clock is counted again from receipt (its days plus the working
    days it stood paused). When the year was ``confirmed`` every case gets a history entry,
    saying whether its due date moved; after a single day's override only the cases whose due
    date moved do. The writes are batched: one update per new due date, entries in blocks.
    """
    result = RecomputeReport()
    rows = await Case.select(
        Case.id, Case.tenant_path, Case.status, Case.received_on, Case.due_on, Case.complex_case
    ).where(
        Case.status.is_in([s.value for s in OPEN_STATUSES])
        & Case.due_on.is_not_null()
        & (Case.received_on <= dt.date(year, 12, 31))
        & (Case.due_on >= dt.date(year, 1, 1))
    )
    clocks: dict[int, dict[str, Any]] = {}
    ids = [r["id"] for r in rows]
    for block in range(0, len(ids), _BLOCK):
        found = await CaseClock.select().where(CaseClock.case.is_in(ids[block : block + _BLOCK]))
        clocks.update((c["case"], c) for c in found)
    moved: dict[dt.date, list[int]] = {}
    events: list[CaseEvent] = []
    for row in rows:
        clock = clocks.get(row["id"]) or await ensure_clock(dict(row), calendar)
        due = calendar.add_working_days(
            row["received_on"], clock["clock_days"] + clock["paused_days"]
        ).due
        before: dt.date = row["due_on"]
        if due != before:
            moved.setdefault(due, []).append(row["id"])
        if confirmed or due != before:
            events.append(_recomputed_event(row, year, source, before, due, confirmed))
    for due, case_ids in moved.items():
        for block in range(0, len(case_ids), _BLOCK):
            await Case.update({Case.due_on: due}).where(
                Case.id.is_in(case_ids[block : block + _BLOCK])
            )
    for block in range(0, len(events), _BLOCK):
        await CaseEvent.insert(*events[block : block + _BLOCK])
    result.checked = len(rows)
    result.moved = sum(len(v) for v in moved.values())
    return result


#: Rows per statement when recomputing many clocks at once.
_BLOCK = 500


def _recomputed_event(
    row: dict[str, Any], year: int, source: str, before: dt.date, due: dt.date, confirmed: bool
) -> CaseEvent:
    if not confirmed:
        reason = (
            f"Lịch làm việc năm {year} được điều chỉnh ({source}): hạn trả lời đổi từ "
            f"{before:%d/%m/%Y} sang {due:%d/%m/%Y}. (The {year} working calendar was "
            f"adjusted: the due date moved from {before} to {due}.)"
        )
    elif due != before:
        reason = (
            f"Lịch nghỉ năm {year} đã được xác nhận ({source}): hạn trả lời đổi từ "
            f"{before:%d/%m/%Y} sang {due:%d/%m/%Y}. (The {year} holiday calendar was "
            f"confirmed: the due date moved from {before} to {due}.)"
        )
    else:
        reason = (
            f"Lịch nghỉ năm {year} đã được xác nhận ({source}): hạn trả lời giữ nguyên "
            f"{due:%d/%m/%Y}. (The {year} holiday calendar was confirmed: the due date "
            f"stays {due}.)"
        )
    return CaseEvent(
        case=row["id"],
        tenant_path=row["tenant_path"],
        action="due_recomputed",
        from_status=row["status"],
        to_status=row["status"],
        reason=reason,
        details={
            "calendar_year": year,
            "due_on_before": before.isoformat(),
            "due_on": due.isoformat(),
        },
    )


def today_in_vietnam(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(VIETNAM).date()


async def sweep_deadlines(
    today: dt.date, *, within: str = "/", remind_days: int = REMIND_DAYS_BEFORE
) -> SweepReport:
    """Send due reminders and escalate overdue cases of the subtree ``within``."""
    calendar = await working_calendar()
    report = SweepReport()
    async with tenant_scope(within):
        rows = (
            await Case.select(Case.id)
            .where(
                Case.status.is_in([s.value for s in OPEN_STATUSES])
                & Case.due_on.is_not_null()
                & (Case.escalated == False)  # noqa: E712
                & path_within(Case.tenant_path, within)
            )
            .order_by(Case.due_on)
        )
    for row in rows:
        try:
            await _sweep_one(row["id"], today, calendar, remind_days, report, within)
        except CalendarError as exc:
            log.warning("case %s skipped by the deadline sweep: %s", row["id"], exc.message)
            report.skipped += 1
    return report


async def _sweep_one(
    case_id: int,
    today: dt.date,
    calendar: WorkingCalendar,
    remind_days: int,
    report: SweepReport,
    within: str,
) -> None:
    async with tenant_scope(within):
        case = await Case.select().where(Case.id == case_id).first()
        clock = await CaseClock.select().where(CaseClock.case == case_id).first()
    if case is None:
        report.skipped += 1
        return
    if clock is None:
        clock = await ensure_clock(case, calendar)
    if clock["paused_since"] is not None:
        return
    due: dt.date = case["due_on"]
    if today > due:
        if await overdue_action(await facts_of(case)) == "remind":
            await _remind_overdue(case, clock, due, report)
        elif await _escalate(case, today):
            report.escalated += 1
        return
    if today == due:
        column, kind, vi, en = (
            "due_noticed_for",
            "case.due_today",
            "Vụ việc đến hạn hôm nay",
            "A case is due today",
        )
    elif calendar.working_days_between(today, due) <= remind_days:
        column, kind, vi, en = (
            "reminded_for",
            "case.due_soon",
            "Vụ việc sắp đến hạn",
            "A case is due soon",
        )
    else:
        return
    if clock[column] == due:
        return
    async with tenant_scope(case["tenant_path"]):
        if await _claim(case_id, column, due):
            await _remind(case, kind, vi, en)
            if column == "due_noticed_for":
                report.due_today += 1
            else:
                report.reminded += 1


async def _remind_overdue(
    case: dict[str, Any], clock: dict[str, Any], due: dt.date, report: SweepReport
) -> None:
    """The pack says an overdue clock only reminds: once per due date, never escalated."""
    if clock.get("overdue_noticed_for") == due:
        return
    async with tenant_scope(case["tenant_path"]):
        if await _claim(case["id"], "overdue_noticed_for", due):
            await _remind(case, "case.overdue", "Vụ việc đã quá hạn", "A case is overdue")
            report.reminded += 1


async def ensure_clock(case: dict[str, Any], calendar: WorkingCalendar) -> dict[str, Any]:
    """The case's clock, created from the case row when it was inserted without ``open_case``.

    Bulk imports and sample data write cases with a ``due_on`` but no clock; their due date is
    as binding as any other, so the sweep gives them a clock (the working days from receipt to
    the due date) instead of skipping them. Two sweeps creating it at once insert one row.
    """
    try:
        days = calendar.working_days_between(case["received_on"], case["due_on"])
    except CalendarError:
        days = 0
    if days <= 0:
        days = clock_length(None, bool(case["complex_case"]))
    async with tenant_scope(case["tenant_path"]):
        await CaseClock.insert(
            CaseClock(case=case["id"], tenant_path=case["tenant_path"], clock_days=days)
        ).on_conflict(target=CaseClock.case, action="DO NOTHING")
        clock = await CaseClock.select().where(CaseClock.case == case["id"]).first()
    if clock is None:
        raise RuntimeError(f"the clock of case {case['id']} could not be created")
    log.info("case %s had no clock: created one of %s working days", case["id"], days)
    return dict(clock)


async def _claim(case_id: int, column: str, due: dt.date) -> bool:
    """Mark the notice as sent for ``due``, unless another sweep just did."""
    field = getattr(CaseClock, column)
    done = (
        await CaseClock.update({field: due})
        .where((CaseClock.case == case_id) & (field.is_null() | (field != due)))
        .returning(CaseClock.id)
    )
    return bool(done)


async def _remind(case: dict[str, Any], kind: str, vi: str, en: str) -> None:
    recipients: list[int | str] = [*_STAFF]
    if case["assignee"] is not None:
        recipients.append(case["assignee"])
    owner = await by_id(case["committee"])
    await notify(
        case["committee"],
        recipients,
        kind,
        Title(
            vi=f"{vi}: {case['number']} (hạn {case['due_on']:%d/%m/%Y})",
            en=f"{en}: {case['number']} (due {case['due_on']:%Y-%m-%d})",
        ),
        link=f"/c/{owner.code}/cases/{case['id']}",
    )


async def _escalate(case: dict[str, Any], today: dt.date) -> bool:
    """Escalate once: the conditional update decides which sweep does it."""
    facts = await facts_of(case)
    target_id = facts.owner.parent_id
    target = await by_id(target_id) if target_id is not None else None
    scope = common_scope(case["tenant_path"], target.path) if target else case["tenant_path"]
    async with tenant_scope(scope):
        return await _escalate_in_scope(case, today, facts, target)


async def _escalate_in_scope(
    case: dict[str, Any], today: dt.date, facts: CaseFacts, target: CommitteeNode | None
) -> bool:
    won = (
        await Case.update({Case.escalated: True, Case.status: Status.ESCALATED.value})
        .where(
            (Case.id == case["id"])
            & (Case.escalated == False)  # noqa: E712
            & Case.status.is_in([s.value for s in OPEN_STATUSES])
        )
        .returning(Case.id)
    )
    if not won:
        return False
    details = {
        "due_on": case["due_on"].isoformat(),
        "on": today.isoformat(),
        "escalated_to": target.code if target else None,
    }
    await CaseEvent(
        case=case["id"],
        tenant_path=case["tenant_path"],
        action="escalated",
        from_status=case["status"],
        to_status=Status.ESCALATED.value,
        reason="",  # the action says why ("Overdue: reported to the level above")
        details=details,
    ).save()
    await record(
        system_context(facts.owner),
        "case.escalated",
        "case",
        case["id"],
        {"from_status": case["status"], **details},
    )
    title = Title(
        vi=f"Vụ việc quá hạn được báo cáo lên: {case['number']}",
        en=f"Overdue case escalated to you: {case['number']}",
    )
    await notify(
        case["committee"],
        _STAFF,
        "case.escalated",
        title,
        link=f"/c/{facts.owner.code}/cases/{case['id']}",
    )
    if target is not None:
        await notify(
            target.id, _STAFF, "case.escalated", title, link=f"/c/{target.code}/cases/{case['id']}"
        )
    return True
