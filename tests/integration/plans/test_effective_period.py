"""A pack is in force from its effective date to its plan's ``effective_to`` (inclusive): a 2023
signal under the 2022 pack alone gets no decision and says so, until the 2023 pack is published;
the case the 2022 pack decided keeps its version."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.service import NO_PLAN_IN_FORCE, decide_signal
from giamsat.errors import InvalidInput
from giamsat.plans.service import active_pack, history, publish
from giamsat.signals.tables import Signal
from tests.integration.plans.conftest import context_for, first_child, new_cadre, pack_for, send


async def _signal(signal_id: int) -> dict[str, object]:
    async with system_scope():
        row = await Signal.select().where(Signal.id == signal_id).first()
    assert row is not None
    return dict(row)


async def test_a_2023_signal_waits_for_the_2023_pack(db, tmp_path: Path, caplog):
    # given only the 2022 pack (ends 2022-12-31) in force for district 283, and a 2022 case
    district = "268"
    v2022 = await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    assert v2022.effective_to == dt.date(2022, 12, 31)
    commune = await context_for(await first_child(district))
    cadre = await new_cadre(commune, "commune")
    old = await _signal(await send(commune, cadre, "workplace", "report", dt.date(2022, 12, 31),
                                   ["DD3"]))  # fmt: skip
    assert old["case_id"] is not None and old["pack_version"] == v2022.version
    # when a 2023 signal arrives before the 2023 pack is published
    caplog.set_level(logging.WARNING, logger="giamsat.decisions")
    late_cadre = await new_cadre(commune, "commune")
    late = await send(commune, late_cadre, "workplace", "report", dt.date(2023, 1, 1), ["DD3"])
    # then the 2022 pack no longer applies: no decision, the signal says why, a log line too
    assert await active_pack(commune.path, dt.date(2023, 1, 1)) is None
    waiting = await _signal(late)
    assert (waiting["status"], waiting["case_id"]) == ("received", None)
    assert waiting["pack_version"] == NO_PLAN_IN_FORCE
    assert any("no plan in force" in r.getMessage() and str(late) in r.getMessage()
               for r in caplog.records)  # fmt: skip
    # when the 2023 pack is published and the waiting signal evaluated again
    v2023 = await publish(pack_for(tmp_path, 2023, district), district, dt.date(2023, 1, 1))
    outcome = await decide_signal(late)
    # then the 2023 pack decides it, and the 2022 case keeps the version that decided it
    decided = await _signal(late)
    assert outcome.opened and decided["pack_version"] == v2023.version
    async with system_scope():
        case = await Case.select(Case.pack_version).where(Case.id == old["case_id"]).first()
        new_case = await Case.select(Case.pack_version).where(
            Case.id == decided["case_id"]).first()  # fmt: skip
    assert case is not None and case["pack_version"] == v2022.version
    assert new_case is not None and new_case["pack_version"] == v2023.version
    # and another commune's scope does not see the waiting signal's case
    sibling = await context_for("00001")
    async with tenant_scope(sibling.path):
        seen = await Case.select(Case.id).where(Case.id == decided["case_id"])
    if db.backend == "postgres":
        assert seen == []


async def test_a_pack_published_after_its_plan_ended_is_refused(db, tmp_path: Path):
    # given district 284 with no pack
    district = "269"
    before = await history(district)
    # when the 2022 pack is published effective 2023-01-01
    with pytest.raises(InvalidInput) as refused:
        await publish(pack_for(tmp_path, 2022, district), district, dt.date(2023, 1, 1))
    # then it is refused with the reason and nothing is stored
    assert "would never be in force" in str(refused.value)
    assert await history(district) == before
