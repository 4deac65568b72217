"""Two real ``giamsat serve`` processes on one PostgreSQL, behind Debian's nginx on loopback.

nginx listens on three loopback ports: one round-robin over both processes (as a Service
balances pods) and one pinned to each process, so a test can choose where a request lands.
Every process is started with a deadline and always terminated.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import msgspec
import pytest

from giamsat.db.testing import create_postgres_database, drop_postgres_database, postgres_reachable
from tests.conftest import PG_SERVER, ROOT
from tests.packs import city_pack_for

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "replica-test-password"
LOGIN_ATTEMPTS = 3


class Cluster(msgspec.Struct):
    env: dict[str, str]
    app_ports: list[int]
    balanced: str
    pinned: list[str]
    logs: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def giamsat(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([GIAMSAT, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=300, check=False, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, f"giamsat {' '.join(args)}: {done.stderr}"
    return done.stdout


def _nginx_conf(prefix: Path, app_ports: list[int], balanced: int, pinned: list[int]) -> str:
    upstreams = "\n".join(
        f"upstream app{i} {{ server 127.0.0.1:{port} max_fails=0; }}"
        for i, port in enumerate(app_ports)
    )
    servers = [(balanced, "giamsat_web")] + [(p, f"app{i}") for i, p in enumerate(pinned)]
    blocks = "\n".join(
        f"""server {{ listen 127.0.0.1:{port};
            location = /metrics {{ return 404; }}
            location / {{ proxy_pass http://{upstream}; proxy_next_upstream off;
                proxy_set_header X-Request-ID $giamsat_request_id;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }} }}"""
        for port, upstream in servers
    )
    members = "\n".join(f"server 127.0.0.1:{p} max_fails=0;" for p in app_ports)
    temp = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    return f"""daemon off; worker_processes 1; pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 64; }}
http {{ access_log {prefix / "access.log"}; {temp}
map $http_x_request_id $giamsat_request_id {{ default $http_x_request_id; "" $request_id; }}
upstream giamsat_web {{ {members} }}
{upstreams}
{blocks}
}}
"""


def _wait_ready(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not become ready in time")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def database_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database, migrated, with the Hà Nội tree and the environment to use it."""
    reason = asyncio.run(postgres_reachable(PG_SERVER))
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    if not Path(NGINX).exists():
        pytest.fail(f"nginx not found at {NGINX}: apt-get install nginx-light (make system-deps)")
    owner_url, app_url = asyncio.run(create_postgres_database(PG_SERVER, "giamsat_replicas"))
    env = {**os.environ, "GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_ADMIN_DATABASE_URL": owner_url,
           "GIAMSAT_SECRET_KEY": "shared-by-every-replica", "GIAMSAT_LOG_LEVEL": "INFO",
           "GIAMSAT_LOGIN_ATTEMPTS": str(LOGIN_ATTEMPTS), "PYTHONPATH": str(ROOT),
           # plain http through nginx, which passes its upstream name as Host (not loopback):
           # Secure cookies would never come back, so this test cluster turns them off
           "GIAMSAT_SECURE_COOKIES": "false",
           # the replicas' own decisions.pending loop off: the sweeps under test are the only
           # processes that take job slots
           "GIAMSAT_DECIDE_PENDING_SECONDS": "0"}  # fmt: skip
    try:
        giamsat(env, "db", "migrate")
        register = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
        giamsat(env, "tenants", "import", str(register), "--province", "01")
        # office staff: they log in with a password alone (the standing board needs a 2nd factor)
        for username in ("thuky", "chanhvp", "bi-khoa", "doi-mk"):
            giamsat(env, "users", "create", "--committee", "001", "--role", "office",
                    "--username", username, stdin=PASSWORD)  # fmt: skip
        giamsat(env, "users", "create", "--committee", "01", "--role", "office",
                "--username", "thanhpho", stdin=PASSWORD)  # fmt: skip
        # the 2022 pack in force, the workplace channel on in Ba Đình, one cadre in its register
        giamsat(env, "rules", "publish", str(ROOT / "rules" / "2022-ha-noi"), "--committee", "01",
                "--effective", "2022-01-01")  # fmt: skip
        # signals sent today need a plan in force today: the city's 2026 plan, for this year
        year = dt.date.today().year
        current = Path(tmp_path_factory.mktemp("plan")) / f"{year}-ha-noi"
        current.mkdir()
        for name, text in city_pack_for(year).items():
            (current / name).write_text(text, encoding="utf-8")
        giamsat(env, "rules", "publish", str(current), "--committee", "01",
                "--effective", f"{year}-01-01")  # fmt: skip
        giamsat(env, "channels", "enable", "001", "workplace")
        sheet = Path(tmp_path_factory.mktemp("register")) / "cadres.csv"
        sheet.write_text("code,full_name,managing_level\nREPLICA01,Trần Văn Bản,district\n",
                         encoding="utf-8")  # fmt: skip
        giamsat(env, "cadres", "import", "001", str(sheet))
        yield env
    finally:
        asyncio.run(drop_postgres_database(PG_SERVER, owner_url))


@pytest.fixture(scope="module")
async def cluster(database_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
                  ) -> AsyncIterator[Cluster]:  # fmt: skip
    logs = tmp_path_factory.mktemp("replicas")
    app_ports = [free_port(), free_port()]
    balanced, pinned = free_port(), [free_port(), free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for i, port in enumerate(app_ports):
            with (logs / f"app{i}.log").open("wb") as out:
                # one worker process per replica: each /metrics then counts all it served
                processes.append(subprocess.Popen(  # noqa: ASYNC220 - started once, waited on below
                    [GIAMSAT, "serve", "--host", "127.0.0.1", "--port", str(port),
                     "--workers", "1"],
                    env=database_env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT))  # fmt: skip
        (logs / "nginx.conf").write_text(_nginx_conf(logs, app_ports, balanced, pinned))
        with (logs / "nginx.out").open("wb") as out:
            command = [NGINX, "-p", str(logs), "-c", str(logs / "nginx.conf"),
                       "-e", str(logs / "error.log")]  # fmt: skip
            processes.append(subprocess.Popen(  # noqa: ASYNC220
                command, stdout=out, stderr=subprocess.STDOUT))  # fmt: skip
        deadline = time.monotonic() + 60
        for i, port in enumerate(app_ports):
            await asyncio.to_thread(_wait_ready, f"http://127.0.0.1:{port}/health/ready",
                                    processes[i], deadline)  # fmt: skip
        for port in [balanced, *pinned]:
            await asyncio.to_thread(_wait_ready, f"http://127.0.0.1:{port}/health/live",
                                    processes[-1], deadline)  # fmt: skip
        yield Cluster(env=database_env, app_ports=app_ports, balanced=f"http://127.0.0.1:{balanced}",
                      pinned=[f"http://127.0.0.1:{p}" for p in pinned], logs=logs)  # fmt: skip
    finally:
        _stop(processes)
