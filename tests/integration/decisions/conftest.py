"""Helpers of the decision tests: the channel registry as the app builds it, the 2022 pack in
force for Huyện Ba Vì (no other area's tests publish there), cadre codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope
from giamsat.plans.service import history, publish
from tests.integration.intake.conftest import registry
from tests.integration.plans.conftest import pack_for

__all__ = ["DISTRICT", "cadre_code", "pack_in_force", "registry"]

DISTRICT = "271"  # Huyện Ba Vì


async def pack_in_force(tmp_path: Path) -> None:
    """The 2022 pack published for the district from 2022-01-01 (once per session)."""
    if all(v.committee_code != DISTRICT for v in await history(DISTRICT)):
        await publish(pack_for(tmp_path, 2022, DISTRICT), DISTRICT, dt.date(2022, 1, 1))


async def cadre_code(cadre_id: int) -> str:
    async with system_scope():
        row = await Cadre.select(Cadre.code).where(Cadre.id == cadre_id).first()
    assert row is not None
    return str(row["code"])
