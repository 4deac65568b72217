"""The plan's schedule: who has submitted, who is late or missing, chasing and reminders.

The status tree is built from two queries (the subtree, the latest submissions) whatever its size.
Reminders run from ``giamsat reports snapshot`` (the Helm CronJob), never inside a web replica;
each one is recorded in ``report_reminder`` so a second run on the same day sends nothing again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import msgspec

from giamsat.audit.service import record
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import InvalidInput
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.reports.plan import COMMITTEE_KIND, Period, ReportingPlan
from giamsat.reports.rollup import CommitteeNode, latest_submissions, subtree
from giamsat.reports.schemas import ChaseResult, StatusNode, StatusTree
from giamsat.reports.submissions import _node, child_status
from giamsat.reports.tables import ReportReminder
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

#: Who is told to send a report: the lead department and the standing board.
CHASED_ROLES = ("democracy_law", "standing_board")


def _build(
    nodes: list[CommitteeNode],
    statuses: dict[int, tuple[str, int | None, date | None]],
    root: CommitteeNode,
) -> list[StatusNode]:
    kids: dict[int, list[CommitteeNode]] = defaultdict(list)
    for node in nodes:
        if node.parent_id is not None:
            kids[node.parent_id].append(node)

    def make(node: CommitteeNode) -> StatusNode:
        status, version, on = statuses[node.id]
        return StatusNode(
            code=node.code,
            name=node.name,
            level=node.level,
            status=status,
            version=version,
            submitted_on=on,
            children=[make(k) for k in kids[node.id]],
        )

    return [make(child) for child in kids[root.id]]


async def status_tree(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, today: date, depth: int = 2
) -> StatusTree:
    """The caller's children (and their children, to ``depth`` levels) coloured by status."""
    period = plan.period(period_id)
    if not 1 <= depth <= 4:
        raise InvalidInput("depth must be between 1 and 4", field="depth")
    async with tenant_scope(ctx.path):
        root = await _node(ctx, period)
        me = [
            n
            for n in await subtree(root.path, None, period.ends_on)
            if n.path.count("/") <= root.path.count("/") + depth
        ]
        submitted = await latest_submissions(root.path, period.id)
    statuses: dict[int, tuple[str, int | None, date | None]] = {}
    for node in me:
        report = submitted.get((node.id, COMMITTEE_KIND))
        statuses[node.id] = (
            child_status(report, period.deadline, today),
            report.version if report else None,
            report.submitted_on if report else None,
        )
    children = _build(me, statuses, root)
    counts = Counter(child.status for child in children)
    return StatusTree(
        committee_code=root.code,
        period=period.id,
        deadline=period.deadline,
        counts={s: counts.get(s, 0) for s in ("submitted", "late", "missing", "pending")},
        children=children,
    )


async def chase(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, code: str, today: date
) -> ChaseResult:
    """Remind a committee below the caller that its report is due or missing (đôn đốc)."""
    period = plan.period(period_id)
    async with tenant_scope(ctx.path):
        target = await _node(ctx, period, code)
        if target.path == ctx.path:
            raise InvalidInput(
                "a committee chases the committees below it, not itself", field="code"
            )
        report = (await latest_submissions(target.path, period.id)).get((target.id, COMMITTEE_KIND))
        if report is not None:
            raise InvalidInput(
                N_("%(name)s has already submitted its report."),
                field="code",
                params={"name": target.name},
            )
        result = await notify(
            target.id,
            list(CHASED_ROLES),
            "report.chase",
            _title(period, ctx),
            link=f"/c/{target.code}/reports?period={period.id}",
        )
        await record(
            ctx,
            "report.chased",
            "committee",
            target.id,
            {"period": period.id, "notifications": result.notifications},
        )
    return ChaseResult(
        committee_code=target.code, notifications=result.notifications, mails=result.mails
    )


def _title(period: Period, ctx: TenantContext | None) -> Title:
    who = f"{ctx.committee_name} " if ctx else ""
    return Title(
        vi=f"{who}đề nghị gửi báo cáo kết quả giám sát {period.name} "
        f"(hạn {period.deadline:%d/%m/%Y})",
        en=f"Please submit the supervision report for {period.id} (due {period.deadline:%Y-%m-%d})",
    )


class ReminderRun(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    days_left: int
    reminded: int
    already_reminded: int
    submitted: int
    committees: int


def is_reminder_day(period: Period, today: date) -> bool:
    """The plan's days before the deadline, and the day after it (overdue notice)."""
    days_left = (period.deadline - today).days
    return days_left in period.remind_days_before or days_left == -1


async def _claim_reminders(
    pending: list[CommitteeNode], period: Period, days_left: int, today: date
) -> list[int]:
    """Record the reminders of this day; the ids of committees whose row this run inserted.

    ``INSERT … ON CONFLICT DO NOTHING`` on the unique ``reminder_key``: a second (or concurrent)
    run of the same day inserts nothing, so it notifies nobody. Same order in every run, so two
    concurrent runs wait on each other's rows instead of deadlocking.
    """
    if not pending:
        return []
    rows = [
        ReportReminder(
            committee=node.id,
            tenant_path=node.path,
            period_id=period.id,
            days_left=days_left,
            sent_on=today,
            reminder_key=f"{node.id}:{period.id}:{days_left}",
        )
        for node in sorted(pending, key=lambda n: n.id)
    ]
    inserted = (
        await ReportReminder.insert(*rows)
        .on_conflict(target=ReportReminder.reminder_key, action="DO NOTHING")
        .returning(ReportReminder.committee)
    )
    return sorted(int(r["committee"]) for r in inserted)


async def send_reminders(plan: ReportingPlan, today: date, within: str = "/") -> ReminderRun:
    """On the plan's reminder days, notify every committee under ``within`` that has not
    submitted (the top committee of the tree reports outside the system and is skipped).

    Each (committee, period, reminder day) is notified at most once, however often and however
    concurrently this runs: the claim and the notifications commit in one transaction.
    """
    period = plan.current_period(today)
    days_left = (period.deadline - today).days
    reminded = already = 0
    async with system_scope():
        nodes = await subtree(within, on=period.ends_on)
        submitted = await latest_submissions(within, period.id)
        pending = [
            n for n in nodes if n.parent_id is not None and (n.id, COMMITTEE_KIND) not in submitted
        ]
        if is_reminder_day(period, today):
            claimed = set(await _claim_reminders(pending, period, days_left, today))
            already = len(pending) - len(claimed)
            for node in (n for n in pending if n.id in claimed):
                result = await notify(
                    node.id,
                    list(CHASED_ROLES),
                    "report.reminder",
                    _title(period, None),
                    link=f"/c/{node.code}/reports?period={period.id}",
                )
                await ReportReminder.update(
                    {ReportReminder.notifications: result.notifications}
                ).where(ReportReminder.reminder_key == f"{node.id}:{period.id}:{days_left}")
                reminded += 1
    return ReminderRun(
        period=period.id,
        days_left=days_left,
        reminded=reminded,
        already_reminded=already,
        submitted=len(nodes) - len(pending),
        committees=len(nodes),
    )
