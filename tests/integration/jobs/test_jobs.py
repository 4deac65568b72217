"""Periodic jobs run once per slot: in one process, and across racing OS processes."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from giamsat.db.scope import system_scope
from giamsat.errors import ConfigurationError, InvalidInput, NotFound
from giamsat.jobs.registry import JobContext, JobRegistry, load_registry
from giamsat.jobs.runner import job_states, run_job, slot_of, sweep
from giamsat.jobs.tables import JobRun

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
ROOT = Path(__file__).resolve().parents[3]
#: A fixed clock far from now, so these slots never meet the real ones.
NOON = datetime(2031, 3, 14, 12, 0, 30, tzinfo=UTC)


async def _runs(job: str) -> list[dict]:
    async with system_scope():
        return await JobRun.select().where(JobRun.job == job).order_by(JobRun.slot_start)


async def test_a_slot_runs_once_and_the_next_slot_runs_again(db):
    # given a job every 5 minutes that counts its executions
    calls: list[datetime] = []

    async def tick(ctx: JobContext) -> str:
        calls.append(ctx.slot_start)
        return f"tick {len(calls)}"

    registry = JobRegistry()
    job = registry.register_job("sample.tick", timedelta(minutes=5), tick)
    # when it is run twice within a slot, then once in the next
    first = await run_job(job, db.settings(), now=NOON)
    again = await run_job(job, db.settings(), now=NOON + timedelta(minutes=2))
    later = await run_job(job, db.settings(), now=NOON + timedelta(minutes=5))
    # then the repeat was skipped and each slot ran exactly once
    assert [o.status for o in (first, again, later)] == ["done", "skipped", "done"]
    assert again.detail == "slot already taken"
    assert calls == [slot_of(job.interval, NOON), slot_of(job.interval, NOON) + job.interval]
    runs = await _runs("sample.tick")
    assert [(r["status"], r["summary"]) for r in runs] == [("done", "tick 1"), ("done", "tick 2")]
    assert all(r["finished_at"] is not None for r in runs)


async def test_a_failing_job_is_recorded_and_the_sweep_goes_on(db):
    # given two jobs, the first of which fails
    async def broken(ctx: JobContext) -> str:
        raise InvalidInput("hạn xử lý không hợp lệ (bad deadline)")

    async def fine(ctx: JobContext) -> str:
        return "fine"

    registry = JobRegistry()
    registry.register_job("sample.broken", timedelta(hours=1), broken)
    registry.register_job("sample.fine", timedelta(hours=1), fine)
    # when every due job is swept
    outcomes = await sweep(registry, db.settings(), now=NOON)
    # then the failure is recorded with its message and the other job still ran
    assert [(o.job, o.status) for o in outcomes] == [
        ("sample.broken", "failed"),
        ("sample.fine", "done"),
    ]
    (run,) = await _runs("sample.broken")
    assert run["status"] == "failed"
    assert run["error"] == "InvalidInput: hạn xử lý không hợp lệ (bad deadline)"
    # and a failed slot is not retried by the next sweep within the same slot
    again = await sweep(registry, db.settings(), now=NOON + timedelta(minutes=1))
    assert [o.status for o in again] == ["skipped", "skipped"]


async def test_a_slow_run_is_not_overlapped_by_the_next_slot(db):
    # given a job that is still running when its next slot comes
    registry = JobRegistry()
    seen: list[str] = []

    async def slow(ctx: JobContext) -> str:
        overlap = await run_job(job, db.settings(), now=ctx.now + timedelta(minutes=1))
        seen.append(f"{overlap.status}: {overlap.detail}")
        return "slow"

    job = registry.register_job("sample.slow", timedelta(minutes=1), slow)
    # when the first run starts the next slot from inside itself
    outcome = await run_job(job, db.settings(), now=NOON)
    # then the nested run was skipped, naming the run in progress
    assert outcome.status == "done"
    assert seen == ["skipped: previous run sample.slow@2031-03-14T12:00Z still running on "
                    f"{(await _runs('sample.slow'))[0]['host']}"]  # fmt: skip
    assert len(await _runs("sample.slow")) == 1


async def test_job_states_show_last_and_next_slot(db):
    async def noop(ctx: JobContext) -> str:
        return "nothing to do"

    registry = JobRegistry()
    job = registry.register_job("sample.noop", timedelta(hours=1), noop, "Không làm gì")
    (before,) = await job_states(registry, now=NOON)
    await run_job(job, db.settings(), now=NOON)
    (after,) = await job_states(registry, now=NOON)
    slot = slot_of(job.interval, NOON)
    assert (before.last_slot, before.next_slot) == (None, slot)
    assert (after.last_slot, after.last_status, after.next_slot) == (
        slot,
        "done",
        slot + job.interval,
    )
    assert after.description == "Không làm gì"


def test_registry_refuses_bad_jobs():
    async def noop(ctx: JobContext) -> str:
        return ""

    registry = JobRegistry()
    registry.register_job("sample.ok", timedelta(minutes=1), noop)
    with pytest.raises(InvalidInput, match="must look like"):
        registry.register_job("NoDot", timedelta(minutes=1), noop)
    with pytest.raises(InvalidInput, match="whole minutes"):
        registry.register_job("sample.fast", timedelta(seconds=30), noop)
    with pytest.raises(ConfigurationError, match="registered twice"):
        registry.register_job("sample.ok", timedelta(minutes=1), noop)
    with pytest.raises(NotFound, match=r"the jobs are sample\.ok"):
        registry.get("sample.missing")


def test_areas_jobs_are_discovered():
    names = [job.name for job in load_registry({}).all()]
    assert {"audit.verify", "outbox.deliver"} <= set(names)
    with pytest.raises(ConfigurationError, match=r"The job module no\.such cannot be imported"):
        load_registry({"GIAMSAT_JOB_MODULES": "no.such"})


async def test_racing_processes_run_a_slot_exactly_once(db, tmp_path):
    # given two separate OS processes started together for the same job and slot
    log = tmp_path / "executions.log"
    python_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {
        **os.environ,
        "GIAMSAT_DATABASE_URL": db.url,
        "SAMPLE_JOB_LOG": str(log),
        "GIAMSAT_JOB_MODULES": "tests.integration.jobs.sample_jobs",
        "PYTHONPATH": python_path,
    }

    async def racer() -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            GIAMSAT, "jobs", "run", "sample.race", env=env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await proc.communicate()
        return proc.returncode or 0, out.decode()

    results = await asyncio.gather(racer(), racer())
    # then both exit cleanly, one having run the job and the other having skipped it
    assert [code for code, _ in results] == [0, 0], results
    statuses = sorted(out.split("\t")[2] for _, out in results)
    assert statuses == ["done", "skipped"], results
    # and exactly one execution happened and is recorded
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
    runs = await _runs("sample.race")
    assert [(r["status"], r["summary"]) for r in runs] == [("done", "ran")]
