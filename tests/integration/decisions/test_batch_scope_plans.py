"""Every scope plans each statement for its own values (issue #15): on PostgreSQL the
application's connections carry ``plan_cache_mode = force_custom_plan`` (a generic plan, made
after a prepared statement's fifth run, scanned the whole signal table for every batch of ids
the decision step read, and estimated the city's 300,000 signals at 625); the tenant policy
applies in them as in any scope. On both backends (SQLite has no plans to set: its scope reads
as before)."""

from __future__ import annotations

import datetime as dt

from giamsat.db import bulk
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.db.subtree import path_within
from giamsat.signals.tables import Signal
from giamsat.signals.writer import NewSignal, write_signals
from giamsat.tenancy.tables import Committee
from tests.conftest import Database


async def _plan_mode() -> str:
    rows = await bulk.fetch("SELECT current_setting('plan_cache_mode') AS mode")
    return str(rows[0]["mode"])


async def _seen(ids: list[int], path: str, db: Database) -> int:
    """The signals a scope sees: on PostgreSQL by the policy alone (no condition on the path),
    on SQLite, which has no policies, as the repositories read (under the scope's path)."""
    where = Signal.id.is_in(ids)
    if db.backend == "sqlite":
        where &= path_within(Signal.tenant_path, path)
    return int(await Signal.count().where(where))


async def test_every_scope_plans_for_its_values_and_sees_its_subtree_only(db: Database) -> None:
    # given a signal received by a commune, and a district of another part of the city
    async with system_scope():
        communes = await Committee.select(Committee.id, Committee.path).where(
            Committee.level == "commune").order_by(Committee.path)  # fmt: skip
        commune = communes[0]
        other = next(c for c in communes if not c["path"].startswith(commune["path"][:8]))
        ids = await write_signals([NewSignal(
            committee=commune["id"], tenant_path=commune["path"], channel="workplace",
            kind="report", received_on=dt.date(2022, 11, 2), body="Phản ánh thử")])  # fmt: skip
    # when the commune's scope, the other committee's and the whole tree's are opened
    async with tenant_scope(commune["path"]):
        mine = await _seen(ids, commune["path"], db)
        commune_mode = await _plan_mode() if db.backend == "postgres" else ""
    async with tenant_scope(other["path"]):
        theirs = await _seen(ids, other["path"], db)
    async with system_scope():
        system_mode = await _plan_mode() if db.backend == "postgres" else ""
    # then each plans every statement for its own values, and the commune sees its signal
    # while the other committee sees nothing of it
    if db.backend == "postgres":
        assert commune_mode == system_mode == "force_custom_plan"
    assert mine == 1
    assert theirs == 0
