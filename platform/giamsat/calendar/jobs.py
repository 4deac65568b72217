"""Periodic work of the calendar: from 1 October, remind administrators to confirm next year."""

from __future__ import annotations

from datetime import timedelta

from giamsat.calendar.reminders import remind_to_confirm
from giamsat.cases.deadlines import today_in_vietnam
from giamsat.jobs.registry import JobContext, JobRegistry


async def confirm_reminder(ctx: JobContext) -> str:
    """Nhắc xác nhận lịch nghỉ năm sau (remind administrators to confirm next year's calendar)."""
    return (await remind_to_confirm(today_in_vietnam(ctx.now))).describe()


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("calendar.confirm_reminder", timedelta(hours=6), confirm_reminder)
