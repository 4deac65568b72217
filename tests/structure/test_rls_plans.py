"""The row-level-security policy is a range the planner uses: an index condition with estimates
taken from the column's statistics (a ``LIKE`` on a setting was a filter on every row, always
estimated at one row)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import asyncpg
import pytest

from giamsat.db.engine import PLANNER_SETTINGS
from giamsat.db.scope import system_scope
from giamsat.db.subtree import subtree_bounds
from giamsat.db.testing import APP_ROLE
from giamsat.reports.figures import SOURCES, Window, figure_statements
from tests.conftest import Database

#: Phường Phúc Xá (00001, Quận Ba Đình) and, elsewhere, the communes of Quận Hoàn Kiếm (002).
PHUC_XA = "/01/001/00001/"
HOAN_KIEM = "/01/002/"


#: The supervision_case columns without a default, for one case per commune and number.
_CASES = (
    "INSERT INTO supervision_case (committee, tenant_path, origin_path, number, status, "
    "received_on, due_on, subject_name, title, priority, complex_case, managing_level, "
    "pack_version, fired_rules, escalated) "
    "SELECT c.id, c.path, c.path, 'T/' || n, 'received', DATE '2026-11-02', DATE '2026-12-01', "
    "'', '', 'normal', false, '', '', '[]', false FROM committee c, generate_series(1, $2) n "
)
_READS = {"Seq Scan", "Bitmap Heap Scan", "Index Scan", "Index Only Scan"}


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


async def _explain(conn: asyncpg.Connection, scope: str, sql: str) -> dict[str, Any]:
    """EXPLAIN ANALYZE ``sql`` as the application role inside ``scope``."""
    await conn.execute("SET LOCAL max_parallel_workers_per_gather = 0")  # whole-plan row counts
    await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
    await conn.execute("SELECT set_config('app.tenant_path', $1, true)", scope)
    rows = await conn.fetchval("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
    await conn.execute("RESET ROLE")
    return dict(json.loads(rows)[0]["Plan"])


@pytest.mark.postgres_only
async def test_the_policy_is_an_index_range_with_realistic_estimates(db: Database) -> None:
    if db.backend != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    conn = await asyncpg.connect(db.owner_url)
    try:
        async with conn.transaction():  # rolled back below: the session's data stays as it was
            # given 200 cases in Phường Phúc Xá and 8,100 in Quận Hoàn Kiếm's communes, analysed
            await conn.execute(_CASES + "WHERE c.path = $1", PHUC_XA, 200)
            await conn.execute(_CASES + "WHERE c.path LIKE $1 AND c.level = 'commune'",
                               HOAN_KIEM + "%", 450)  # fmt: skip
            await conn.execute("ANALYZE supervision_case")
            # when Phúc Xá counts every case it can see, with no filter of its own
            commune = await _explain(conn, PHUC_XA, "SELECT COUNT(*) FROM supervision_case")
            # then both paths of the policy are index conditions, not a test on every row
            scans = [n for n in _nodes(commune) if "Index Cond" in n]
            assert len(scans) == 2, json.dumps(commune, indent=1)
            assert all("current_setting('app.tenant_path'" in n["Index Cond"] for n in scans)
            assert not any("Filter" in n for n in _nodes(commune))
            # and the estimates are near what they find (the neighbours' rows are not read)
            for node in scans:
                assert node["Actual Rows"] >= 200
                assert 0.5 <= node["Plan Rows"] / node["Actual Rows"] <= 2
            # when Quận Hoàn Kiếm counts its cases by status
            district = await _explain(
                conn, HOAN_KIEM, "SELECT status, COUNT(*) FROM supervision_case GROUP BY status"
            )
            # then the estimate of the rows it reads is realistic too (it was one row)
            read = next(n for n in _nodes(district) if n["Node Type"] in _READS)
            assert read["Actual Rows"] >= 8000
            assert 0.5 <= read["Plan Rows"] / read["Actual Rows"] <= 2
            raise _RollBack
    except _RollBack:
        pass
    finally:
        await conn.close()


#: Signals in every commune of the city, spread over the three channels.
_SIGNALS = (
    "INSERT INTO signal (committee, tenant_path, channel, kind, received_on) "
    "SELECT c.id, c.path, (ARRAY['workplace', 'residence', 'citizen'])[1 + n % 3], 'report', "
    "DATE '2026-11-02' FROM committee c, generate_series(1, $1) n WHERE c.level = 'commune'"
)
_BY_CHANNEL = (
    "SELECT channel, COUNT(*) FROM signal WHERE tenant_path >= $1 AND tenant_path < $2 "
    "GROUP BY channel"
)


@pytest.mark.postgres_only
async def test_the_citys_count_by_channel_takes_the_policy_once_not_on_every_row(
    db: Database,
) -> None:
    if db.backend != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    # given signals in every commune, analysed, and a connection planned as the application's are
    conn = await asyncpg.connect(db.owner_url, server_settings=PLANNER_SETTINGS)
    try:
        async with conn.transaction():
            await conn.execute(_SIGNALS, 40)
            await conn.execute("ANALYZE signal")
            # when the city counts its signals by channel, within its range (as the repositories
            # write it)
            city = "/01/"
            await conn.execute("SET LOCAL max_parallel_workers_per_gather = 0")  # whole counts
            await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
            await conn.execute("SELECT set_config('app.tenant_path', $1, true)", city)
            await conn.execute("PREPARE by_channel(text, text) AS " + _BY_CHANNEL)
            lower, upper = subtree_bounds(city)
            execute = f"EXECUTE by_channel('{lower}', '{upper}')"  # digits and '/' only
            for _ in range(6):  # past the point where a generic plan would be cached
                counted = await conn.fetch(execute)
            plan = json.loads(await conn.fetchval("EXPLAIN (ANALYZE, FORMAT JSON) " + execute))
            await conn.execute("DEALLOCATE by_channel")
            await conn.execute("RESET ROLE")
            raise _RollBack(counted, dict(plan[0]["Plan"]))
    except _RollBack as done:
        counted, top = done.args
    finally:
        await conn.close()
    nodes = _nodes(top)
    read = next(n for n in nodes if n["Node Type"] in _READS)
    # then it reads an index with the policy's range as its index condition, taken once (on a
    # vacuumed table, the covering one alone: bench/rls_cost.py), and tests no row against it
    scan = next(n for n in nodes if "Index Cond" in n)
    assert scan["Node Type"] in _READS | {"Bitmap Index Scan"}, json.dumps(top, indent=1)
    assert "current_setting('app.tenant_path'" in scan["Index Cond"]
    assert not any("current_setting" in n.get("Filter", "") for n in nodes)
    # and the estimate is the rows it finds (a cached generic plan guessed 625 of 300,000)
    assert read["Actual Rows"] == sum(r["count"] for r in counted) >= 40 * 500
    assert 0.5 <= read["Plan Rows"] / read["Actual Rows"] <= 2, json.dumps(read, indent=1)


class _RollBack(Exception):
    """Leaves the test's transaction without committing its rows."""


@pytest.mark.postgres_only
async def test_the_big_figure_sources_can_run_side_by_side_in_parallel_workers(
    db: Database,
) -> None:
    if db.backend != "postgres":
        pytest.skip("parallel plans are PostgreSQL's")
    # given the national roll-up's figure statements for a year over the whole tree
    window = Window(
        within="/",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        as_of=dt.date(2026, 12, 31),
    )
    async with system_scope():
        statements = await figure_statements(
            window, sorted({f for s in SOURCES for f in s.families})
        )
    joined = [s for s in statements if s.side_by_side]
    big = [s for s in SOURCES if s.alongside]
    assert len(joined) == 1 and len(big) > 1
    # when the application role plans it with workers as cheap as they would be on a big tree
    numbered = iter(range(1, 1 + len(joined[0].params)))
    sql = re.sub(r"\{\}", lambda _: f"${next(numbered)}", joined[0].sql)
    conn = await asyncpg.connect(db.owner_url)
    try:
        async with conn.transaction():
            for setting in (
                "parallel_setup_cost",
                "parallel_tuple_cost",
                "min_parallel_table_scan_size",
                "min_parallel_index_scan_size",
            ):
                await conn.execute(f"SET LOCAL {setting} = 0")
            await conn.execute("SET LOCAL max_parallel_workers_per_gather = 2")
            await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
            await conn.execute("SELECT set_config('app.tenant_path', '/', true)")
            plan = json.loads(
                await conn.fetchval("EXPLAIN (FORMAT JSON) " + sql, *joined[0].params)
            )
    finally:
        await conn.close()
    # then every source is a child of one Parallel Append: none keeps the others waiting
    nodes = _nodes(dict(plan[0]["Plan"]))
    appends = [n for n in nodes if n["Node Type"] == "Append" and n.get("Parallel Aware")]
    assert len(appends) == 1, json.dumps(plan, indent=1)
    assert len(appends[0]["Plans"]) == len(big)
