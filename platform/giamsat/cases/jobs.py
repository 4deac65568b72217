"""Periodic work of cases: the deadline sweep."""

from __future__ import annotations

from datetime import timedelta

from giamsat.cases.deadlines import sweep_deadlines, today_in_vietnam
from giamsat.jobs.registry import JobContext, JobRegistry


async def deadlines(ctx: JobContext) -> str:
    """Nhắc hạn và báo cáo vụ việc quá hạn lên cấp trên (reminders and overdue escalation)."""
    return (await sweep_deadlines(today_in_vietnam(ctx.now))).describe()


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("cases.deadlines", timedelta(hours=1), deadlines)
