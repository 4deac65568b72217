"""Importing the register again after a recorded merge keeps the merge: the merged-away commune
stays ended (history), nothing is created twice, and the summary says so."""

from __future__ import annotations

import datetime as dt

from giamsat.db.scope import system_scope
from giamsat.tenancy.register import REGISTERS, read_register
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.tenancy.schemas import SuccessionRequest
from giamsat.tenancy.service import import_units, record_succession
from giamsat.tenancy.tables import Committee
from tests.conftest import Database
from tests.integration.calendar.conftest import frozen_on
from tests.tree2026 import OTHER_PROVINCE

KEPT, MERGED = "19753", "19774"  # Phường Phú Xuân, Phường Kim Long (Thành phố Huế)


async def _rows(code: str) -> list[dict[str, object]]:
    async with system_scope():
        return list(await Committee.select(Committee.path, Committee.valid_to).where(
            Committee.code == code))  # fmt: skip


async def test_a_reimport_after_a_merge_keeps_the_merge(tree2026: Database) -> None:
    tree2026.bind()
    units = read_register(REGISTERS["2025-07"].path, OTHER_PROVINCE)
    with frozen_on(dt.date(2026, 12, 1)):
        # given Huế's register imported, and Kim Long merged into Phú Xuân from 1 November
        await record_succession(SuccessionRequest(
            kind="merge", predecessors=[MERGED], successors=[KEPT],
            effective_on=dt.date(2026, 11, 1), note="test",
        ))  # fmt: skip
        async with system_scope():
            before = await Committee.count()
        # when the same register is imported again
        report = await import_units(units, with_central=False, register="2025-07")
        # then nothing is created or changed: Kim Long is counted as history, once
        assert (report.created, report.updated, report.ended) == (0, 0, 1)
        assert report.unchanged == len(units) - 1
        assert report.summary() == (
            f"{len(units)} committees: 0 created, 0 updated, {len(units) - 1} unchanged, "
            "1 ended by a recorded merge or split (kept as history)"
        )
        async with system_scope():
            assert await Committee.count() == before
            today = await CommitteeRepository().by_code(MERGED)
        # and Kim Long is still ended on 31 October, with no committee of its code in force
        assert await _rows(MERGED) == [
            {"path": f"/{OTHER_PROVINCE}/{MERGED}/", "valid_to": dt.date(2026, 10, 31)}
        ]
        assert today is None
        # and a third import says the same
        again = await import_units(units, with_central=False, register="2025-07")
        assert again.summary() == report.summary()
