"""Periodic work of notifications: sending the mail outbox."""

from __future__ import annotations

from datetime import timedelta

from giamsat.jobs.registry import JobContext, JobRegistry
from giamsat.notifications.outbox import deliver_outbox


async def deliver(ctx: JobContext) -> str:
    """Send due mail from the outbox (gửi thư chờ trong hộp thư đi)."""
    return (await deliver_outbox(ctx.settings, limit=500, now=ctx.now)).describe()


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("outbox.deliver", timedelta(minutes=1), deliver)
