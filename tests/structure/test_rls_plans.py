"""The row-level-security policy is a range the planner uses: an index condition with estimates
taken from the column's statistics (a ``LIKE`` on a setting was a filter on every row, always
estimated at one row)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from giamsat.db.testing import APP_ROLE
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


class _RollBack(Exception):
    """Leaves the test's transaction without committing its rows."""
