"""A real ``giamsat serve`` on its own PostgreSQL database, for the contract tests.

The contract tests talk HTTP to a separate process, as a partner's client does: schemathesis
sends what it generates from the served document, the generated clients call the API. The
database is their own (schemathesis writes whatever the document allows), with the Hà Nội tree
and a district officer of Quận Hoàn Kiếm (002).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest

from giamsat.db.testing import create_postgres_database, drop_postgres_database, postgres_reachable
from tests.conftest import PG_SERVER, ROOT
from tests.packs import city_pack_for

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
DISTRICT = "002"
USERNAME = "doitac"
PASSWORD = "contract-test-password"


class Served(msgspec.Struct, frozen=True):
    base_url: str
    env: dict[str, str]

    def token(self) -> str:
        """A fresh bearer token of the district officer."""
        resp = httpx.post(
            f"{self.base_url}/api/v1/auth/login",
            json={"committee": DISTRICT, "username": USERNAME, "password": PASSWORD},
            timeout=30,
        )
        resp.raise_for_status()
        return str(resp.json()["token"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _giamsat(env: dict[str, str], *args: str, stdin: str = "") -> None:
    done = subprocess.run([GIAMSAT, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=300, check=False, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, f"giamsat {' '.join(args)}: {done.stderr}"


def _wait_ready(url: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"giamsat serve exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not become ready in time")


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    reason = asyncio.run(postgres_reachable(PG_SERVER))
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    owner_url, app_url = asyncio.run(create_postgres_database(PG_SERVER, "giamsat_contract"))
    port = _free_port()
    env = {**os.environ, "GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_ADMIN_DATABASE_URL": owner_url,
           "GIAMSAT_SECRET_KEY": "contract-tests", "GIAMSAT_LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    process: subprocess.Popen[bytes] | None = None
    try:
        _giamsat(env, "db", "migrate")
        register = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
        _giamsat(env, "tenants", "import", str(register), "--province", "01")
        _giamsat(env, "users", "create", "--committee", DISTRICT, "--role", "democracy_law",
                 "--username", USERNAME, stdin=PASSWORD)  # fmt: skip
        _giamsat(env, "rules", "publish", str(ROOT / "rules" / "2022-ha-noi"), "--committee",
                 "01", "--effective", "2022-01-01")  # fmt: skip
        # signals sent today need a plan in force today: the city's 2026 plan, for this year
        year = dt.date.today().year
        current = tmp_path_factory.mktemp("plan") / f"{year}-ha-noi"
        current.mkdir()
        for name, text in city_pack_for(year).items():
            (current / name).write_text(text, encoding="utf-8")
        _giamsat(env, "rules", "publish", str(current), "--committee", "01",
                 "--effective", f"{year}-01-01")  # fmt: skip
        _giamsat(env, "channels", "enable", DISTRICT, "workplace")
        log = tmp_path_factory.mktemp("served") / "serve.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [GIAMSAT, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/health/ready", process, time.monotonic() + 180)
        yield Served(base_url=base, env=env)
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        asyncio.run(drop_postgres_database(PG_SERVER, owner_url))
