"""Periodic work of the decision step: deciding every committed signal still undecided.

``decisions.pending`` runs each minute, from ``giamsat jobs sweep`` and from every web process
(:func:`keep_deciding`, started by the app factory); the jobs runner's slot claim lets one
process at a time run it, and a run cut off by a crash stops holding the next slot after a
minute (tests/multiprocess/test_kill_between_commit.py kills a served process). Deciding is
idempotent and re-checked under the per-cadre lock, so a signal the intake hand-off decides
meanwhile is never decided twice.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from giamsat.cases.deadlines import today_in_vietnam
from giamsat.decisions.service import decide_pending
from giamsat.decisions.triage import remind_overdue
from giamsat.jobs.background import repeating
from giamsat.jobs.registry import Job, JobContext, JobRegistry
from giamsat.jobs.runner import run_job
from giamsat.settings import Settings

log = logging.getLogger("giamsat.decisions")
EVERY = timedelta(minutes=1)


async def pending(ctx: JobContext) -> str:
    """Quyết định các tín hiệu còn chờ (decide every committed signal still undecided)."""
    return f"{await decide_pending()} signal(s) looked at"


async def triage_reminders(ctx: JobContext) -> str:
    """Nhắc tín hiệu chờ phân loại quá hạn (remind committees of signals waiting too long for
    triage, once per signal)."""
    return f"{await remind_overdue(today_in_vietnam(ctx.now))} signal(s) reminded of"


def register_jobs(registry: JobRegistry) -> Job:
    registry.register_job("decisions.triage_reminders", timedelta(hours=1), triage_reminders)
    return registry.register_job("decisions.pending", EVERY, pending, timeout=EVERY)


def keep_deciding(settings: Settings) -> contextlib.AbstractAsyncContextManager[None]:
    """While the app runs, try the ``decisions.pending`` slot every
    ``settings.decide_pending_seconds`` (0 turns it off, e.g. where a CronJob sweeps often)."""
    job = register_jobs(JobRegistry())
    return repeating(
        "decisions.pending", lambda: run_job(job, settings), settings.decide_pending_seconds
    )
