"""Periodic work of feedback: reminders when a reply-by date passed without an explanation."""

from __future__ import annotations

from datetime import timedelta

from giamsat.cases.deadlines import today_in_vietnam
from giamsat.feedback.service import sweep_feedback
from giamsat.jobs.registry import JobContext, JobRegistry


async def overdue(ctx: JobContext) -> str:
    """Nhắc góp ý quá hạn giải trình (overdue feedback explanations)."""
    return f"{await sweep_feedback(today_in_vietnam(ctx.now))} reminded"


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("feedback.overdue", timedelta(hours=1), overdue)
