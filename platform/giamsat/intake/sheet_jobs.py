"""Big sheets decided as jobs: committed in the request, decided afterwards in batches.

A bulk sheet of more than ``Settings.sheet_job_rows`` rows is validated and committed in the
request exactly as a small one (all rows or none); in the same transaction a ``decision_job``
row is queued (:func:`queue`), and the request answers at once. A worker — each web process
runs :func:`keep_running_sheet_jobs`, wired by the app factory; tests call :func:`run_jobs` —
claims a queued job under a lease (:func:`claim`): a conditional ``UPDATE`` that only one
claimer wins, on PostgreSQL and on SQLite alike. It then decides the submission's signals in
their order, :data:`BATCH` at a time, through ``decisions.service.decide_signals``
(:func:`run_batch`), and after each batch stores the counts and renews its lease, in one
``UPDATE`` that also requires it still to hold the lease and the job still to be at the batch it
started from. A worker that died (or stalled past its lease) is therefore taken over by another
after ``sheet_job_lease_seconds``, from the last batch counted; the late worker's own count is
refused, so nothing is counted twice.

The counts are read from the signals themselves (how many went to a case, how many cases were
opened since the job was queued, how many are still undecided with a cadre), not added up from
what one worker saw: a batch decided twice, or signals the ``decisions.pending`` job decided
first, count once. Deciding itself never happens twice: ``decide_signals`` skips a signal that
is no longer ``received`` and re-checks under the cadre's transaction.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import msgspec
from piccolo.columns import Column
from piccolo.columns.combination import And, Or, Where

from giamsat.accounts.roles import Role
from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.service import decide_signals
from giamsat.errors import NotFound
from giamsat.intake.tables import DecisionJob, IntakeSubmission
from giamsat.jobs.background import repeating
from giamsat.settings import Settings
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

log = logging.getLogger("giamsat.intake.sheet_jobs")

#: Signals decided per batch (and per count update).
BATCH = 1000

State = Literal["queued", "running", "done", "failed"]
_NOT_FOUND = N_("No such decision job.")


class DecisionJobView(msgspec.Struct, frozen=True, kw_only=True):
    """A sheet's decision job: how far it got (``decided`` of ``total`` signals) and what it
    did so far (cases opened, signals attached to a case, signals left undecided)."""

    id: int
    submission_id: int
    channel: str
    state: State
    rows: int
    total: int
    decided: int
    cases_opened: int
    attached: int
    errors: int
    created_at: datetime
    updated_at: datetime
    #: Where to follow it: ``/api/v1/decision-jobs/{id}``.
    status_url: str


class Lease(msgspec.Struct, frozen=True, kw_only=True):
    """A job claimed by ``owner``."""

    job_id: int
    owner: str


def status_url(job_id: int) -> str:
    return f"/api/v1/decision-jobs/{job_id}"


def page_url(code: str, job_id: int) -> str:
    return f"/c/{code}/decision-jobs/{job_id}"


def worker_name() -> str:
    """This process, as a lease owner: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


async def queue(
    ctx: TenantContext, submission_id: int, channel: str, *, rows: int, total: int
) -> int:
    """Queue the decision of a committed sheet; call inside the committee's scope, in the
    transaction that commits the sheet (so there is never a sheet without its job)."""
    job = DecisionJob(
        committee=ctx.committee_id,
        tenant_path=ctx.path,
        submission=submission_id,
        channel=channel,
        organisation=ctx.organisation,
        rows=rows,
        total=total,
        state="done" if total == 0 else "queued",
    )
    await job.save()
    return int(job.id)


def _readable(ctx: TenantContext) -> And | Where:
    where: And | Where = DecisionJob.committee == ctx.committee_id
    if ctx.role == Role.PARTNER_OFFICER:
        where = where & (DecisionJob.organisation == ctx.organisation)
    return where


def _view(row: dict[str, object]) -> DecisionJobView:
    view = msgspec.convert(
        {**row, "submission_id": row["submission"], "cases_opened": row["opened"],
         "status_url": status_url(int(str(row["id"])))},
        DecisionJobView, strict=False,
    )  # fmt: skip
    return view


async def job_of(ctx: TenantContext, job_id: int) -> DecisionJobView:
    """The committee's job (a partner's officer: their organisation's); 404 for anyone else."""
    async with tenant_scope(ctx.path):
        row = await DecisionJob.select().where(_readable(ctx) & (DecisionJob.id == job_id)).first()
    if row is None:
        raise NotFound(_NOT_FOUND, field="job")
    return _view(dict(row))


async def recent(ctx: TenantContext, channel: str, limit: int = 5) -> list[DecisionJobView]:
    """The caller's latest sheet jobs of ``channel``, newest first (for the upload page)."""
    async with tenant_scope(ctx.path):
        rows = await (
            DecisionJob.select()
            .where(_readable(ctx) & (DecisionJob.channel == channel))
            .order_by(DecisionJob.id, ascending=False)
            .limit(limit)
        )
    return [_view(dict(row)) for row in rows]


async def job_of_submission(ctx: TenantContext, submission_id: int) -> int | None:
    """The job deciding the committee's submission, if it has one."""
    async with tenant_scope(ctx.path):
        row = await DecisionJob.select(DecisionJob.id).where(
            (DecisionJob.committee == ctx.committee_id)
            & (DecisionJob.submission == submission_id)
        ).first()  # fmt: skip
    return int(row["id"]) if row is not None else None


def _claimable(now: datetime) -> Or:
    expired = (DecisionJob.state == "running") & (DecisionJob.lease_until < now)
    return (DecisionJob.state == "queued") | expired


async def claim(owner: str, *, lease: timedelta, now: datetime | None = None) -> Lease | None:
    """Take the oldest queued job, or a running one whose lease has run out; None when there is
    none. Two claimers of one job: the conditional update lets exactly one win."""
    now = now or datetime.now(UTC)
    async with system_scope():
        candidates = await (
            DecisionJob.select(DecisionJob.id)
            .where(_claimable(now))
            .order_by(DecisionJob.id)
            .limit(5)
        )
    for candidate in candidates:
        async with system_scope():
            taken = await (
                DecisionJob.update({
                    DecisionJob.state: "running", DecisionJob.lease_owner: owner,
                    DecisionJob.lease_until: now + lease, DecisionJob.updated_at: now,
                })
                .where((DecisionJob.id == candidate["id"]) & _claimable(now))
                .returning(DecisionJob.id)
            )  # fmt: skip
        if taken:
            return Lease(job_id=int(candidate["id"]), owner=owner)
    return None


class _Counts(msgspec.Struct, frozen=True):
    attached: int
    opened: int
    errors: int


async def _counts(signal_ids: list[int], since: datetime) -> _Counts:
    """What became of these signals, read from them: attached to a case, the cases among those
    opened since ``since`` (the job's queueing), and those still undecided with a cadre."""
    if not signal_ids:
        return _Counts(0, 0, 0)
    attached, errors, case_ids = 0, 0, set[int]()
    async with system_scope():
        for start in range(0, len(signal_ids), 5000):
            rows = await Signal.select(Signal.status, Signal.case_id, Signal.cadre).where(
                Signal.id.is_in(signal_ids[start : start + 5000])
            )
            for row in rows:
                if row["case_id"] is not None:
                    attached += 1
                    case_ids.add(int(row["case_id"]))
                elif row["status"] == "received" and row["cadre"] is not None:
                    errors += 1
        opened = (
            await Case.count().where(Case.id.is_in(sorted(case_ids)) & (Case.opened_at >= since))
            if case_ids
            else 0
        )
    return _Counts(attached=attached, opened=int(opened), errors=errors)


async def run_batch(
    lease: Lease, *, lease_for: timedelta, batch: int = BATCH, now: datetime | None = None
) -> bool:
    """Decide the job's next batch and count it; True while there is more to do and the lease
    is still held (False: done, failed, or taken over by another worker)."""
    async with system_scope():
        job = await DecisionJob.select().where(
            (DecisionJob.id == lease.job_id) & (DecisionJob.lease_owner == lease.owner)
            & (DecisionJob.state == "running")
        ).first()  # fmt: skip
        if job is None:
            return False
        submission = await IntakeSubmission.select(IntakeSubmission.signal_ids).where(
            IntakeSubmission.id == job["submission"]
        ).first()  # fmt: skip
    raw = submission["signal_ids"] if submission is not None else []
    ids = [int(i) for i in (msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw)]
    start = int(job["decided"])
    chunk = ids[start : start + batch]
    values: dict[Column | str, Any]
    try:
        await decide_signals(chunk)
        counts = await _counts(ids[: start + len(chunk)], job["created_at"])
    except Exception as exc:  # the signals stay received; decisions.pending decides them later
        log.warning("sheet job %s failed at signal %s of %s: %s", lease.job_id, start,
                    len(ids), type(exc).__name__)  # fmt: skip
        values = {DecisionJob.state: "failed", DecisionJob.detail: type(exc).__name__}
    else:
        finished = start + len(chunk) >= len(ids)
        values = {
            DecisionJob.decided: start + len(chunk), DecisionJob.attached: counts.attached,
            DecisionJob.opened: counts.opened, DecisionJob.errors: counts.errors,
            DecisionJob.state: "done" if finished else "running",
        }  # fmt: skip
    now = now or datetime.now(UTC)
    async with system_scope():
        kept = await (
            DecisionJob.update(values | {
                DecisionJob.lease_until: now + lease_for, DecisionJob.updated_at: now,
            })
            .where(
                (DecisionJob.id == lease.job_id) & (DecisionJob.lease_owner == lease.owner)
                & (DecisionJob.state == "running") & (DecisionJob.decided == start)
            )
            .returning(DecisionJob.state)
        )  # fmt: skip
    return bool(kept) and kept[0]["state"] == "running"


async def run_jobs(
    settings: Settings,
    *,
    owner: str | None = None,
    batch: int = BATCH,
    now: datetime | None = None,
) -> int:
    """Run queued jobs (and those whose lease ran out) to the end; how many were taken."""
    owner = owner or worker_name()
    lease_for = timedelta(seconds=settings.sheet_job_lease_seconds)
    taken = 0
    while (lease := await claim(owner, lease=lease_for, now=now)) is not None:
        taken += 1
        while await run_batch(lease, lease_for=lease_for, batch=batch, now=now):
            pass
    return taken


def keep_running_sheet_jobs(settings: Settings) -> contextlib.AbstractAsyncContextManager[None]:
    """While the app runs, look for queued sheet jobs every ``sheet_job_poll_seconds`` (0 turns
    it off, e.g. for a process that serves pages only)."""
    owner = worker_name()
    return repeating(
        "sheet jobs", lambda: run_jobs(settings, owner=owner), settings.sheet_job_poll_seconds
    )
