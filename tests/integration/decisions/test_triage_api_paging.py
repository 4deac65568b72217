"""The triage API (``/api/v1/triage``) reads one page of the queue and its total in the
database, oldest first: only the committee's signals the pack cannot decide (no person or no
manifestation), never another committee's, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from giamsat.db.engine import current_engine
from giamsat.db.scope import tenant_scope
from giamsat.signals.tables import Signal
from giamsat.signals.writer import write_signal
from giamsat.tenancy.context import TenantContext
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.pages.test_paged_lists import QueryCounter
from tests.integration.plans.conftest import new_cadre

OWN, SIBLING = "00673", "00676"  # two communes of Huyện Thanh Trì
FIRST = dt.date(2025, 3, 3)


async def _signal(
    ctx: TenantContext, received: dt.date, cadre: int | None = None, codes: list[str] | None = None
) -> int:
    async with tenant_scope(ctx.path):
        return await write_signal(Signal(
            committee=ctx.committee_id, tenant_path=ctx.path, channel="citizen", kind="report",
            cadre=cadre, indicator_codes=codes or [], facts={}, received_on=received,
            status="received", body=f"Phản ánh ngày {received:%d/%m}",
        ))  # fmt: skip


async def _every(api: httpx.AsyncClient, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = await api.get("/api/v1/triage", params={"limit": limit, "offset": len(items)})
        body = page.json()
        items.extend(body["items"])
        if not body["items"] or len(items) >= body["total"]:
            return items


async def test_the_triage_api_pages_the_waiting_signals_in_the_database(
    db: object, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 12 signals of the commune waiting for triage (no person, or a person and no
    # manifestation), 2 the pack can decide (a person and a manifestation), 2 of the sibling
    ctx, sibling_ctx = await context_for(OWN), await context_for(SIBLING)
    person = await new_cadre(ctx, "commune")
    day = [FIRST + dt.timedelta(days=n) for n in range(12)]
    waiting = [await _signal(ctx, d, cadre=person if n % 3 == 0 else None)
               for n, d in enumerate(day)]  # fmt: skip
    decidable = [await _signal(ctx, FIRST, cadre=person, codes=["DD3"]) for _ in range(2)]
    theirs = [await _signal(sibling_ctx, FIRST) for _ in range(2)]
    api, _ = await factory.api_client(OWN)
    counter = QueryCounter(monkeypatch, current_engine())
    # when a partner asks for the first page of 5
    first = await api.get("/api/v1/triage", params={"limit": 5})
    # then it holds the 5 oldest of the 12, counted and read with a limit in the database
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["total"], body["limit"], body["offset"]) == (12, 5, 0)
    assert [i["signal_id"] for i in body["items"]] == waiting[:5]
    reads = counter.on("signal")
    assert reads and all("LIMIT 5" in s for s in reads if "count" not in s.lower()), reads
    # and paging through by offset gives each waiting signal once, oldest first
    every = await _every(api, 5)
    assert [i["signal_id"] for i in every] == waiting
    assert not {i["signal_id"] for i in every} & set(decidable + theirs)
    # and an offset past the end is an empty page with the total
    past = (await api.get("/api/v1/triage", params={"offset": 100})).json()
    assert (past["items"], past["total"]) == ([], 12)
    # and the sibling's queue holds its own 2 only
    sibling, _ = await factory.api_client(SIBLING)
    theirs_page = (await sibling.get("/api/v1/triage")).json()
    assert theirs_page["total"] == 2 and {i["signal_id"] for i in theirs_page["items"]} == set(
        theirs
    )
