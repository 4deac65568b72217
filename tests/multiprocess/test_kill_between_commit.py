"""Journey 6 with a real crash: ``kill -9`` of a served process between the intake's commit and
the decision, then a restart; within a minute every committed signal is decided by the
``decisions.pending`` job, none lost and none twice.

The database is built with the operator's commands, in the 2026 tree (Hà Nội reorganised onto
the register of 1 July 2025, ``rules/2026-ha-noi`` published; a copy re-dated to this year when
the test runs in a later year). The crash lands at the right moment without any hook in the
product: while the test holds an exclusive lock on the case table, intake commits its signals
and then waits in the decision step (which reads cases); the test sees the signals committed
and undecided in the database, kills the whole process group with SIGKILL, and lets go of the
lock. Every wait has a deadline and the processes are always stopped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from giamsat import clock
from giamsat.db.testing import create_postgres_database, drop_postgres_database, postgres_reachable
from tests.conftest import PG_SERVER, ROOT
from tests.multiprocess.conftest import GIAMSAT, _wait_ready, free_port, giamsat
from tests.packs import city_pack_for

PASSWORD = "kill-test-password"
WARD = "00004"  # Phường Ba Đình
CADRES = ["KILL01", "KILL02", "KILL03"]
#: seconds from the restart for every signal to be decided: the one-minute slot of
#: decisions.pending (the dead process may have taken the current one) plus one 5-second tick
DEADLINE = 65.0


@pytest.fixture(scope="module")
def tree_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A PostgreSQL database in the 2026 tree, built by ``giamsat`` commands."""
    reason = asyncio.run(postgres_reachable(PG_SERVER))
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    owner_url, app_url = asyncio.run(create_postgres_database(PG_SERVER, "giamsat_kill"))
    env = {**os.environ, "GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_ADMIN_DATABASE_URL": owner_url,
           "GIAMSAT_SECRET_KEY": "kill-test", "GIAMSAT_SECURE_COOKIES": "false",
           "PYTHONPATH": str(ROOT), "GIAMSAT_DECIDE_PENDING_SECONDS": "5"}  # fmt: skip
    try:
        giamsat(env, "db", "migrate")
        register = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
        giamsat(env, "tenants", "import", str(register), "--province", "01")
        for reg, effective in (("2025-01", "2025-01-01"), ("2025-07", "2025-07-01")):
            giamsat(env, "tenants", "reorganise", "--register", reg, "--effective", effective,
                    "--province", "01")  # fmt: skip
        giamsat(env, "rules", "publish", str(ROOT / "rules" / "2026-ha-noi"), "--committee", "01",
                "--effective", "2026-01-01")  # fmt: skip
        year = clock.today().year
        if year != 2026:  # signals received today need a plan in force today
            current = tmp_path_factory.mktemp("plan") / f"{year}-ha-noi"
            current.mkdir()
            for name, text in city_pack_for(year).items():
                (current / name).write_text(text, encoding="utf-8")
            giamsat(env, "rules", "publish", str(current), "--committee", "01",
                    "--effective", f"{year}-01-01")  # fmt: skip
        giamsat(env, "channels", "enable", WARD, "staff")
        sheet = tmp_path_factory.mktemp("register") / "cadres.csv"
        sheet.write_text("code,full_name,managing_level\n" + "".join(
            f"{code},Cán bộ {code},commune\n" for code in CADRES), encoding="utf-8")  # fmt: skip
        giamsat(env, "cadres", "import", WARD, str(sheet))
        giamsat(env, "users", "create", "--committee", WARD, "--role", "democracy_law",
                "--username", "tiepnhan", stdin=PASSWORD)  # fmt: skip
        yield env | {"OWNER_URL": owner_url}
    finally:
        asyncio.run(drop_postgres_database(PG_SERVER, owner_url))


class Server:
    """One ``giamsat serve`` in its own process group (its workers die with it)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [GIAMSAT, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", "1"],
                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
            )  # fmt: skip

    def ready(self) -> None:
        _wait_ready(f"{self.url}/health/ready", self.process, time.monotonic() + 60)

    def kill(self) -> None:
        """``kill -9`` of the server and every process it started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


async def _signals(owner_url: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(owner_url)
    try:
        rows = await conn.fetch("SELECT id, status, case_id FROM signal ORDER BY id")
    finally:
        await conn.close()
    return [dict(r) for r in rows]


def _letter(base: str, token: str, cadre: str, n: int) -> httpx.Response | Exception:
    today = clock.today().isoformat()
    body = {"received_on": today, "cadre_1": cadre, "indicator_1": "DD3",
            "content": f"Đơn thư số {n}: kê khai tài sản không trung thực"}  # fmt: skip
    try:
        return httpx.post(f"{base}/api/v1/intake/staff/letter", json=body, timeout=120,
                          headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    except httpx.HTTPError as exc:  # the server died under the request: expected
        return exc


async def test_kill_9_between_commit_and_decision(tree_env: dict[str, str], tmp_path: Path) -> None:
    owner_url = tree_env["OWNER_URL"]
    log = tmp_path / "serve.log"
    first = Server(tree_env, log)
    second: Server | None = None
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(CADRES) * 2)
    lock = await asyncpg.connect(owner_url)
    try:
        await asyncio.to_thread(first.ready)
        login = await asyncio.to_thread(httpx.post, f"{first.url}/api/v1/auth/login", json={
            "committee": WARD, "username": "tiepnhan", "password": PASSWORD})  # fmt: skip
        assert login.status_code == 200, login.text
        token = login.json()["token"]
        # given the decision step held up: nobody may read cases while the test holds the lock
        transaction = lock.transaction()
        await transaction.start()
        await lock.execute("LOCK TABLE supervision_case IN ACCESS EXCLUSIVE MODE")
        # when six letters (two about each of three commune-managed cadres) are sent
        sent = [pool.submit(_letter, first.url, token, cadre, n)
                for n, cadre in enumerate(CADRES * 2, start=1)]  # fmt: skip
        # then intake commits all six and waits in the decision step
        deadline = time.monotonic() + 60
        while len(rows := await _signals(owner_url)) < 6:
            assert time.monotonic() < deadline, f"only {len(rows)} signals committed"
            assert not any(f.done() for f in sent), [f.result() for f in sent if f.done()]
            await asyncio.sleep(0.2)
        assert [r["status"] for r in rows] == ["received"] * 6
        assert not any(f.done() for f in sent)
        # when the server is killed with SIGKILL between commit and decision
        await asyncio.to_thread(first.kill)
        answers = [f.result(timeout=30) for f in sent]
        await transaction.rollback()
        # then the senders got no answer, and every signal is still undecided
        assert all(isinstance(a, Exception) for a in answers), answers
        assert [r["status"] for r in await _signals(owner_url)] == ["received"] * 6
        # when the server is started again
        second = Server(tree_env, log)
        restarted = time.monotonic()
        await asyncio.to_thread(second.ready)
        # then within a minute every committed signal is decided
        rows = await _signals(owner_url)
        while any(r["status"] == "received" for r in rows):
            assert time.monotonic() - restarted < DEADLINE, rows
            await asyncio.sleep(1)
            rows = await _signals(owner_url)
        took = time.monotonic() - restarted
        print(f"\nall 6 signals decided {took:.1f} s after the restart")
        assert {r["status"] for r in rows} <= {"evaluated", "attached"}
        # and none lost, none twice: three cases at the ward, each holding its cadre's two
        # letters, each opened once, no signal attached twice
        await _one_case_per_cadre(owner_url, rows)
    finally:
        if lock.is_in_transaction():
            await lock.execute("ROLLBACK")
        await lock.close()
        first.stop()
        if second is not None:
            second.stop()
        pool.shutdown(wait=False, cancel_futures=True)


async def _one_case_per_cadre(owner_url: str, rows: list[dict[str, Any]]) -> None:
    conn = await asyncpg.connect(owner_url)
    try:
        cases = await conn.fetch(
            "SELECT c.id, m.code FROM supervision_case c JOIN committee m ON m.id = c.committee"
        )
        events = await conn.fetch('SELECT "case", action, details FROM case_event')
        per_case = await conn.fetch(
            "SELECT case_id, count(*) AS n FROM signal GROUP BY case_id ORDER BY case_id"
        )
    finally:
        await conn.close()
    assert len(cases) == len(CADRES) and {c["code"] for c in cases} == {WARD}
    assert [r["n"] for r in per_case] == [2] * len(CADRES)
    assert {r["case_id"] for r in rows} == {c["id"] for c in cases}
    opened = [e for e in events if e["action"] == "opened"]
    assert sorted(e["case"] for e in opened) == sorted(c["id"] for c in cases)
    attached = [(e["case"], e["details"]) for e in events if e["action"] == "signal_attached"]
    assert len(attached) == len(set(attached))
    assert len(attached) <= len(rows) - len(cases)  # each case's other letter, at most once
