"""Soak: mixed traffic on loopback against two `giamsat serve` replicas sharing one PostgreSQL.

Usage: python bench/soak.py [--seconds 600] [--clients 8] [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

Not part of CI (ten minutes of load). It makes a throw-away database (migrated, the Hà Nội tree,
two office accounts), starts two replicas on free loopback ports, and runs ``--clients``
concurrent loops until ``--seconds`` have passed, each loop alternating between the replicas:
the login page, an API login, ``/api/v1/me``, a committee, the tree, the portal's committee
search and report form, a receipt look-up, ``/metrics``, a route that does not exist (404) and
a form posted without its CSRF token (403). Every loop and request is bounded (count and time);
it stops by itself, ends both replicas and drops the database.

It reports the requests, the server errors (5xx and transport failures: expect 0), the
unexpected statuses, p50/p99 latency, and each replica's resident memory at start and end, and
writes bench/results/soak.json (the replicas' logs go to var/soak-replica-*.log).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from giamsat.db.testing import create_postgres_database, drop_postgres_database

ROOT = Path(__file__).resolve().parents[1]
GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
PASSWORD = "soak-test-password-long"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mib(pid: int) -> float:
    """Resident memory of a replica and its children (uvicorn may fork)."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except FileNotFoundError:
            continue
    return round(total, 1)


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([GIAMSAT, *args], env=env, input=stdin, text=True, check=True,
                   capture_output=True, timeout=300)  # fmt: skip


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.server_errors = 0
        self.unexpected: dict[str, int] = {}

    def note(self, what: str, status: int | None, expected: set[int], elapsed: float) -> None:
        self.latencies.append(elapsed)
        if status is None or status >= 500:
            self.server_errors += 1
        if status not in expected:
            key = f"{what} -> {status}"
            self.unexpected[key] = self.unexpected.get(key, 0) + 1


async def _call(
    tally: Tally, what: str, expected: set[int], request: object
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        resp: httpx.Response = await request  # type: ignore[misc]
    except httpx.HTTPError:
        tally.note(what, None, expected, time.perf_counter() - started)
        return None
    tally.note(what, resp.status_code, expected, time.perf_counter() - started)
    return resp


async def _loop(urls: list[str], index: int, deadline: float, tally: Tally) -> None:
    username = ("soak-a", "soak-b")[index % 2]
    turn = 0
    while time.monotonic() < deadline:
        base = urls[turn % len(urls)]
        turn += 1
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            await _call(tally, "GET /login", {200}, c.get("/login"))
            login = await _call(tally, "POST /api/v1/auth/login", {200}, c.post(
                "/api/v1/auth/login",
                json={"committee": "001", "username": username, "password": PASSWORD}))  # fmt: skip
            if login is not None and login.status_code == 200:
                auth = {"Authorization": f"Bearer {login.json()['token']}"}
                await _call(tally, "GET /api/v1/me", {200}, c.get("/api/v1/me", headers=auth))
                await _call(tally, "GET /api/v1/committees/001", {200},
                            c.get("/api/v1/committees/001", headers=auth))  # fmt: skip
                await _call(tally, "POST /api/v1/auth/logout", {200},
                            c.post("/api/v1/auth/logout", headers=auth))  # fmt: skip
            await _call(tally, "GET /portal/", {200}, c.get("/portal/", params={"q": "ba dinh"}))
            await _call(tally, "GET /portal/00001/report", {200}, c.get("/portal/00001/report"))
            status = await _call(tally, "GET /portal/status", {200}, c.get("/portal/status"))
            token = c.cookies.get("giamsat_csrf", "")
            if status is not None and token:
                await _call(tally, "POST /portal/status", {404, 422}, c.post(
                    "/portal/status",
                    data={"code": "AAAAA-AAAAA-AAAAA-AAAAA", "_csrf_token": token}))  # fmt: skip
            await _call(tally, "GET /metrics", {200}, c.get("/metrics"))
            await _call(tally, "GET <unmatched>", {404}, c.get(f"/no/such/{turn}"))
            await _call(tally, "POST /logout without CSRF", {403}, c.post("/logout"))


async def _soak(urls: list[str], seconds: int, clients: int) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_loop(urls, i, deadline, tally) for i in range(clients)))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--postgres", default=os.environ.get(
        "GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    args = parser.parse_args()
    seconds = max(10, min(args.seconds, 3600))
    owner_url, app_url = asyncio.run(create_postgres_database(args.postgres, "giamsat_soak"))
    env = {**os.environ, "GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_ADMIN_DATABASE_URL": owner_url,
           "GIAMSAT_SECRET_KEY": "soak-shared-secret", "GIAMSAT_LOG_LEVEL": "WARNING",
           "GIAMSAT_PORTAL_LOOKUPS_PER_HOUR": "100000"}  # fmt: skip
    procs: list[subprocess.Popen[bytes]] = []
    try:
        _run(env, "db", "migrate")
        register = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
        _run(env, "tenants", "import", str(register), "--province", "01")
        for username in ("soak-a", "soak-b"):
            _run(env, "users", "create", "--committee", "001", "--role", "office",
                 "--username", username, stdin=PASSWORD)  # fmt: skip
        urls = []
        logs = ROOT / "var"
        logs.mkdir(exist_ok=True)
        for i in range(2):
            port = _free_port()
            command = [GIAMSAT, "serve", "--port", str(port), "--workers", "1"]
            log = (logs / f"soak-replica-{i}.log").open("wb")
            procs.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                raise SystemExit(f"{url} did not become ready (see var/soak-replica-*.log)")
        memory_start = [_rss_mib(p.pid) for p in procs]
        started = time.monotonic()
        tally = asyncio.run(_soak(urls, seconds, args.clients))
        elapsed = time.monotonic() - started
        memory_end = [_rss_mib(p.pid) for p in procs]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=15)
        asyncio.run(drop_postgres_database(args.postgres, owner_url))
    lat = sorted(tally.latencies)
    result = {
        "date": dt.date.today().isoformat(),
        "seconds": round(elapsed, 1),
        "clients": args.clients,
        "replicas": 2,
        "requests": len(lat),
        "requests_per_second": round(len(lat) / elapsed, 1),
        "server_errors": tally.server_errors,
        "unexpected_statuses": tally.unexpected,
        "latency_ms": {
            "p50": round(statistics.median(lat) * 1000, 1),
            "p99": round(lat[int(len(lat) * 0.99) - 1] * 1000, 1),
            "max": round(lat[-1] * 1000, 1),
        },
        "rss_mib": {"start": memory_start, "end": memory_end},
        "command": f"python bench/soak.py --seconds {seconds} --clients {args.clients}",
    }
    out = ROOT / "bench" / "results" / "soak.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
