"""Reading the database-backed metrics at scrape time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.observability.metrics import (
    OLDEST_UNDECIDED_AGE,
    SCRAPE_ERRORS,
    SIGNALS_UNDECIDED,
    exposition,
    set_case_counts,
)

log = logging.getLogger(__name__)


async def refresh_case_counts() -> None:
    """One ``GROUP BY status`` over the whole tree (system scope: counts, never case contents)."""
    async with system_scope():
        rows = await Case.raw("SELECT status, COUNT(*) AS n FROM supervision_case GROUP BY status")
    set_case_counts({str(r["status"]): int(r["n"]) for r in rows})


async def refresh_undecided() -> None:
    """How many committed signals wait for a decision, and for how long the oldest has."""
    from giamsat.decisions.service import waiting

    found = await waiting()
    SIGNALS_UNDECIDED.labels(reason="waiting").set(found.count)
    SIGNALS_UNDECIDED.labels(reason="no_plan").set(found.no_plan)
    oldest = found.oldest
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
    OLDEST_UNDECIDED_AGE.set(max(age, 0.0))


async def scrape() -> tuple[bytes, str]:
    """The metrics text; a database failure is counted and logged, never turned into a 500."""
    try:
        await refresh_case_counts()
    except Exception:  # a scrape must still answer so that Prometheus sees the process is up
        SCRAPE_ERRORS.labels(source="cases").inc()
        log.exception("could not count cases for /metrics")
    try:
        await refresh_undecided()
    except Exception:
        SCRAPE_ERRORS.labels(source="signals").inc()
        log.exception("could not count undecided signals for /metrics")
    return exposition()
