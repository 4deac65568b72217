"""Periodic work of recommendations: answer reminders and escalation to the next-higher Front."""

from __future__ import annotations

from datetime import timedelta

from giamsat.cases.deadlines import today_in_vietnam
from giamsat.jobs.registry import JobContext, JobRegistry
from giamsat.recommendations.service import sweep_recommendations


async def overdue(ctx: JobContext) -> str:
    """Nhắc hạn trả lời kiến nghị; quá hạn thì chuyển MTTQ cấp trên (reminders, escalation)."""
    counts = await sweep_recommendations(today_in_vietnam(ctx.now))
    return f"{counts['reminded']} reminded, {counts['escalated']} escalated"


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("recommendations.overdue", timedelta(hours=1), overdue)
