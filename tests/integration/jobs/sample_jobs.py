"""A job module for the race test, loaded by the CLI through ``GIAMSAT_JOB_MODULES``.

Each execution appends a line to the file named by ``SAMPLE_JOB_LOG``, so the test counts real
executions independently of the ``job_run`` table that decides them.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from pathlib import Path

from giamsat.jobs.registry import JobContext, JobRegistry


async def race(ctx: JobContext) -> str:
    """Record one execution, then hold on a little so the rival process overlaps it."""
    line = f"{os.getpid()} {ctx.slot_start.isoformat()}\n"
    await asyncio.to_thread(_append, Path(os.environ["SAMPLE_JOB_LOG"]), line)
    await asyncio.sleep(0.5)
    return "ran"


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as log:
        log.write(line)


def register_jobs(registry: JobRegistry) -> None:
    # a day-long slot: the two racers cannot straddle a slot boundary (except at midnight UTC)
    registry.register_job("sample.race", timedelta(days=1), race)
