"""Deciding committed signals as a set: ``decide_signals`` over batches of 1,000.

Creates a throw-away PostgreSQL database (migrated as the owner; everything measured runs as the
application role, so row-level security is in force), imports Hà Nội's 2023 committee tree,
publishes ``rules/2023-ha-noi`` for the city, adds two staff members at one commune (the
notifications of opened cases go to them) and ``--cadres`` cadres the commune manages, then:

1. **floor**: a plain COPY of the signal rows into a scratch table shaped like ``signal``
   (as the owner: the cheapest way the rows can reach the database);
2. **commit**: the same rows stored through ``write_signals`` (as intake stores them), in one
   transaction;
3. **decide**: ``decide_signals`` over the committed ids in batches of ``--batch``, timed in
   all; then what was decided is counted (cases opened, signals attached, audit entries,
   notifications) and the audit chains are verified.

The rows: ``--signals`` signals about the cadres (five per cadre by default) received at the
commune on days of 2023: most are workplace reports (the second within 90 days opens a case, the
later ones attach), some are citizens' reports naming DD3 (a case at once), some surveys (no
case). The figure is decided signals per second and its ratio to the floor's rows per second;
the load average is recorded beside it (the machine is shared).

Usage: python bench/decide_set.py [--signals 10000] [--cadres 2000] [--batch 1000]
       [--profile var/decide_set.html] [--timeout 900]
Writes bench/results/decide_set.json and drops its database, also on failure.
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
from typing import Any

import asyncpg
import msgspec

from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user
from giamsat.audit.service import verify_chains
from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.decisions.service import decide_signals
from giamsat.plans.service import publish
from giamsat.signals.writer import COLUMNS, JSON_COLUMNS, NewSignal, write_signals
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
PACK = ROOT / "rules" / "2023-ha-noi"
RESULTS = ROOT / "bench" / "results" / "decide_set.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-2026"


def _signals(commune: dict[str, Any], cadre_ids: list[int], n: int, seed: int) -> list[NewSignal]:
    rng = random.Random(seed)
    start = date(2023, 2, 1)
    out = []
    for i in range(n):
        cadre = cadre_ids[i % len(cadre_ids)]
        day = start + timedelta(days=(i // len(cadre_ids)) * 12 + rng.randrange(10))
        pick = rng.random()
        if pick < 0.75:
            channel, kind, codes = "workplace", "report", rng.choice([[], ["DD5"], ["DD1"]])
        elif pick < 0.9:
            channel, kind, codes = "citizen", "report", ["DD3"]
        else:
            channel, kind, codes = "survey", "survey", ["NCT3"]
        out.append(NewSignal(committee=commune["id"], tenant_path=commune["path"],
                             channel=channel, kind=kind, received_on=day, cadre=cadre,
                             indicator_codes=codes, anonymous=channel == "survey",
                             body=f"Phản ánh số {i}"))  # fmt: skip
    return out


async def _setup(owner_url: str, app_url: str, n_cadres: int) -> tuple[dict[str, Any], list[int]]:
    """The tree, the pack, staff and cadres; returns the commune and the cadre ids."""
    await import_units(read_register(REGISTER, "01"), with_central=False)
    await publish(PACK, "01", date(2023, 1, 1))
    await close_pool(use_database(owner_url))
    conn = await asyncpg.connect(owner_url)
    try:
        row = await conn.fetchrow(
            "SELECT id, code, path FROM committee WHERE level = 'commune' ORDER BY path LIMIT 1"
        )
        assert row is not None
        commune = dict(row)
        await conn.copy_records_to_table(
            "cadre",
            records=[
                (
                    commune["id"],
                    commune["path"],
                    f"CB{i:05d}",
                    f"Nguyễn Văn {i}",
                    f"nguyen van {i}",
                    "cadre",
                    "commune",
                    commune["id"],
                    True,
                    True,
                )
                for i in range(n_cadres)
            ],
            columns=[
                "committee",
                "tenant_path",
                "code",
                "full_name",
                "search_name",
                "position_kind",
                "managing_level",
                "managing_committee",
                "party_member",
                "active",
            ],
        )
        cadre_ids = [int(r["id"]) for r in await conn.fetch("SELECT id FROM cadre ORDER BY id")]
    finally:
        await conn.close()
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        for username, role in (("phapluat", "democracy_law"), ("thuongtruc", "standing_board")):
            await create_user(commune["code"], UserCreate(
                username=username, role=role, password=PASSWORD, full_name="Cán bộ đo",
                email=f"{username}@example.org"))  # fmt: skip
    finally:
        await close_pool(engine)
    return commune, cadre_ids


def _record(s: NewSignal) -> tuple[Any, ...]:
    return tuple(
        msgspec.json.encode(getattr(s, c)).decode() if c in JSON_COLUMNS else getattr(s, c)
        for c in COLUMNS
    )


async def _floor(owner_url: str, picks: list[NewSignal]) -> float:
    """Seconds a plain COPY of the same rows takes (into a table shaped like ``signal``)."""
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("CREATE TABLE signal_floor (LIKE signal INCLUDING DEFAULTS)")
        records = [_record(s) for s in picks]
        t0 = time.perf_counter()
        await conn.copy_records_to_table("signal_floor", records=records, columns=list(COLUMNS))
        seconds = time.perf_counter() - t0
        await conn.execute("DROP TABLE signal_floor")
        return seconds
    finally:
        await conn.close()


async def _counts(owner_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(owner_url)
    try:
        queries = {
            "cases": "SELECT count(*) FROM supervision_case",
            "attached": "SELECT count(*) FROM signal WHERE status = 'attached'",
            "evaluated": "SELECT count(*) FROM signal WHERE status = 'evaluated'",
            "received": "SELECT count(*) FROM signal WHERE status = 'received'",
            "findings": "SELECT count(*) FROM case_finding",
            "case_events": "SELECT count(*) FROM case_event",
            "audit_entries": "SELECT count(*) FROM audit_entry WHERE action = 'case.opened'",
            "notifications": "SELECT count(*) FROM notification",
            "mails": "SELECT count(*) FROM mail_outbox",
        }
        return {k: int(await conn.fetchval(q)) for k, q in queries.items()}
    finally:
        await conn.close()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def _decide(app_url: str, picks: list[NewSignal], batch: int,
                  profile: Path | None) -> dict[str, Any]:  # fmt: skip
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        t0 = time.perf_counter()
        async with system_scope():
            ids = await write_signals(picks)
        commit = time.perf_counter() - t0
        profiler = None
        if profile is not None:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled")
            profiler.start()
        per_batch = []
        t0 = time.perf_counter()
        for start in range(0, len(ids), batch):
            b0 = time.perf_counter()
            await decide_signals(ids[start : start + batch])
            per_batch.append(round(time.perf_counter() - b0, 3))
        decide = time.perf_counter() - t0
        if profiler is not None and profile is not None:
            profiler.stop()
            html = profile.suffix == ".html"
            _write(profile, profiler.output_html() if html else profiler.output_text())
        report = await verify_chains()
        rest = sum(per_batch[1:])
        steady = round(batch * (len(per_batch) - 1) / rest) if rest else None
        return {"commit_seconds": round(commit, 3), "decide_seconds": round(decide, 3),
                "steady_signals_per_s": steady,
                "batch_seconds": per_batch, "audit_chain_breaks": len(report.breaks)}  # fmt: skip
    finally:
        await close_pool(engine)


async def run(n_signals: int, n_cadres: int, batch: int, seed: int,
              profile: Path | None) -> dict[str, Any]:  # fmt: skip
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        commune, cadre_ids = await _setup(owner_url, app_url, n_cadres)
        picks = _signals(commune, cadre_ids, n_signals, seed)
        floor = await _floor(owner_url, picks)
        load_before = os.getloadavg()
        timings = await _decide(app_url, picks, batch, profile)
        load_after = os.getloadavg()
        decided_per_s = n_signals / timings["decide_seconds"]
        floor_per_s = n_signals / floor
        return {
            "backend": "postgresql (application role, row-level security in force)",
            "signals": n_signals,
            "cadres": n_cadres,
            "batch": batch,
            "floor_copy_seconds": round(floor, 3),
            "floor_rows_per_s": round(floor_per_s),
            **timings,
            "decided_signals_per_s": round(decided_per_s),
            "ratio_to_floor": round(decided_per_s / floor_per_s, 4),
            "target_signals_per_s": 5000,
            "decided": await _counts(owner_url),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "cpu_count": os.cpu_count(),
            "measured_on": date.today().isoformat(),
        }
    finally:
        await drop_postgres_database(SERVER, owner_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--signals", type=int, default=10_000)
    parser.add_argument("--cadres", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", type=Path, default=None, help="pyinstrument HTML output")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for the whole run")
    args = parser.parse_args()
    work = run(args.signals, args.cadres, args.batch, args.seed, args.profile)
    result = asyncio.run(asyncio.wait_for(work, args.timeout))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    keys = ("decided_signals_per_s", "steady_signals_per_s", "ratio_to_floor", "decide_seconds",
            "floor_copy_seconds", "decided", "load_average_after")  # fmt: skip
    print(json.dumps({k: result[k] for k in keys}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
