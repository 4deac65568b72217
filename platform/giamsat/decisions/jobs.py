"""Periodic work of the decision step: deciding every committed signal still undecided."""

from __future__ import annotations

from datetime import timedelta

from giamsat.decisions.service import decide_pending
from giamsat.jobs.registry import JobContext, JobRegistry


async def pending(ctx: JobContext) -> str:
    """Quyết định các tín hiệu còn chờ (decide every committed signal still undecided)."""
    return f"{await decide_pending()} signal(s) looked at"


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("decisions.pending", timedelta(minutes=1), pending)
