"""Helpers of the calendar journeys: the app's clock frozen, a plan in force, a report sent.

The clock is frozen with ``time_machine`` (``date.today()``, ``datetime.now()``); ``tick`` lets it
run on from the frozen instant so sessions and timestamps still move forward.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import httpx
import time_machine

from giamsat.cadres.schemas import CadreCreate
from giamsat.cadres.service import create_cadre
from giamsat.channels import build_registry
from giamsat.errors import Conflict
from giamsat.intake.channels_service import set_channel
from giamsat.plans.service import publish
from tests.integration.audit.conftest import context_for
from tests.packs import city_pack_for

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NARRATIVE = {
    "strengths": "Triển khai đúng kế hoạch.",
    "shortcomings": "Còn chậm.",
    "proposals": "Tăng cường tập huấn.",
}


@contextlib.contextmanager
def frozen_on(day: dt.date) -> Iterator[None]:
    """The app's clock at 09:00 in Hà Nội on ``day``."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=VIETNAM), tick=True):
        yield


async def plan_in_force(year: int, issuer: str) -> None:
    """The city's plan issued for ``year`` by ``issuer`` (a district of the test tree, so that
    no other test's committees get a plan), in force from 1 January."""
    with contextlib.suppress(Conflict):  # already published by another backend-run test
        await publish(city_pack_for(year, issuer), issuer, dt.date(year, 1, 1))


async def commune_with_workplace_channel(code: str) -> str:
    """Enable the workplace channel at commune ``code``; return a new commune-managed cadre."""
    ctx = await context_for(code)
    await set_channel(ctx, build_registry(timeout=5.0), "workplace", enabled=True)
    cadre = f"K{uuid.uuid4().hex[:8].upper()}"
    await create_cadre(
        ctx, CadreCreate(code=cadre, full_name="Nguyễn Văn Hạn", managing_level="commune")
    )
    return cadre


async def report_dd3(client: httpx.AsyncClient, cadre: str) -> int:
    """A workplace report of dishonest asset declaration (DD3) through the API; the case id."""
    sent = await client.post(
        "/api/v1/intake/workplace/report",
        json={
            "cadre": cadre,
            "indicator": "DD3",
            "union": "Công đoàn cơ sở",
            "content": "Kê khai tài sản không trung thực",
        },
    )
    assert sent.status_code == 201, sent.text
    cases = (await client.get("/api/v1/cases/")).json()["items"]
    mine = [c for c in cases if c["status"] == "received"]
    assert mine, f"no case opened: {cases}"
    signal_id = sent.json()["signal_ids"][0]
    for case in mine:
        detail = (await client.get(f"/api/v1/cases/{case['id']}")).json()
        if signal_id in [s["id"] for s in detail["case"]["signals"]]:
            return int(case["id"])
    raise AssertionError(f"signal {signal_id} is in no case")
