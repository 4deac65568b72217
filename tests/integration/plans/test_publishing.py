"""Publishing: versions take effect on their date, old cases keep their version, malformed packs
are refused with their problems and leave the active pack as it was, simulation shows changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.plans.files import read_folder
from giamsat.plans.service import PackRejected, active_pack, history, publish
from giamsat.plans.simulation import simulate
from giamsat.rulepacks import validate_pack
from giamsat.signals.tables import Signal
from tests.integration.plans.conftest import (
    MALFORMED,
    context_for,
    first_child,
    new_cadre,
    pack_for,
    send,
)


async def _case_of(signal_id: int) -> dict[str, object] | None:
    async with system_scope():
        sig = await Signal.select(Signal.case_id).where(Signal.id == signal_id).first()
        if sig is None or sig["case_id"] is None:
            return None
        return await Case.select().where(Case.id == sig["case_id"]).first()


async def test_2023_applies_from_its_date_and_2022_cases_keep_their_version(db, tmp_path: Path):
    # given the 2022 pack in force and a case it decided
    district = "280"
    v2022 = await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(district))
    old_cadre = await new_cadre(commune, "commune")
    old = await send(commune, old_cadre, "workplace", "report", dt.date(2022, 8, 1), ["DD3"])
    # when the 2023 pack is published effective 2023-01-01
    v2023 = await publish(pack_for(tmp_path, 2023, district), district, dt.date(2023, 1, 1))
    # then 2022 dates still get the 2022 pack and 2023 dates the new one
    assert (await active_pack(commune.path, dt.date(2022, 12, 31))).version == v2022.version
    assert (await active_pack(commune.path, dt.date(2023, 1, 1))).version == v2023.version
    # and two waste reports 100+ days apart in 2023 open a case only the 2023 rule knows
    cadre = await new_cadre(commune, "district", position="head")
    await send(commune, cadre, "workplace", "report", dt.date(2023, 2, 1), ["DD6"])
    second = await send(commune, cadre, "workplace", "report", dt.date(2023, 6, 1), ["DD6"])
    new_case = await _case_of(second)
    assert new_case is not None and new_case["pack_version"] == v2023.version
    assert new_case["priority"] == "high"
    # and the 2022 case keeps the version that decided it
    old_case = await _case_of(old)
    assert old_case is not None and old_case["pack_version"] == v2022.version
    assert [v.version for v in await history(district)][:2] == [v2023.version, v2022.version]


@pytest.mark.parametrize("name", sorted(p.name for p in MALFORMED.iterdir() if p.is_dir()))
async def test_a_malformed_pack_is_refused_and_the_active_pack_stays(db, tmp_path, name):
    # given the 2022 pack in force for the city's district 281
    district = "281"
    active = await active_pack((await context_for(district)).path, dt.date(2022, 6, 1))
    if active is None:
        await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
        active = await active_pack((await context_for(district)).path, dt.date(2022, 6, 1))
    assert active is not None
    before = await history(district)
    expected = {e.message for e in validate_pack(MALFORMED / name)}
    # when the malformed pack is published
    with pytest.raises(PackRejected) as refused:
        await publish(read_folder(MALFORMED / name), district, dt.date(2022, 3, 1))
    # then the refusal names the pack's own problems, and nothing changed
    assert expected and expected <= {e.message for e in refused.value.errors}
    assert all(e.line >= 1 and e.file for e in refused.value.errors)
    assert await history(district) == before
    after = await active_pack((await context_for(district)).path, dt.date(2022, 6, 1))
    assert after is not None and after.version == active.version


async def test_simulating_2023_over_2022_signals_shows_the_new_waste_rule(db, tmp_path):
    # given 2022 signals below district 282 decided under the 2022 pack
    district = "282"
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(district))
    cadre = await new_cadre(commune, "district", position="head")
    await send(commune, cadre, "workplace", "report", dt.date(2022, 2, 1), ["DD6"])
    second = await send(commune, cadre, "workplace", "report", dt.date(2022, 6, 1), ["DD6"])
    assert await _case_of(second) is None
    # when the 2023 pack is simulated over 2022
    report = await simulate(read_folder(pack_for(tmp_path, 2023, "01")), district,
                            dt.date(2022, 1, 1), dt.date(2022, 12, 31))  # fmt: skip
    # then exactly the second signal would now open a case, and nothing is written
    assert (report.signals, report.cases_opened, report.cases_not_opened) == (2, 1, 0)
    assert [c.signal_id for c in report.changes] == [second]
    assert report.changes[0].changes["open_case"] == [False, True]
    assert await _case_of(second) is None
