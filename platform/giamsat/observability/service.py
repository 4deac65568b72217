"""Reading the database-backed metrics at scrape time."""

from __future__ import annotations

import logging

from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.observability.metrics import SCRAPE_ERRORS, exposition, set_case_counts

log = logging.getLogger(__name__)


async def refresh_case_counts() -> None:
    """One ``GROUP BY status`` over the whole tree (system scope: counts, never case contents)."""
    async with system_scope():
        rows = await Case.raw("SELECT status, COUNT(*) AS n FROM supervision_case GROUP BY status")
    set_case_counts({str(r["status"]): int(r["n"]) for r in rows})


async def scrape() -> tuple[bytes, str]:
    """The metrics text; a database failure is counted and logged, never turned into a 500."""
    try:
        await refresh_case_counts()
    except Exception:  # a scrape must still answer so that Prometheus sees the process is up
        SCRAPE_ERRORS.labels(source="cases").inc()
        log.exception("could not count cases for /metrics")
    return exposition()
