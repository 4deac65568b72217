"""The 2026 tree fixture (tests/tree2026.py) holds what it says: Hà Nội on the register of
1 July 2025 with its 2026 plan in force, Huế beside it, the 2023 tree as history."""

from __future__ import annotations

import datetime as dt

from giamsat.db.scope import system_scope
from giamsat.plans.service import active_pack
from giamsat.tenancy.repository import CommitteeRepository, in_force_on
from giamsat.tenancy.tables import Committee
from tests.conftest import Database
from tests.factories import Factory
from tests.tree2026 import CITY, OTHER_COMMUNE, OTHER_PROVINCE, SIBLING, WARD


async def test_the_2026_tree_is_two_levels_with_the_2026_plan(tree2026: Database) -> None:
    tree2026.bind()
    repo = CommitteeRepository()
    async with system_scope():
        # the city has 126 communes and wards in force on 1 December 2026, and no district
        in_force = await Committee.select(Committee.path, Committee.level).where(
            Committee.path.like("/01/%") & in_force_on(dt.date(2026, 12, 1))
        )
        ward = await repo.by_code(WARD, dt.date(2026, 12, 1))
        then = await repo.by_code(WARD, dt.date(2023, 6, 1))
        hue = await repo.by_code(OTHER_COMMUNE, dt.date(2026, 12, 1))
        city = await Committee.select(Committee.path).where(Committee.code == CITY).first()
    assert len(in_force) == 1 + 126
    assert {r["level"] for r in in_force} == {"province", "commune"}
    assert ward is not None and (ward.name, ward.parent_code) == ("Phường Ba Đình", CITY)
    assert then is not None and then.parent_name == "Quận Ba Đình"  # the history stays
    assert hue is not None and hue.parent_code == OTHER_PROVINCE
    # and the 2026 plan is in force over the ward in December 2026
    assert city is not None
    async with system_scope():
        pack = await active_pack(ward.path, dt.date(2026, 12, 15))
    assert pack is not None and "2026" in pack.version
    # and a sibling ward's user reads its own committee, not the ward's
    factory = Factory(tree2026)
    sibling, _ = await factory.api_client(SIBLING)
    assert (await sibling.get(f"/api/v1/committees/{SIBLING}")).status_code == 200
    assert (await sibling.get(f"/api/v1/committees/{WARD}")).status_code == 404
