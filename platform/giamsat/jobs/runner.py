"""Claiming and running job slots, exactly once across processes.

A run is claimed in one short transaction: on PostgreSQL ``pg_try_advisory_xact_lock`` first
serialises the claimers of one job (a loser of the lock simply skips: someone else is claiming
it right now), then ``INSERT … ON CONFLICT DO NOTHING`` on the unique ``slot_key`` decides the
winner. On SQLite the scope's ``BEGIN IMMEDIATE`` serialises and the same insert decides. Inside
the claim the previous run's status is checked too, so a slow run is never overlapped by the
next slot's. The job itself runs after the claim commits, outside any transaction.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import msgspec

from giamsat.db.engine import is_postgres
from giamsat.db.scope import system_scope
from giamsat.jobs.registry import Job, JobContext, JobRegistry
from giamsat.jobs.tables import JobRun
from giamsat.settings import Settings

log = logging.getLogger(__name__)

#: First key of the two-key advisory lock (the second is ``hashtext(job name)``).
JOBS_LOCK_NAMESPACE = 0x4A42  # "JB"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Status = Literal["done", "failed", "skipped"]


class RunOutcome(msgspec.Struct, frozen=True, kw_only=True):
    job: str
    slot_start: datetime
    status: Status
    detail: str

    def describe(self) -> str:
        return f"{self.job}\t{self.slot_start:%Y-%m-%dT%H:%MZ}\t{self.status}\t{self.detail}"


class JobState(msgspec.Struct, frozen=True, kw_only=True):
    """A job as ``giamsat jobs list`` shows it."""

    name: str
    interval_minutes: int
    description: str
    last_slot: datetime | None
    last_status: str | None
    next_slot: datetime


def slot_of(interval: timedelta, now: datetime) -> datetime:
    """Start of the slot containing ``now`` (slots are aligned to the Unix epoch, in UTC)."""
    return _EPOCH + ((now - _EPOCH) // interval) * interval


def _host() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


async def _claim(job: Job, slot: datetime, now: datetime) -> tuple[int | None, str]:
    """(run id, "") when this process won the slot, else (None, why not)."""
    key = f"{job.name}@{slot:%Y-%m-%dT%H:%MZ}"
    async with system_scope():
        if is_postgres():
            rows = await JobRun.raw("SELECT pg_try_advisory_xact_lock({}, hashtext({})) AS got",
                                    JOBS_LOCK_NAMESPACE, job.name)  # fmt: skip
            if not rows[0]["got"]:
                return None, "another process is claiming this job"
        previous = await JobRun.select(JobRun.slot_key, JobRun.host).where(
            (JobRun.job == job.name) & (JobRun.status == "running")
            & (JobRun.started_at > now - job.timeout) & (JobRun.slot_key != key)
        ).first()  # fmt: skip
        if previous is not None:
            return None, f"previous run {previous['slot_key']} still running on {previous['host']}"
        inserted = (
            await JobRun.insert(
                JobRun(job=job.name, slot_start=slot, slot_key=key, host=_host(), started_at=now)
            )
            .on_conflict(target=JobRun.slot_key, action="DO NOTHING")
            .returning(JobRun.id)
        )
    if not inserted:
        return None, "slot already taken"
    return int(inserted[0]["id"]), ""


async def run_job(job: Job, settings: Settings, *, now: datetime | None = None) -> RunOutcome:
    """Run ``job`` for the slot containing ``now`` unless some process already has."""
    now = now or datetime.now(UTC)
    slot = slot_of(job.interval, now)
    run_id, why_not = await _claim(job, slot, now)
    if run_id is None:
        return RunOutcome(job=job.name, slot_start=slot, status="skipped", detail=why_not)
    values: dict[Any, Any]
    try:
        summary = await job.func(JobContext(settings=settings, slot_start=slot, now=now))
    except Exception as exc:  # one failing job must not stop the others: record it and go on
        log.exception("job %s failed in slot %s", job.name, slot)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        status: Status = "failed"
        values = {JobRun.status: status, JobRun.error: error}
        detail = error
    else:
        status, detail = "done", summary
        values = {JobRun.status: status, JobRun.summary: summary}
    async with system_scope():
        await JobRun.update(values | {JobRun.finished_at: datetime.now(UTC)}).where(
            JobRun.id == run_id
        )
    return RunOutcome(job=job.name, slot_start=slot, status=status, detail=detail)


async def sweep(registry: JobRegistry, settings: Settings, *, now: datetime | None = None
                ) -> list[RunOutcome]:  # fmt: skip
    """Run every job whose current slot nobody has taken yet (one pass, for a CronJob)."""
    return [await run_job(job, settings, now=now) for job in registry.all()]


async def job_states(registry: JobRegistry, *, now: datetime | None = None) -> list[JobState]:
    now = now or datetime.now(UTC)
    states = []
    async with system_scope():
        for job in registry.all():
            last = await (
                JobRun.select(JobRun.slot_start, JobRun.status)
                .where(JobRun.job == job.name)
                .order_by(JobRun.slot_start, ascending=False)
                .first()
            )
            current = slot_of(job.interval, now)
            taken = last is not None and last["slot_start"] >= current
            states.append(JobState(
                name=job.name, interval_minutes=int(job.interval.total_seconds() // 60),
                description=job.description, last_slot=last["slot_start"] if last else None,
                last_status=last["status"] if last else None,
                next_slot=current + job.interval if taken else current,
            ))  # fmt: skip
    return states
