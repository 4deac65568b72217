"""Confirming a year recomputes every open clock that counts in it: how long for N open cases.

Creates a throw-away PostgreSQL database with Hà Nội's tree and ``--cases`` open cases (default
10,000) spread over its communes, received in December 2026 so that every 20-working-day clock
ends in the provisional 2027. Then, as the application role under row-level security, it
confirms 2027 with one swapped day (Monday 4/1 off, Saturday 30/1 worked) and reports the time,
the clocks recomputed and the due dates moved.

Usage: python bench/calendar_confirm.py [--cases 10000]
Writes bench/results/calendar_confirm.json and drops its database, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import time
from pathlib import Path

from giamsat.calendar.confirmations import ConfirmedDay, YearConfirmation, confirm_year
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.tables import Case, CaseClock
from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units
from giamsat.tenancy.tables import Committee

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
RESULTS = ROOT / "bench" / "results" / "calendar_confirm.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BATCH = 1000


async def _cases(count: int) -> None:
    calendar = await working_calendar()
    async with system_scope():
        communes = await Committee.select(Committee.id, Committee.path).where(
            Committee.level == "commune"
        )
    for start in range(0, count, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, count)):
            commune = communes[n % len(communes)]
            received = dt.date(2026, 12, 1) + dt.timedelta(days=n % 31)
            due = calendar.add_working_days(received, 20).due
            rows.append(Case(committee=commune["id"], tenant_path=commune["path"],
                             origin_path=commune["path"], number=f"bench/{n}", title="bench",
                             received_on=received, due_on=due))  # fmt: skip
        async with system_scope():
            ids = await Case.insert(*rows).returning(Case.id, Case.tenant_path)
            await CaseClock.insert(
                *(CaseClock(case=r["id"], tenant_path=r["tenant_path"], clock_days=20) for r in ids)
            )


async def main(count: int) -> dict[str, object]:
    owner_url, app_url = await create_postgres_database(SERVER, "giamsat_bench_calendar")
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        engine = use_database(owner_url)
        await start_pool(engine)
        await import_units(read_register(REGISTER, "01"), with_central=False)
        await _cases(count)
        await close_pool(engine)
        engine = use_database(app_url)
        await start_pool(engine)
        data = YearConfirmation(
            year=2027,
            source="bench",
            days_off=[ConfirmedDay(date=dt.date(2027, 1, 4))],
            working_days=[ConfirmedDay(date=dt.date(2027, 1, 30))],
        )
        t0 = time.perf_counter()
        result = await confirm_year(data)
        seconds = time.perf_counter() - t0
        await close_pool(engine)
        return {
            "open_cases": count,
            "clocks_recomputed": result.clocks_recomputed,
            "due_dates_moved": result.due_dates_moved,
            "seconds": round(seconds, 2),
            "per_clock_ms": round(1000 * seconds / max(result.clocks_recomputed, 1), 3),
        }
    finally:
        await drop_postgres_database(SERVER, owner_url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    figures = asyncio.run(main(parser.parse_args().cases))
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures))
