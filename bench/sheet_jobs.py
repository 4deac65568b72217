"""A 10,000-row workplace sheet over HTTP: the answer's time, then the job's signals/s.

Creates a throw-away PostgreSQL database with Hà Nội's tree as it is today (the 2025-07
register), publishes ``rules/2026-ha-noi`` for the city from 1 January 2026, registers
``--rows`` cadres (default 10,000) in Phường Ba Đình (00004) by ``COPY``, enables the workplace
channel there, starts ``giamsat serve`` on loopback with its default workers (two on
PostgreSQL) as the application role, and logs a ward officer in through the API.

- ``upload``: ``POST /api/v1/intake/workplace/bulk/assessment-sheet`` with one row per cadre
  (every fifth one marked with a manifestation, so that a case opens for it): the time until
  the 202 answer (target < 2 s; the sheet is read, checked by the plugin column by column and
  committed set-based in one transaction) and its size (it carries the job and how many signals
  were kept, not each signal);
- ``job``: polling ``GET /api/v1/decision-jobs/{id}`` every 0.2 s until it is done: the time
  from the upload's start, and signals/s end to end (target ≥ 5,000);
- ``copy_floor``: in the same run, ``COPY`` of the same rows (the signals the sheet stored, read
  back through its submission) into an empty table shaped like ``signal``: the least that
  storing them costs.

The load average is recorded before and at the upload and after the job (the machine is shared),
and the CPU seconds the server's processes spent on the upload (``server_cpu_seconds``).

``--profile`` instead runs the import once in this process under cProfile (no server) and
prints the 25 costliest functions.

Usage: python bench/sheet_jobs.py [--rows 10000] [--profile]
Writes bench/results/sheet_jobs.json (not with --profile); stops the server and drops its
database, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import asyncpg
import httpx
from serving import free_port, serve, wait_ready

from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user
from giamsat.channels import build_registry
from giamsat.cli.serve import DEFAULT_WORKERS
from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.intake.channels_service import set_channel
from giamsat.intake.context import operator_context
from giamsat.intake.service import import_bulk
from giamsat.plans.service import publish
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2025-07.csv"
PACK = ROOT / "rules" / "2026-ha-noi"
RESULTS = ROOT / "bench" / "results" / "sheet_jobs.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-2026"
WARD = "00004"
BULK = "/api/v1/intake/workplace/bulk/assessment-sheet"
CODES = [f"DD{i}" for i in range(1, 10)] + ["DD-CV"]
HEADER = ["ma_can_bo", "ho_ten", "don_vi", "cong_doan", "nam", "ky", "ngay_danh_gia",
          *CODES, "bang_chung"]  # fmt: skip


def _code(i: int) -> str:
    return f"BS{i:06d}"


def _name(i: int) -> str:
    return f"Nguyễn Văn Đo {i}"


def sheet(rows: int, today: date) -> bytes:
    """One assessment per cadre; every fifth marks DD4 (a case opens), with its evidence."""
    lines = [",".join(HEADER)]
    for i in range(rows):
        marked = i % 5 == 0
        marks = ["x" if c == "DD4" and marked else "" for c in CODES]
        lines.append(",".join([_code(i), _name(i), "Sở Nội vụ", "Công đoàn Sở", str(today.year),
                               "Cả năm", f"{today:%d/%m/%Y}", *marks,
                               "Chạy danh hiệu thi đua" if marked else ""]))  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8")


async def _prepare(owner_url: str, app_url: str, rows: int) -> None:
    """The tree, the plan, the cadres, the channel and the officer."""
    await migrate(owner_url, app_role_of(app_url, owner_url))
    engine = use_database(owner_url)
    await start_pool(engine)
    try:
        await import_units(read_register(REGISTER, "01"), with_central=False)
        await publish(PACK, "01", date(2026, 1, 1))
    finally:
        await close_pool(engine)
    conn = await asyncpg.connect(owner_url)
    try:
        ward = await conn.fetchrow("SELECT id, path FROM committee WHERE code = $1", WARD)
        records = [
            (ward["id"], ward["path"], _code(i), _name(i), _name(i).lower(), "Chuyên viên",
             "cadre", "Sở Nội vụ", "commune", True, True)
            for i in range(rows)
        ]  # fmt: skip
        columns = [
            "committee",
            "tenant_path",
            "code",
            "full_name",
            "search_name",
            "position",
            "position_kind",
            "workplace",
            "managing_level",
            "party_member",
            "active",
        ]
        await conn.copy_records_to_table("cadre", records=records, columns=columns)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        ctx = await operator_context(WARD)
        await set_channel(ctx, build_registry(timeout=30.0), "workplace", enabled=True)
        await create_user(WARD, UserCreate(username="bench", role="democracy_law",
                                           password=PASSWORD, full_name="Cán bộ đo"))  # fmt: skip
    finally:
        await close_pool(engine)


async def _copy_floor(owner_url: str, submission_id: int) -> tuple[float, int]:
    """Seconds to COPY the sheet's signals (read back) into an empty table shaped like them,
    and how many they are."""
    conn = await asyncpg.connect(owner_url)
    try:
        kept = await conn.fetchval(
            "SELECT signal_ids FROM intake_submission WHERE id = $1", submission_id)  # fmt: skip
        signal_ids = [int(i) for i in (json.loads(kept) if isinstance(kept, str) else kept)]
        columns = [r["column_name"] for r in await conn.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'signal' "
            "AND column_name <> 'id' ORDER BY ordinal_position")]  # fmt: skip
        listed = ", ".join(columns)
        records = [tuple(r) for r in await conn.fetch(
            f"SELECT {listed} FROM signal WHERE id = ANY($1::int[])", signal_ids)]  # fmt: skip
        best = float("inf")
        for _ in range(3):
            await conn.execute("DROP TABLE IF EXISTS bench_signal_copy")
            await conn.execute("CREATE TABLE bench_signal_copy (LIKE signal INCLUDING ALL)")
            t0 = time.perf_counter()
            await conn.copy_records_to_table("bench_signal_copy", records=records,
                                             columns=columns)  # fmt: skip
            best = min(best, time.perf_counter() - t0)
        await conn.execute("DROP TABLE bench_signal_copy")
        return best, len(signal_ids)
    finally:
        await conn.close()


def _session_cpu(session: int) -> float:
    """CPU seconds (user + system) used so far by the processes of ``session`` (the server and
    its workers): what the upload costs the server, less at the mercy of a shared machine's load
    than the time it takes."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[3]) == session:  # field 6 of stat, counted after the command's ")"
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def _over_http(app_url: str, owner_url: str, rows: int) -> dict[str, object]:
    port = free_port()
    server = serve(app_url, port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as c:
            await wait_ready(c, 120)
            login = await c.post("/api/v1/auth/login", json={
                "committee": WARD, "username": "bench", "password": PASSWORD})  # fmt: skip
            assert login.status_code == 200, login.text
            c.headers["Authorization"] = f"Bearer {login.json()['token']}"
            data = sheet(rows, date.today())
            load_before = os.getloadavg()[0]
            cpu_before = _session_cpu(server.pid)
            t0 = time.perf_counter()
            sent = await c.post(BULK, files={"file": ("bang.csv", data, "text/csv")})
            answered = time.perf_counter() - t0
            upload_cpu = _session_cpu(server.pid) - cpu_before
            assert sent.status_code == 202, sent.text[:500]
            body = sent.json()
            load_at_upload = os.getloadavg()[0]
            while True:
                job = (await c.get(body["job_url"])).json()
                if job["state"] in ("done", "failed"):
                    break
                await asyncio.sleep(0.2)
            finished = time.perf_counter() - t0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its workers too
            server.wait(timeout=10)
    copy_s, signals = await _copy_floor(owner_url, body["submission_id"])
    return {
        "backend": "postgresql",
        "workers": DEFAULT_WORKERS,
        "rows": rows,
        "sheet_bytes": len(data),
        "upload": {"status": sent.status_code, "seconds": round(answered, 3),
                   "response_bytes": len(sent.content), "target_seconds": 2.0,
                   "server_cpu_seconds": round(upload_cpu, 2),
                   "job_state_in_answer": body["job"]["state"],
                   "signals_in_answer": body["signals"]},
        "job": {"state": job["state"], "signals": signals, "decided": job["decided"],
                "cases_opened": job["cases_opened"], "attached": job["attached"],
                "errors": job["errors"], "seconds_from_upload": round(finished, 3),
                "deciding_seconds": round(finished - answered, 3),
                "signals_per_second_end_to_end": round(signals / finished),
                "target_signals_per_second": 5000},
        "copy_floor": {"seconds": round(copy_s, 4),
                       "signals_per_second": round(signals / copy_s),
                       "upload_over_copy": round(answered / copy_s, 1),
                       "end_to_end_over_copy": round(finished / copy_s, 1)},
        "load_average_before_upload": load_before,
        "load_average_at_upload": load_at_upload,
        "load_average_after": os.getloadavg()[0],
        "measured_on": date.today().isoformat(),
    }  # fmt: skip


async def _profile(app_url: str, rows: int) -> None:
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        ctx = await operator_context(WARD)
        registry = build_registry(timeout=60.0)
        data = sheet(rows, date.today())
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        result = await import_bulk(ctx, registry, "workplace", "assessment-sheet", "bang.csv",
                                   data, job_rows=0)  # fmt: skip
        profiler.disable()
        print(f"import_bulk: {time.perf_counter() - t0:.2f} s, accepted={result.accepted}, "
              f"{result.signals} signals, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
    finally:
        await close_pool(engine)


async def run(rows: int, profile: bool) -> dict[str, object] | None:
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    try:
        await _prepare(owner_url, app_url, rows)
        if profile:
            await _profile(app_url, rows)
            return None
        return await _over_http(app_url, owner_url, rows)
    finally:
        await drop_postgres_database(SERVER, owner_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for the whole run")
    args = parser.parse_args()
    result = asyncio.run(asyncio.wait_for(run(args.rows, args.profile), args.timeout))
    if result is None:
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
