"""The national roll-up on PostgreSQL against a single-query lower bound, in one run.

Creates a throw-away database, imports the whole country's committee tree (≈11,400 committees,
no --province), loads N signals (default 1,000,000) with COPY as the owner, each with the
``signal_indicator`` rows ``write_signals`` would give it, plus cases and findings, then times:

- ``rollup``: every committee's report at once (``all_drafts('/')``: the figure sources' queries
  over the materialised tree, the four big ones as one statement PostgreSQL may run side by side
  in parallel workers, + one for the snapshots, combined in memory), run as the non-owner
  application role so row-level security is in force, like production;
- ``subtree_totals``: own work summed up the tree (what the city would see if all submitted);
- ``lower_bound``: one ``GROUP BY tenant_path, channel`` over the same signals, the least any
  roll-up must read (best of two runs, as the roll-up's); since the covering index
  ``signal (tenant_path, channel, received_on)`` it is an index-only scan, and the same query
  kept off the indexes (``heap_lower_bound``, the floor of earlier runs) is measured beside it.

The load averages before and after the measured part are recorded with the figures.

Tables are vacuumed and analysed after loading, as autovacuum keeps them in production.

Usage: python bench/national_rollup.py [--signals 1000000] [--timeout 1200]
Writes bench/results/national_rollup.json and drops its database, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg

from giamsat.db.engine import PLANNER_SETTINGS, close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.reports.figures import Window, own_figures
from giamsat.reports.plan import load_plan
from giamsat.reports.rollup import all_drafts, subtree, subtree_totals
from giamsat.signals.writer import NewSignal, copy_signals
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
RESULTS = ROOT / "bench" / "results" / "national_rollup.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
CHANNELS = ("workplace", "residence", "citizen")
INDICATORS = [f"DD{i}" for i in range(1, 10)] + [f"NCT{i}" for i in range(1, 8)]


async def _load(owner_url: str, n_signals: int, seed: int) -> dict[str, float | int]:
    """Signals (most at communes, some at districts and provinces) with their indicator rows,
    cases and findings, all with COPY as the owner."""
    rng = random.Random(seed)
    conn = await asyncpg.connect(owner_url)
    try:
        rows = await conn.fetch("SELECT id, path, level FROM committee")
        weighted = [
            (r["id"], r["path"])
            for r in rows
            for _ in range({"commune": 6, "district": 3}.get(r["level"], 1))
        ]
        start, t0 = date(2022, 1, 1), time.perf_counter()

        def signal() -> NewSignal:
            cid, path = rng.choice(weighted)
            channel = rng.choice(CHANNELS)
            kind = "assessment" if channel == "residence" and rng.random() < 0.3 else "report"
            return NewSignal(
                committee=cid,
                tenant_path=path,
                channel=channel,
                kind=kind,
                indicator_codes=rng.sample(INDICATORS, 1),
                facts={"result": "hoan_thanh"} if kind == "assessment" else {},
                received_on=start + timedelta(days=rng.randrange(320)),
                anonymous=True,
            )

        await copy_signals(conn, [signal() for _ in range(n_signals)])
        signals_written = round(time.perf_counter() - t0, 2)
        n_cases = n_signals // 20
        await conn.copy_records_to_table(
            "supervision_case",
            records=(
                (
                    cid,
                    path,
                    path,
                    f"B-{i}",
                    "received" if i % 3 else "answered",
                    start + timedelta(days=i % 300),
                    start + timedelta(days=i % 300 + 28),
                    "",
                    "",
                    "normal",
                    False,
                    "",
                    "",
                    "[]",
                    False,
                )
                for i, (cid, path) in enumerate(rng.choice(weighted) for _ in range(n_cases))
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
        await conn.execute(
            'INSERT INTO case_finding ("case", tenant_path, indicator, rule_id) '
            "SELECT id, tenant_path, 'DD' || (1 + id % 9), '' FROM supervision_case"
        )
        # as autovacuum leaves tables in steady state: statistics and the visibility map (which
        # index-only scans read) are up to date
        await conn.execute("VACUUM ANALYZE")
        indicator_rows = await conn.fetchval("SELECT COUNT(*) FROM signal_indicator")
        return {
            "load_seconds": round(time.perf_counter() - t0, 2),
            "copy_signals_seconds": signals_written,
            "signal_indicator_rows": int(indicator_rows),
            "cases": n_cases,
        }
    finally:
        await conn.close()


async def _lower_bound(
    app_url: str, starts: date, ends: date, heap: bool = False
) -> tuple[float, int]:
    """The floor's query as the application role; ``heap``: kept off the indexes (the plan the
    floor had before the signal table's covering index), for comparison with earlier runs."""
    conn = await asyncpg.connect(app_url, server_settings=PLANNER_SETTINGS)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_path', '/', true)")
            if heap:
                for setting in ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"):
                    await conn.execute(f"SET LOCAL {setting} = off")
            t0 = time.perf_counter()
            rows = await conn.fetch(
                "SELECT tenant_path, channel, COUNT(*) FROM signal "
                "WHERE received_on BETWEEN $1 AND $2 GROUP BY tenant_path, channel",
                starts,
                ends,
            )
            return time.perf_counter() - t0, len(rows)
    finally:
        await conn.close()


async def _rollup(app_url: str) -> dict[str, float | int]:
    plan = load_plan()
    period = plan.period("2022")
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        timings: dict[str, float | int] = {}
        for attempt in range(2):  # the second run is warm, as a daily job's would be
            t0 = time.perf_counter()
            async with system_scope():
                drafts = await all_drafts("/", plan, period, date(2022, 11, 30))
            timings[f"rollup_seconds_run{attempt + 1}"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        async with system_scope():
            nodes = await subtree("/")
            own = await own_figures(
                Window(
                    within="/",
                    starts_on=period.starts_on,
                    ends_on=period.ends_on,
                    as_of=date(2022, 11, 30),
                ),
                plan.families,
            )
        totals = subtree_totals(nodes, own)
        timings["subtree_totals_seconds"] = round(time.perf_counter() - t0, 3)
        root = next(n for n in nodes if n.parent_id is None)
        timings["committees"] = len(drafts)
        timings["national_signals_counted"] = sum(
            v for k, v in totals[root.id].items() if k.startswith("signals.channel.")
        )
        return timings
    finally:
        await close_pool(engine)


async def run(n_signals: int, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        t0 = time.perf_counter()
        await import_units(read_register(REGISTER, None), with_central=True)
        imported = time.perf_counter() - t0
        await close_pool(use_database(owner_url))
        loaded = await _load(owner_url, n_signals, seed)
        load_before = os.getloadavg()
        # best of two, like the roll-up's two runs
        period = (date(2022, 1, 1), date(2022, 11, 20))
        bound, groups = min([await _lower_bound(app_url, *period) for _ in "ab"])
        heap_bound, _ = min([await _lower_bound(app_url, *period, heap=True) for _ in "ab"])
        rolled = await _rollup(app_url)
        load_after = os.getloadavg()
        best = min(float(rolled["rollup_seconds_run1"]), float(rolled["rollup_seconds_run2"]))
        return {
            "backend": "postgresql",
            "signals": n_signals,
            **loaded,
            "import_tree_seconds": round(imported, 2),
            **rolled,
            "lower_bound_seconds": round(bound, 3),
            "lower_bound_groups": groups,
            "rollup_over_lower_bound": round(best / bound, 2) if bound else None,
            "heap_lower_bound_seconds": round(heap_bound, 3),
            "rollup_over_heap_lower_bound": round(best / heap_bound, 2) if heap_bound else None,
            "loadavg_before_measuring": [round(x, 2) for x in load_before],
            "loadavg_after_measuring": [round(x, 2) for x in load_after],
            "cpu_count": os.cpu_count(),
            "total_seconds": round(time.perf_counter() - started, 1),
            "measured_on": date.today().isoformat(),
        }
    finally:
        await drop_postgres_database(SERVER, owner_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds for the whole run")
    args = parser.parse_args()
    result = asyncio.run(asyncio.wait_for(run(args.signals, args.seed), args.timeout))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
