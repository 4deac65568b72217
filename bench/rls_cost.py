"""What row-level security costs: the same queries as the application role and as a superuser.

Creates a throw-away PostgreSQL database, imports Hà Nội's committee tree (1 city, 30 districts,
579 communes), stores N signals (default 300,000) through ``write_signals`` and copies in N/10
cases, spread over the communes and districts, VACUUM ANALYZEs (as autovacuum would), then times
each query of a page that reads a subtree:

- ``district_case_list``: a district's case list (its own and its communes' cases, by due date,
  first page of 50), the predicate the case repository uses (``giamsat.db.subtree``'s range);
- ``city_count_by_channel``: the city's signals counted by channel, within the same range.

Each query runs in a transaction that has set ``app.tenant_path`` (as every request does), on
connections with the application's planner settings (``giamsat.db.engine.PLANNER_SETTINGS``),
once as the application role (the policies apply) and once as the superuser (they do not), the
same SQL text, alternating, ``--repeat`` times; the figure is the ratio of the medians. The plans
of both are written beside the timings.

Usage: python bench/rls_cost.py [--signals 300000] [--repeat 30] [--timeout 600]
Writes bench/results/rls_cost.json and drops its database, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg

from giamsat.db.engine import PLANNER_SETTINGS, close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope
from giamsat.db.subtree import subtree_bounds
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.signals.writer import NewSignal, write_signals
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
RESULTS = ROOT / "bench" / "results" / "rls_cost.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
CHANNELS = ("workplace", "residence", "citizen")
DISTRICT = "/01/001/"  # Quận Ba Đình
CITY = "/01/"

QUERIES = {
    "district_case_list": (
        DISTRICT,
        "SELECT c.id, c.number, c.status, c.title, c.received_on, c.due_on, k.code "
        "FROM supervision_case c JOIN committee k ON k.id = c.committee "
        "WHERE ((c.tenant_path >= $1 AND c.tenant_path < $2) "
        "OR (c.origin_path >= $1 AND c.origin_path < $2)) "
        "ORDER BY c.due_on, c.id LIMIT 50",
    ),
    "city_count_by_channel": (
        CITY,
        "SELECT channel, COUNT(*) FROM signal WHERE tenant_path >= $1 AND tenant_path < $2 "
        "GROUP BY channel",
    ),
}


async def _write_signals(app_url: str, picks: list[NewSignal]) -> None:
    """Signals the way the platform stores them (with their indicator rows), as the application
    role, 50,000 per transaction."""
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        for start in range(0, len(picks), 50_000):
            async with system_scope():
                await write_signals(picks[start : start + 50_000])
    finally:
        await close_pool(engine)


async def _load(owner_url: str, app_url: str, n_signals: int, seed: int) -> None:
    rng = random.Random(seed)
    conn = await asyncpg.connect(owner_url)
    try:
        rows = await conn.fetch("SELECT id, path, level FROM committee WHERE level <> 'province'")
        weighted = [
            (r["id"], r["path"]) for r in rows for _ in range(3 if r["level"] == "commune" else 1)
        ]
        start = date(2026, 1, 1)
        await _write_signals(app_url, [
            NewSignal(committee=cid, tenant_path=path, channel=rng.choice(CHANNELS),
                      kind="report", indicator_codes=["DD1"],
                      received_on=start + timedelta(days=i % 300), anonymous=True)
            for i, (cid, path) in enumerate(rng.choice(weighted) for _ in range(n_signals))
        ])  # fmt: skip
        await conn.copy_records_to_table(
            "supervision_case",
            records=(
                (
                    cid,
                    path,
                    path,
                    f"2026/{i}",
                    "received" if i % 3 else "answered",
                    start + timedelta(days=i % 300),
                    start + timedelta(days=i % 300 + 28),
                    "",
                    f"Vụ việc {i}",
                    "normal",
                    False,
                    "",
                    "",
                    "[]",
                    False,
                )
                for i, (cid, path) in enumerate(
                    rng.choice(weighted) for _ in range(n_signals // 10)
                )
            ),
            columns=[
                "committee",
                "tenant_path",
                "origin_path",
                "number",
                "status",
                "received_on",
                "due_on",
                "subject_name",
                "title",
                "priority",
                "complex_case",
                "managing_level",
                "pack_version",
                "fired_rules",
                "escalated",
            ],
        )
        await conn.execute("VACUUM ANALYZE")  # as autovacuum leaves tables in production
    finally:
        await conn.close()


async def _time(conn: asyncpg.Connection, path: str, sql: str) -> float:
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_path', $1, true)", path)
        t0 = time.perf_counter()
        await conn.fetch(sql, *subtree_bounds(path))
        return time.perf_counter() - t0


async def _plan(conn: asyncpg.Connection, path: str, sql: str) -> list[str]:
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_path', $1, true)", path)
        lower, upper = subtree_bounds(path)
        literal = sql.replace("$1", f"'{lower}'").replace("$2", f"'{upper}'")
        rows = await conn.fetch("EXPLAIN ANALYZE " + literal)
        return [r[0] for r in rows]


async def _measure(owner_url: str, app_url: str, repeat: int) -> dict[str, object]:
    # both with the application's planner settings: the policy is the only difference
    app = await asyncpg.connect(app_url, server_settings=PLANNER_SETTINGS)
    superuser = await asyncpg.connect(owner_url, server_settings=PLANNER_SETTINGS)
    try:
        figures: dict[str, object] = {}
        for name, (path, sql) in QUERIES.items():
            for conn in (app, superuser):  # warm the cache and the statement cache
                for _ in range(3):
                    await _time(conn, path, sql)
            as_app, as_super = [], []
            for _ in range(repeat):
                as_app.append(await _time(app, path, sql))
                as_super.append(await _time(superuser, path, sql))
            app_ms = statistics.median(as_app) * 1000
            super_ms = statistics.median(as_super) * 1000
            figures[name] = {
                "scope": path,
                "app_role_ms": round(app_ms, 3),
                "superuser_ms": round(super_ms, 3),
                "rls_cost": round(app_ms / super_ms, 3),
                "plan_app_role": await _plan(app, path, sql),
                "plan_superuser": await _plan(superuser, path, sql),
            }
        return figures
    finally:
        await app.close()
        await superuser.close()


async def run(n_signals: int, repeat: int, seed: int) -> dict[str, object]:
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        await import_units(read_register(REGISTER, "01"), with_central=False)
        await close_pool(use_database(owner_url))
        t0 = time.perf_counter()
        await _load(owner_url, app_url, n_signals, seed)
        loaded = round(time.perf_counter() - t0, 2)
        figures = await _measure(owner_url, app_url, repeat)
        return {
            "backend": "postgresql",
            "signals": n_signals,
            "cases": n_signals // 10,
            "load_seconds": loaded,
            "repeat": repeat,
            **figures,
            "measured_on": date.today().isoformat(),
        }
    finally:
        await drop_postgres_database(SERVER, owner_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--signals", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole run")
    args = parser.parse_args()
    result = asyncio.run(asyncio.wait_for(run(args.signals, args.repeat, args.seed), args.timeout))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {k: v["rls_cost"] for k, v in result.items() if isinstance(v, dict)}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
