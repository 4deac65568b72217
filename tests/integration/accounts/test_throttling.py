"""Login throttling: a guesser is slowed, a stranger cannot lock the owner out, admins are told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from giamsat.accounts import throttle
from giamsat.accounts.tables import LoginAttempt
from giamsat.audit.tables import AuditEntry
from giamsat.db.scope import system_scope
from giamsat.errors import TooManyRequests
from giamsat.notifications.tables import Notification
from giamsat.web.app import create_app
from tests.factories import PASSWORD, Factory

STRANGER, OWNER = "203.0.113.9", "198.51.100.7"


def client_from(factory: Factory, address: str, **settings: object) -> httpx.AsyncClient:
    """An API client whose requests come from ``address`` (as uvicorn reports the peer)."""
    app = create_app(factory.db.settings(**settings), manage_database=False)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _login(client: httpx.AsyncClient, committee: str, username: str, password: str) -> int:
    body = {"committee": committee, "username": username, "password": password}
    return (await client.post("/api/v1/auth/login", json=body)).status_code


async def test_a_stranger_cannot_lock_the_owner_out(factory: Factory) -> None:
    # given an account of Quận Tây Hồ and a stranger who guesses its password ten times
    user = await factory.user("003")
    async with client_from(factory, STRANGER, login_attempts=3) as stranger:
        codes = [await _login(stranger, "003", user.username, f"guess-{i}") for i in range(10)]
        # then the stranger is slowed down after three failures, even with the right password
        assert codes[:3] == [401, 401, 401] and set(codes[3:]) == {429}
        assert await _login(stranger, "003", user.username, PASSWORD) == 429
    # when the owner logs in from their own address
    async with client_from(factory, OWNER, login_attempts=3) as owner:
        status = await _login(owner, "003", user.username, PASSWORD)
    # then they get in at once
    assert status == 200


async def test_the_delay_doubles_with_each_failure_and_ends_with_the_window(db) -> None:
    # given the settings (3 free failures, 30 s first delay, a 15-minute window) and a clock
    settings = db.settings(login_attempts=3, login_delay_seconds=30, login_window_seconds=900)
    attempt = throttle.attempt_of("003", "khong-ai", "192.0.2.44")
    t0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    async with system_scope():
        await LoginAttempt.delete().where(LoginAttempt.throttle_key.like("%192.0.2.44%"))
        # when three guesses fail
        for i in range(3):
            await throttle.failed(settings, attempt, t0 + timedelta(seconds=i))
        last = t0 + timedelta(seconds=2)
        # then the next one waits 30 s (the refusal says how long is left)
        with pytest.raises(TooManyRequests, match="try again in 30 s"):
            await throttle.check(settings, attempt, last)
        with pytest.raises(TooManyRequests, match="try again in 1 s"):
            await throttle.check(settings, attempt, last + timedelta(seconds=29))
        await throttle.check(settings, attempt, last + timedelta(seconds=30))
        # and after a fourth failure, 60 s; after a fifth, 120 s
        await throttle.failed(settings, attempt, last + timedelta(seconds=30))
        with pytest.raises(TooManyRequests):
            await throttle.check(settings, attempt, last + timedelta(seconds=89))
        await throttle.check(settings, attempt, last + timedelta(seconds=90))
        await throttle.failed(settings, attempt, last + timedelta(seconds=90))
        with pytest.raises(TooManyRequests):
            await throttle.check(settings, attempt, last + timedelta(seconds=209))
        await throttle.check(settings, attempt, last + timedelta(seconds=210))
        # and once the window has passed, nothing is held against the pair
        await throttle.check(settings, attempt, last + timedelta(seconds=90 + 901))
    assert [throttle.delay_after(n, settings) for n in range(2, 12)] == [
        0, 30, 60, 120, 240, 480, 900, 900, 900, 900,
    ]  # fmt: skip


async def test_one_address_guessing_many_accounts_is_refused(factory: Factory) -> None:
    # given an address that fails on many accounts (login_attempts=2: 20 failures allowed)
    address = "192.0.2.77"
    async with client_from(factory, address, login_attempts=2) as guesser:
        codes = [await _login(guesser, "004", f"nobody-{i}", "guess") for i in range(21)]
    # then it is refused once its failures across accounts reach ten times the limit
    assert set(codes[:20]) == {401} and codes[20] == 429


async def test_many_addresses_failing_on_one_account_alert_its_administrators(
    factory: Factory,
) -> None:
    # given a staff account and an administrator of Phường Phúc Xá
    user = await factory.user("00001")
    admin = await factory.user("00001", "admin")
    # when twelve addresses fail once each on the account (login_attempts=3: alert at 12)
    for i in range(12):
        async with client_from(factory, f"192.0.2.{100 + i}", login_attempts=3) as c:
            assert await _login(c, "00001", user.username, "guess") == 401
    # then the administrator has one notification and the committee's audit says why
    async with system_scope():
        notes = await Notification.select(Notification.kind, Notification.title_en).where(
            (Notification.recipient == admin.id) & (Notification.kind == "account.login_alert")
        )
    assert len(notes) == 1 and user.username in notes[0]["title_en"]
    async with system_scope():
        alerts = await AuditEntry.count().where(
            (AuditEntry.action == "account.login_alert") & (AuditEntry.subject_id == str(user.id))
        )
    assert alerts == 1
    # and the account still opens for its owner
    async with client_from(factory, OWNER, login_attempts=3) as owner:
        assert await _login(owner, "00001", user.username, PASSWORD) == 200
