"""Work a ``giamsat serve`` process repeats while it runs (deciding what is pending, running
sheet jobs): one loop that survives a failed round and stops with the app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger("giamsat.jobs")


async def _repeat(name: str, work: Callable[[], Awaitable[object]], seconds: float) -> None:
    while True:
        try:
            await work()
        except Exception as exc:  # the database may be away for a moment; try again later
            log.warning("%s could not run: %s", name, type(exc).__name__)
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def repeating(
    name: str, work: Callable[[], Awaitable[object]], seconds: float
) -> AsyncIterator[None]:
    """While the context is open, run ``work`` every ``seconds`` (0 or less: never)."""
    if seconds <= 0:
        yield
        return
    task = asyncio.create_task(_repeat(name, work, seconds))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
