"""Exactly once: reminders of a day and each version of a submission, even run concurrently."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tests.integration.reports.conftest import IsolatedPlan, context_of
from tests.integration.reports.test_rollup import NARRATIVE

from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import Conflict, GiamsatError
from giamsat.notifications.tables import Notification
from giamsat.reports.rollup import latest_submissions
from giamsat.reports.schedule import send_reminders
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.submissions import submit
from giamsat.reports.tables import ReportReminder, ReportSubmission


async def _reminders_to(code: str, period_id: str, user_id: int | None = None) -> int:
    """Reminders of the period to the committee's staff, or to one of them (other tests in the
    shared database add staff to the same communes)."""
    ctx = await context_of(code)
    mine = (Notification.recipient == user_id) if user_id is not None else None
    async with tenant_scope(ctx.path):
        query = Notification.count().where(
            (Notification.committee == ctx.committee_id)
            & (Notification.kind == "report.reminder")
            & Notification.link.like(f"%period={period_id}")
        )
        return await (query.where(mine) if mine is not None else query)


async def test_two_concurrent_reminder_runs_notify_each_committee_once(
    db, factory, isolated: IsolatedPlan
) -> None:
    # given officers in two Ba Đình communes that have not submitted, on a reminder day
    officer = await factory.user("00001", "democracy_law")
    chair = await factory.user("00004", "standing_board")
    period = isolated.period
    day = period.deadline - timedelta(days=period.remind_days_before[0])
    # when the daily run is started twice at the same moment, then once more later that day
    first, second = await asyncio.gather(
        send_reminders(isolated.plan, day, within="/01/001/"),
        send_reminders(isolated.plan, day, within="/01/001/"),
    )
    third = await send_reminders(isolated.plan, day, within="/01/001/")
    # then all pending committees were reminded by exactly one of the runs
    assert first.reminded + second.reminded == first.committees
    assert third.reminded == 0 and third.already_reminded == first.committees
    assert await _reminders_to("00001", period.id, officer.id) == 1
    assert await _reminders_to("00004", period.id, chair.id) == 1
    async with system_scope():
        keys = await ReportReminder.select(ReportReminder.reminder_key).where(
            ReportReminder.period_id == period.id
        )
    assert len(keys) == len({k["reminder_key"] for k in keys}) == first.committees
    # and the next reminder day reminds again, once
    later = await send_reminders(
        isolated.plan, period.deadline - timedelta(days=period.remind_days_before[-1]), "/01/001/"
    )
    assert later.reminded == first.committees
    assert await _reminders_to("00001", period.id, officer.id) == 2
    # and another committee sees none of Ba Đình's reminders (on PostgreSQL not even unfiltered)
    other = await context_of("00037")
    async with tenant_scope(other.path):
        mine = ReportReminder.tenant_path.like(other.path + "%")
        seen = await ReportReminder.count().where((ReportReminder.period_id == period.id) & mine)
        unfiltered = await ReportReminder.count().where(ReportReminder.period_id == period.id)
    assert seen == 0 and await _reminders_to("00037", period.id) == 0
    if db.backend == "postgres":
        assert unfiltered == 0


async def test_a_concurrent_double_submit_never_makes_two_version_ones(
    db, isolated: IsolatedPlan
) -> None:
    # given a commune that has not submitted yet
    ctx = await context_of("00016")
    request = SubmitRequest(narrative=NARRATIVE, reason="gửi lại do mất kết nối")

    # when two officers press "submit" at the same moment
    async def attempt() -> int | GiamsatError:
        try:
            view = await submit(
                ctx, isolated.plan, isolated.period.id, request, isolated.before_deadline
            )
        except Conflict as refused:
            return refused
        return view.version

    outcomes = await asyncio.gather(attempt(), attempt())
    # then the versions are 1 and 2, or one of them is cleanly refused: never two version 1
    versions = sorted(o for o in outcomes if isinstance(o, int))
    assert versions in ([1, 2], [1])
    async with system_scope():
        rows = await ReportSubmission.select(
            ReportSubmission.version, ReportSubmission.submission_key
        ).where(
            (ReportSubmission.committee == ctx.committee_id)
            & (ReportSubmission.period_id == isolated.period.id)
        )
    assert sorted(r["version"] for r in rows) == versions
    assert {r["submission_key"] for r in rows} == {
        f"{ctx.committee_id}:{isolated.period.id}:committee:{v}" for v in versions
    }
    # and another district sees none of them
    other = await context_of("002")
    async with tenant_scope(other.path):
        theirs = await latest_submissions(other.path, isolated.period.id)
    assert all(committee != ctx.committee_id for committee, _kind in theirs)


async def test_the_database_refuses_a_second_row_with_the_same_version(
    db, isolated: IsolatedPlan
) -> None:
    # given a submitted version 1
    ctx = await context_of("00019")
    await submit(
        ctx,
        isolated.plan,
        isolated.period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.before_deadline,
    )
    # when a row with the same (committee, period, kind, version) is written behind the service
    async with system_scope():
        row = (
            await ReportSubmission.select(*ReportSubmission.all_columns())
            .where(
                (ReportSubmission.committee == ctx.committee_id)
                & (ReportSubmission.period_id == isolated.period.id)
            )
            .first()
        )
    assert row is not None
    row.pop("id")
    # then the unique key refuses it
    with pytest.raises(Exception, match=r"(?i)unique"):
        async with system_scope():
            await ReportSubmission.insert(ReportSubmission(**row))
