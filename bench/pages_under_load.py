"""The staff case list under a steady load, with the health endpoint's ceiling beside it.

Creates a throw-away PostgreSQL database with Hà Nội's tree as it is today (the 2025-07
register: the city and 126 communes) and ``--cases`` cases (default 2,000) across them, starts
``giamsat serve`` on loopback with its default workers (two on PostgreSQL) as the application
role, and logs an officer of the city committee in.

- ``case_list``: ``GET /c/01/cases/`` at ``--rate`` requests/s (default 100) for ``--seconds``
  (default 15), open loop (a request starts on schedule whether or not earlier ones finished);
  latency percentiles, errors and timeouts (5 s);
- ``health_ceiling`` (measured first): ``GET /health/live`` closed loop with 32 clients for 8 s:
  the requests/s the server answers when a request costs almost nothing (the floor for pages);
  ``health_ceiling_httpx`` is the same loop driven by ``httpx.AsyncClient`` (the client this
  bench used before: it spends most of a core parsing, so its ceiling is its own, not the
  server's) and ``health_ceiling_wrk`` the same by Debian's ``wrk`` when it is installed;
- ``in_process``: the same page rendered by the app in this process (ASGI called directly, no
  socket): what one page costs the server, without the network and the other worker.

The load comes from a small HTTP/1.1 keep-alive client on raw asyncio streams (``RawClient``):
a request is one write and a read of the status line, the headers and a Content-Length or
chunked body, over a pool of connections (a new one opened when none is idle, so that a request
starts on schedule). It runs on the same machine: on 2 shared cores it competes with the
server, so the figures are an upper bound on what a pod adds.

Usage: python bench/pages_under_load.py [--rate 100] [--seconds 15] [--cases 2000] [--profile]
(``--profile`` prints where the in-process page spends its time, by cProfile.)
Writes bench/results/pages_under_load.json; stops the server and drops its database, also on
failure.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from serving import free_port, serve, wait_ready

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


class RawClient:
    """GET requests over HTTP/1.1 keep-alive connections on raw asyncio streams.

    A request takes an idle connection (or opens one), writes the request and reads the answer:
    the status line, the headers, then a ``Content-Length`` body or a chunked one. A connection
    goes back to the pool after a complete answer; a failed, timed-out or ``Connection: close``
    one is dropped. Nothing else is parsed, so a request costs the client tens of
    microseconds, not the milliseconds of a full-featured client.
    """

    name = "raw asyncio HTTP/1.1 keep-alive (bench/pages_under_load.py RawClient)"

    def __init__(self, host: str, port: int, cookie: str = "") -> None:
        self.host, self.port = host, port
        self._head = f"Host: {host}:{port}\r\nAccept: text/html\r\n"
        if cookie:
            self._head += f"Cookie: {cookie}\r\n"
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.opened = 0

    async def get(self, path: str) -> tuple[int, int]:
        """The status and the body's length of ``GET path``."""
        if self._idle:
            reader, writer = self._idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        try:
            writer.write(f"GET {path} HTTP/1.1\r\n{self._head}\r\n".encode("latin-1"))
            status, size, keep = await _answer(reader)
        except BaseException:
            writer.close()
            raise
        if keep:
            self._idle.append((reader, writer))
        else:
            writer.close()
        return status, size

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()


async def _answer(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Status, body length and whether the connection stays open, of one HTTP/1.1 answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked, keep = -1, False, True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep = value.strip().lower() != b"close"
    if chunked:
        length = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":
                    pass  # trailers
                break
            await reader.readexactly(size + 2)
            length += size
    elif length >= 0:
        await reader.readexactly(length)
    else:  # neither: the body runs to the end of the connection
        length, keep = len(await reader.read()), False
    return status, length, keep


def _percentiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "p50_ms": round(cuts[49] * 1000, 1), "p90_ms": round(cuts[89] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(max(latencies, default=0) * 1000, 1),
    }  # fmt: skip


async def _open_loop(client: RawClient, path: str, rate: float, seconds: float) -> dict:
    latencies: list[float] = []
    errors = timeouts = 0
    kinds: dict[str, int] = {}  # what the errors were: an HTTP status or an exception's name

    async def one() -> None:
        nonlocal errors, timeouts
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(5.0):
                status, _ = await client.get(path)
            if status != 200:
                errors += 1
                kinds[str(status)] = kinds.get(str(status), 0) + 1
            latencies.append(time.perf_counter() - t0)
        except TimeoutError:
            timeouts += 1
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors += 1
            kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1

    tasks, begin, n = [], time.perf_counter(), int(rate * seconds)
    for i in range(n):
        delay = begin + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return {"requests": n, "rate_per_second": rate, "errors": errors, "timeouts": timeouts,
            **_percentiles(latencies), "errors_by_kind": kinds,
            "connections_opened": client.opened}  # fmt: skip


async def _ceiling(client: RawClient, path: str, clients: int, seconds: float) -> dict:
    done, stop = 0, time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            try:
                async with asyncio.timeout(5.0):
                    if (await client.get(path))[0] == 200:
                        done += 1
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                pass  # a refused or slow request is simply not counted

    await asyncio.gather(*(worker() for _ in range(clients)))
    return {"clients": clients, "seconds": seconds, "requests_per_second": round(done / seconds),
            "client": client.name}  # fmt: skip


async def _ceiling_httpx(base: str, path: str, clients: int, seconds: float) -> dict:
    """The same closed loop through ``httpx.AsyncClient`` (what this bench used before)."""
    done, stop = 0, time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    async with httpx.AsyncClient(base_url=base, limits=limits) as client:

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                try:
                    if (await client.get(path, timeout=5.0)).status_code == 200:
                        done += 1
                except httpx.TransportError:
                    pass

        await asyncio.gather(*(worker() for _ in range(clients)))
    return {"clients": clients, "seconds": seconds, "requests_per_second": round(done / seconds),
            "client": f"httpx.AsyncClient {httpx.__version__}"}  # fmt: skip


def _ceiling_wrk(url: str, clients: int, seconds: float) -> dict | None:
    """The same closed loop by ``wrk`` (one thread: the server has the other core), if here."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    command = [wrk, "-t1", f"-c{clients}", f"-d{int(seconds)}s", url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("[", 1)[0]
    return {"clients": clients, "seconds": seconds, "client": version.strip() or "wrk",
            "requests_per_second": round(float(rate.group(1))) if rate else 0}  # fmt: skip


async def _in_process(app_url: str, token: str, path: str, repeat: int, profile: bool) -> dict:
    """The page rendered by the app in this process: ASGI called directly, no socket.

    ``cpu_ms_per_page`` is this process's CPU time per page (the server's Python work, without
    PostgreSQL's and without waiting for a core on a loaded machine); the others are wall time.
    """
    from giamsat.settings import load_settings
    from giamsat.web.app import create_app

    settings = load_settings({"GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_LOG_LEVEL": "WARNING",
                              "GIAMSAT_SECRET_KEY": "bench-in-process"})  # fmt: skip
    engine = use_database(app_url)
    await start_pool(engine)
    app = create_app(settings, manage_database=False)
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 50000),
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"text/html"),
                    (b"cookie", f"giamsat_session={token}".encode())],
    }  # fmt: skip

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def one() -> int:
        answer: dict[str, Any] = {"size": 0}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            else:
                answer["size"] += len(message.get("body", b""))

        await app({**scope, "state": {}}, receive, send)  # type: ignore[arg-type]
        assert answer["status"] == 200, answer
        return int(answer["size"])

    try:
        for _ in range(20):  # warm: templates compiled, statements prepared
            await one()
        timings, cpu = [], time.process_time()
        for _ in range(repeat):
            t0 = time.perf_counter()
            await one()
            timings.append(time.perf_counter() - t0)
        cpu = time.process_time() - cpu
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                await one()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    finally:
        await close_pool(engine)
    return {"repeat": repeat, "p50_ms": round(statistics.median(timings) * 1000, 2),
            "mean_ms": round(statistics.fmean(timings) * 1000, 2),
            "min_ms": round(min(timings) * 1000, 2),
            "cpu_ms_per_page": round(cpu / repeat * 1000, 2)}  # fmt: skip


async def run(rate: float, seconds: float, n_cases: int, profile: bool = False) -> dict[str, Any]:
    owner_url, app_url = await create_postgres_database(SERVER, prefix="giamsat_bench")
    server = None
    try:
        await migrate(owner_url, app_role_of(app_url, owner_url))
        await import_units(read_register(REGISTER, "01"), with_central=False)
        await close_pool(use_database(owner_url))
        await _load(owner_url, app_url, n_cases)
        port = free_port()
        server = serve(app_url, port)
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as c:
            await wait_ready(c, 60)
            login = await c.post("/api/v1/auth/login", json={
                "committee": "01", "username": "bench", "password": PASSWORD})  # fmt: skip
            assert login.status_code == 200, login.text
            token = login.json()["token"]
            c.cookies.set("giamsat_session", token)
            page = await c.get("/c/01/cases/")
            page.raise_for_status()
        # in-process first, while the server idles (it shares the machine's two cores)
        in_process = await _in_process(app_url, token, "/c/01/cases/", 200, profile)
        client = RawClient("127.0.0.1", port, cookie=f"giamsat_session={token}")
        try:
            # the ceilings first: requests left over from an overload would be measured with them;
            # without the session cookie, as a probe asks (and as wrk does)
            probe = RawClient("127.0.0.1", port)
            health = await _ceiling(probe, "/health/live", 32, 8)
            probe.close()
            health_httpx = await _ceiling_httpx(base, "/health/live", 32, 8)
            health_wrk = _ceiling_wrk(base + "/health/live", 32, 8)
            load_before = os.getloadavg()[0]
            warm = RawClient("127.0.0.1", port, cookie=f"giamsat_session={token}")
            await _open_loop(warm, "/c/01/cases/", rate / 4, 3)  # warm both workers
            warm.close()
            listed = await _open_loop(client, "/c/01/cases/", rate, seconds)
        finally:
            client.close()
        return {
            "backend": "postgresql",
            "workers": DEFAULT_WORKERS,
            "client": RawClient.name,
            "cases_listed_from": n_cases,
            "page_bytes": len(page.content),
            "case_list": listed,
            "in_process": in_process,
            "health_ceiling": health,
            "health_ceiling_httpx": health_httpx,
            "health_ceiling_wrk": health_wrk,
            "load_average_before": load_before,
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
    parser.add_argument("--profile", action="store_true", help="print the in-process profile")
    args = parser.parse_args()
    job = run(args.rate, args.seconds, args.cases, args.profile)
    result = asyncio.run(asyncio.wait_for(job, args.timeout))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
