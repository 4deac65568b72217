"""The staff case list under a steady load, with the health endpoint's ceiling beside it.

Creates a throw-away PostgreSQL database with Hà Nội's tree as it is today (the 2025-07
register: the city and 126 communes) and ``--cases`` cases (default 2,000) across them, starts
``giamsat serve`` on loopback with its default workers (two on PostgreSQL) as the application
role, and logs an officer of the city committee in.

- ``case_list``: ``GET /c/01/cases/`` at ``--rate`` requests/s (default 100) for ``--seconds``
  (default 15), open loop (a request starts on schedule whether or not earlier ones finished);
  latency percentiles, errors and timeouts (5 s);
- ``health_ceiling`` (measured first): ``GET /health/live`` closed loop with 32 clients for 8 s:
  the requests/s the server answers when a request costs almost nothing (the floor for pages).

The load runs from this process on the same machine: on 2 shared cores it competes with the
server, so the figures are an upper bound on what a pod adds.

Usage: python bench/pages_under_load.py [--rate 100] [--seconds 15] [--cases 2000]
Writes bench/results/pages_under_load.json; stops the server and drops its database, also on
failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx

from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user
from giamsat.cli.serve import DEFAULT_WORKERS
from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2025-07.csv"
RESULTS = ROOT / "bench" / "results" / "pages_under_load.json"
SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-2026"


async def _load(owner_url: str, app_url: str, n_cases: int) -> None:
    conn = await asyncpg.connect(owner_url)
    try:
        rows = await conn.fetch("SELECT id, path FROM committee WHERE path LIKE '/01/%'")
        rng, start = random.Random(1), date(2026, 9, 1)
        await conn.copy_records_to_table(
            "supervision_case",
            records=[
                (
                    r["id"],
                    r["path"],
                    r["path"],
                    f"2026/{i}",
                    "received" if i % 4 else "verifying",
                    start + timedelta(days=i % 60),
                    start + timedelta(days=i % 60 + 28),
                    f"Cán bộ {i}",
                    f"Phản ánh về lối sống số {i}",
                    "normal",
                    False,
                    "district",
                    "",
                    "[]",
                    False,
                )
                for i, r in enumerate(rng.choice(rows) for _ in range(n_cases))
            ],
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
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    engine = use_database(app_url)
    await start_pool(engine)
    try:
        await create_user("01", UserCreate(username="bench", role="democracy_law",
                                            password=PASSWORD, full_name="Cán bộ đo"))  # fmt: skip
    finally:
        await close_pool(engine)


def _free_port() -> int:
    with socket.socket() as probe:  # the machine is shared: never assume a port is free
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(app_url: str, port: int) -> subprocess.Popen[bytes]:
    secret = os.environ.get("GIAMSAT_SECRET_KEY", "bench-shared-secret")  # serve needs one
    env = {**os.environ, "GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_LOG_LEVEL": "WARNING",
           "GIAMSAT_SECRET_KEY": secret}  # fmt: skip
    env.pop("GIAMSAT_WEB_WORKERS", None)
    command = [str(Path(sys.executable).with_name("giamsat")), "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


async def _wait_ready(client: httpx.AsyncClient) -> None:
    for _ in range(120):
        try:
            if (await client.get("/health/live")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("the server did not start")


async def _open_loop(client: httpx.AsyncClient, path: str, rate: float, seconds: float) -> dict:
    latencies: list[float] = []
    errors = timeouts = 0

    async def one() -> None:
        nonlocal errors, timeouts
        t0 = time.perf_counter()
        try:
            resp = await client.get(path, timeout=5.0)
            if resp.status_code != 200:
                errors += 1
            latencies.append(time.perf_counter() - t0)
        except httpx.TimeoutException:
            timeouts += 1
        except httpx.TransportError:
            errors += 1

    tasks, begin, n = [], time.perf_counter(), int(rate * seconds)
    for i in range(n):
        delay = begin + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": n, "rate_per_second": rate, "errors": errors, "timeouts": timeouts,
        "p50_ms": round(cuts[49] * 1000, 1), "p90_ms": round(cuts[89] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(max(latencies, default=0) * 1000, 1),
    }  # fmt: skip


async def _ceiling(client: httpx.AsyncClient, path: str, clients: int, seconds: float) -> dict:
    done, stop = 0, time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            try:
                if (await client.get(path, timeout=5.0)).status_code == 200:
                    done += 1
            except httpx.TransportError:
                pass  # a refused or slow request is simply not counted

    await asyncio.gather(*(worker() for _ in range(clients)))
    return {"clients": clients, "seconds": seconds, "requests_per_second": round(done / seconds)}


async def run(rate: float, seconds: float, n_cases: int) -> dict[str, object]:
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    server = None
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        await import_units(read_register(REGISTER, "01"), with_central=False)
        await close_pool(use_database(owner_url))
        await _load(owner_url, app_url, n_cases)
        port = _free_port()
        server = _serve(app_url, port)
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as c:
            await _wait_ready(c)
            login = await c.post("/api/v1/auth/login", json={
                "committee": "01", "username": "bench", "password": PASSWORD})  # fmt: skip
            assert login.status_code == 200, login.text
            c.cookies.set("giamsat_session", login.json()["token"])
            page = await c.get("/c/01/cases/")
            page.raise_for_status()
            # the ceiling first: requests left over from an overload would be measured with it
            health = await _ceiling(c, "/health/live", 32, 8)
            await _open_loop(c, "/c/01/cases/", rate / 4, 3)  # warm both workers
            listed = await _open_loop(c, "/c/01/cases/", rate, seconds)
        return {
            "backend": "postgresql",
            "workers": DEFAULT_WORKERS,
            "cases_listed_from": n_cases,
            "page_bytes": len(page.content),
            "case_list": listed,
            "health_ceiling": health,
            "load_average_after": os.getloadavg()[0],
            "measured_on": date.today().isoformat(),
        }
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)  # its workers too
                server.wait(timeout=10)
        await drop_postgres_database(SERVER, owner_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole run")
    args = parser.parse_args()
    result = asyncio.run(asyncio.wait_for(run(args.rate, args.seconds, args.cases), args.timeout))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
