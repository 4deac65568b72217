"""Time Hà Nội's two 2025 reorganisations on PostgreSQL (row-level security in force), with
open work in every committee, through the operator's command.

Usage: python bench/reorganise_hanoi.py [--cadres 3 --signals 5 --cases 3]
Needs PostgreSQL at GIAMSAT_TEST_POSTGRES (default postgresql://postgres@127.0.0.1:5432/postgres);
makes and drops its own database. Writes bench/results/reorganise_hanoi.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.reports.sampledata import generate_activity
from giamsat.tenancy.register import REGISTERS, read_register
from giamsat.tenancy.service import import_units
from giamsat.tenancy.tables import Committee

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
GIAMSAT = str(Path(sys.executable).with_name("giamsat"))


async def _prepare(owner_url: str, url: str, args: argparse.Namespace) -> int:
    await migrate(owner_url, app_role_of(url, owner_url))
    engine = use_database(url)
    await start_pool(engine)
    try:
        await import_units(read_register(REGISTERS["2023"].path, "01"), with_central=False)
        async with system_scope():
            codes = [r["code"] for r in await Committee.select(Committee.code)]
        for seed, code in enumerate(codes):
            await generate_activity(code, cadres=args.cadres, signals=args.signals,
                                    cases=args.cases, seed=seed)  # fmt: skip
        return len(codes)
    finally:
        await close_pool(engine)


def _timed(url: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "GIAMSAT_DATABASE_URL": url}
    started = time.monotonic()
    done = subprocess.run([GIAMSAT, *args], env=env, capture_output=True, text=True, check=True)
    return time.monotonic() - started, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=3)
    parser.add_argument("--signals", type=int, default=5)
    parser.add_argument("--cases", type=int, default=3)
    args = parser.parse_args()
    owner_url, url = asyncio.run(create_postgres_database(SERVER, prefix="giamsat_bench"))
    try:
        committees = asyncio.run(_prepare(owner_url, url, args))
        results: dict[str, object] = {"committees_before": committees, "work_per_committee": {
            "cadres": args.cadres, "signals": args.signals, "cases": args.cases}}  # fmt: skip
        for register, effective in (("2025-01", "2025-01-01"), ("2025-07", "2025-07-01")):
            command = ["tenants", "reorganise", "--register", register, "--effective", effective,
                       "--province", "01"]  # fmt: skip
            dry, _ = _timed(url, *command, "--dry-run")
            applied, line = _timed(url, *command)
            again, again_line = _timed(url, *command)
            results[register] = {"command": "giamsat " + " ".join(command),
                                 "dry_run_s": round(dry, 2), "apply_s": round(applied, 2),
                                 "second_run_s": round(again, 2), "apply_says": line,
                                 "second_run_says": again_line}  # fmt: skip
            print(register, results[register])
    finally:
        asyncio.run(drop_postgres_database(SERVER, owner_url))
    out = ROOT / "bench" / "results" / "reorganise_hanoi.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
