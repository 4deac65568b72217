"""An audit append costs the same whatever the chain's length: 1,000 entries vs 1,000,000.

Creates a throw-away PostgreSQL database with Hà Nội's tree, gives Phường Phúc Xá (00001) a chain
of ``--long`` entries (default 1,000,000) and Phường Trúc Bạch (00004) one of ``--short`` (1,000),
written as the owner with one INSERT … SELECT (their hashes are not a valid chain: only the
append's cost is measured here; ``giamsat audit verify`` would name the break). Then, as the
application role under row-level security, it times ``--appends`` scopes per chain, alternating,
each recording one entry and committing (what a portal submission's audit costs), and reports
the medians, their ratio and the plan of the tail query.

Usage: python bench/audit_tail.py [--long 1000000] [--short 1000] [--appends 300]
Writes bench/results/audit_tail.json and drops its database, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

import asyncpg

from giamsat.audit.service import record
from giamsat.db.engine import PLANNER_SETTINGS, close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units
from giamsat.tenancy.tables import Committee

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
RESULTS = ROOT / "bench" / "results" / "audit_tail.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
LONG, SHORT = "00001", "00004"

_FILL = (
    "INSERT INTO audit_entry (committee, tenant_path, seq, chain_position, at, actor_username, "
    "action, subject_type, subject_id, details, prev_hash, hash) "
    "SELECT c.id, c.path, n, c.id || ':' || n, now(), 'bench', 'case.assigned', 'case', n::text, "
    "'{}', md5(n::text) || md5(n::text), md5((n + 1)::text) || md5((n + 1)::text) "
    "FROM committee c, generate_series(1, $2) n WHERE c.code = $1"
)


async def _fill(owner_url: str, long: int, short: int) -> float:
    conn = await asyncpg.connect(owner_url)
    try:
        t0 = time.perf_counter()
        await conn.execute(_FILL, LONG, long)
        await conn.execute(_FILL, SHORT, short)
        await conn.execute("VACUUM ANALYZE audit_entry")
        return time.perf_counter() - t0
    finally:
        await conn.close()


async def _tail_plan(app_url: str, committee_id: int, path: str) -> list[str]:
    conn = await asyncpg.connect(app_url, server_settings=PLANNER_SETTINGS)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_path', $1, true)", path)
            rows = await conn.fetch(
                "EXPLAIN ANALYZE SELECT seq, hash FROM audit_entry WHERE committee = $1 "
                "ORDER BY seq DESC LIMIT 1",
                committee_id,
            )
            return [r[0] for r in rows]
    finally:
        await conn.close()


async def _appends(app_url: str, appends: int) -> dict[str, object]:
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        async with system_scope():
            rows = await Committee.select(Committee.id, Committee.code, Committee.path).where(
                Committee.code.is_in([LONG, SHORT])
            )
        by_code = {r["code"]: r for r in rows}
        timings: dict[str, list[float]] = {LONG: [], SHORT: []}
        for n in range(appends + 10):
            for code in (LONG, SHORT):
                row = by_code[code]
                t0 = time.perf_counter()
                async with tenant_scope(row["path"]):
                    await record(row["id"], "case.assigned", "case", n, {"n": n})
                if n >= 10:  # the first ten warm the pool and the statement cache
                    timings[code].append(time.perf_counter() - t0)
        long_ms = statistics.median(timings[LONG]) * 1000
        short_ms = statistics.median(timings[SHORT]) * 1000
        long_p99 = statistics.quantiles(timings[LONG], n=100)[98] * 1000
        return {
            "append_median_ms_long_chain": round(long_ms, 3),
            "append_median_ms_short_chain": round(short_ms, 3),
            "append_p99_ms_long_chain": round(long_p99, 3),
            "long_over_short": round(long_ms / short_ms, 3),
            "tail_plan_long_chain": await _tail_plan(
                app_url, by_code[LONG]["id"], by_code[LONG]["path"]
            ),
        }
    finally:
        await close_pool(engine)


async def run(long: int, short: int, appends: int) -> dict[str, object]:
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        await import_units(read_register(REGISTER, "01"), with_central=False)
        await close_pool(use_database(owner_url))
        filled = await _fill(owner_url, long, short)
        figures = await _appends(app_url, appends)
        return {
            "backend": "postgresql",
            "long_chain_entries": long,
            "short_chain_entries": short,
            "appends_per_chain": appends,
            "fill_seconds": round(filled, 2),
            **figures,
            "measured_on": date.today().isoformat(),
        }
    finally:
        await drop_postgres_database(SERVER, owner_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--long", type=int, default=1_000_000)
    parser.add_argument("--short", type=int, default=1_000)
    parser.add_argument("--appends", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole run")
    args = parser.parse_args()
    result = asyncio.run(asyncio.wait_for(run(args.long, args.short, args.appends), args.timeout))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if "plan" not in k}, indent=2))


if __name__ == "__main__":
    main()
