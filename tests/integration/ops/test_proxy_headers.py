"""Whose address: `giamsat serve` believes X-Forwarded-For only from the configured proxies.

Two real server processes on one SQLite database: one trusting no proxy (the default), one
trusting loopback (where this test's requests come from, standing in for the ingress). The login
throttle and the portal's receipt look-up limit both count the address each process settles on.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
PASSWORD = "proxy-test-password-long"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([GIAMSAT, *args], env=env, input=stdin, text=True, check=True,
                   capture_output=True, timeout=180)  # fmt: skip


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """{"plain": url, "behind_proxy": url}, sharing one database."""
    db = tmp_path_factory.mktemp("proxy") / "proxy.sqlite"
    env = {**os.environ, "GIAMSAT_DATABASE_URL": f"sqlite:///{db}",
           "GIAMSAT_SECRET_KEY": "proxy-test", "GIAMSAT_LOGIN_ATTEMPTS": "1",
           "GIAMSAT_PORTAL_LOOKUPS_PER_HOUR": "1"}  # fmt: skip
    env.pop("GIAMSAT_TRUSTED_PROXIES", None)
    _run(env, "db", "migrate")
    register = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
    _run(env, "tenants", "import", str(register), "--province", "01")
    for username in ("plain-user", "proxied-user"):
        _run(env, "users", "create", "--committee", "001", "--role", "office",
             "--username", username, stdin=PASSWORD)  # fmt: skip
    procs, urls = [], {}
    for name, extra in (("plain", {}), ("behind_proxy", {"GIAMSAT_TRUSTED_PROXIES": "127.0.0.1"})):
        port = _free_port()
        command = [GIAMSAT, "serve", "--port", str(port)]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        procs.append(subprocess.Popen(command, env={**env, **extra}, **quiet))  # type: ignore[call-overload]
        urls[name] = f"http://127.0.0.1:{port}"
    try:
        for url in urls.values():
            for _ in range(150):
                try:
                    if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                pytest.fail(f"{url} did not become ready in 30 s")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def _login(url: str, username: str, password: str, forwarded: str) -> int:
    body = {"committee": "001", "username": username, "password": password}
    resp = httpx.post(f"{url}/api/v1/auth/login", json=body,
                      headers={"X-Forwarded-For": forwarded}, timeout=30)  # fmt: skip
    return resp.status_code


def _lookup(url: str, forwarded: str) -> int:
    with httpx.Client(base_url=url, headers={"X-Forwarded-For": forwarded}, timeout=30) as c:
        page = c.get("/portal/status")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        resp = c.post("/portal/status", data={"code": "AAAAA-AAAAA-AAAAA-AAAAA",
                                               "_csrf_token": token.group(1)})  # fmt: skip
        return resp.status_code


def test_a_spoofed_forwarded_header_from_a_client_is_ignored(servers: dict[str, str]) -> None:
    # given the server that trusts no proxy, and a guesser who fails once (limit 1)
    url = servers["plain"]
    assert _login(url, "plain-user", "guess-one", "198.51.100.1") == 401
    # when they send the next guess, or the right password, claiming another address
    spoofed = _login(url, "plain-user", PASSWORD, "198.51.100.2")
    # then the claim is ignored: it is the same address, and it waits
    assert spoofed == 429
    # and the portal's look-up limit (1 an hour) is not reset by a new claimed address either
    assert _lookup(url, "203.0.113.1") != 429
    assert _lookup(url, "203.0.113.2") == 429


def test_the_configured_proxys_forwarded_address_is_used(servers: dict[str, str]) -> None:
    # given the server behind a trusted proxy (loopback), and a guesser at one address
    url = servers["behind_proxy"]
    assert _login(url, "proxied-user", "guess-one", "198.51.100.1") == 401
    assert _login(url, "proxied-user", PASSWORD, "198.51.100.1") == 429
    # when the owner comes through the same proxy from their own address
    owner = _login(url, "proxied-user", PASSWORD, "198.51.100.9")
    # then the proxy's header is believed: a different client, let in
    assert owner == 200
    # and the portal counts each citizen behind the proxy on their own
    assert _lookup(url, "203.0.113.7") != 429
    assert _lookup(url, "203.0.113.7") == 429
    assert _lookup(url, "203.0.113.8") != 429
