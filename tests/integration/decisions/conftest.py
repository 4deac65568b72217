"""Helpers of the decision tests: the channel registry as the app builds it, cadre codes, and
the two trees every journey runs in (``tree``):

- ``2022``: the history. The session's 2023 tree (city → 30 districts → 579 communes) with the
  2022 pack published for Huyện Ba Vì (no other area's tests publish there), on days of June 2022;
- ``2026``: today's Vietnam. Hà Nội on the register of 1 July 2025 (city → 126 communes and
  wards, no districts) with ``rules/2026-ha-noi`` in force (tests/tree2026.py), on days of
  December 2026 whose clocks run into 2027; Thành phố Huế is the other province.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope
from giamsat.plans.service import history, publish
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import code_on
from giamsat.tenancy.tables import Committee
from tests import tree2026 as tree2026_module
from tests.conftest import Database
from tests.factories import Factory
from tests.integration.calendar.conftest import frozen_on
from tests.integration.intake.conftest import registry
from tests.integration.plans.conftest import first_child, pack_for

__all__ = ["DISTRICT", "Tree", "cadre_code", "pack_in_force", "registry", "tree"]

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


class Tree(msgspec.Struct, kw_only=True):
    """One tree a journey runs in, with the committees and days it plays on."""

    name: str  # "2022" (the history) or "2026"
    db: Database
    today: dt.date  # the journey's day (the app's clock is frozen on it)
    plan_from: dt.date  # the first day of the pack in force
    ward: str  # the commune the signals come to
    sibling: str  # another commune under the same parent
    parent: str  # the ward's parent: the district (2022) or the city (2026)
    lower_level: str  # managing level below the city's: "district" (2022), "commune" (2026)
    press_desk: str  # who enters the press: the district (2022), the ward (2026)
    outsider: str  # a commune elsewhere: another district (2022), another province (2026)

    @property
    def factory(self) -> Factory:
        return Factory(self.db)

    def day(self, days: int) -> dt.date:
        """``days`` from today (negative: before)."""
        return self.today + dt.timedelta(days=days)

    @contextlib.contextmanager
    def frozen(self, days: int = 0) -> Iterator[None]:
        with frozen_on(self.day(days)):
            yield

    async def context(self, code: str) -> TenantContext:
        """The committee ``code`` means on the tree's day (codes are reused over time)."""
        async with system_scope():
            row = await Committee.select().where(code_on(code, self.today)).first()
        assert row is not None, code
        return TenantContext(
            committee_id=row["id"], committee_code=code, committee_name=row["name"],
            committee_level=row["level"], path=row["path"],
        )  # fmt: skip


async def _second_child(code: str) -> str:
    first = await first_child(code)
    async with system_scope():
        parent = await Committee.select(Committee.id).where(Committee.code == code).first()
        assert parent is not None
        rows = await Committee.select(Committee.code).where(
            Committee.parent == parent["id"]).order_by(Committee.code)  # fmt: skip
    return next(str(r["code"]) for r in rows if r["code"] != first)


@pytest.fixture(params=["2022", "2026"])
async def tree(
    request: pytest.FixtureRequest, database: Database, tree2026: Database, tmp_path: Path
) -> Tree:
    """The journey's tree, its database bound."""
    if request.param == "2022":
        database.bind()
        await pack_in_force(tmp_path)
        return Tree(
            name="2022", db=database, today=dt.date(2022, 6, 10),
            plan_from=dt.date(2022, 1, 1), ward=await first_child(DISTRICT),
            sibling=await _second_child(DISTRICT), parent=DISTRICT, lower_level="district",
            press_desk=DISTRICT, outsider=await first_child("272"),
        )  # fmt: skip
    tree2026.bind()
    return Tree(
        name="2026", db=tree2026, today=dt.date(2026, 12, 21), plan_from=tree2026_module.PACK_FROM,
        ward=tree2026_module.WARD, sibling=tree2026_module.SIBLING, parent=tree2026_module.CITY,
        lower_level="commune", press_desk=tree2026_module.WARD,
        outsider=tree2026_module.OTHER_COMMUNE,
    )  # fmt: skip
