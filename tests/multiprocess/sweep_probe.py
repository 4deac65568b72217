"""A job for the replica test: each run appends one line to ``GIAMSAT_PROBE_FILE``."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from giamsat.jobs.registry import JobContext, JobRegistry


async def probe(ctx: JobContext) -> str:
    """Record that this process ran the slot, slowly enough for the other sweep to overlap."""
    line = f"{os.getpid()} {ctx.slot_start.isoformat()}\n"
    with open(os.environ["GIAMSAT_PROBE_FILE"], "a", encoding="utf-8") as out:  # noqa: ASYNC230
        out.write(line)
    await asyncio.sleep(1)
    return "probed"


def register_jobs(registry: JobRegistry) -> None:
    # a week-long slot: two sweeps started together can never straddle a slot boundary
    registry.register_job("probe.replicas", timedelta(days=7), probe)
