"""Login throttling that slows a guesser without letting a stranger lock anyone out.

Every failed password or second-factor code is recorded under three keys (in the database, so
all replicas share them), and each answers a different attacker:

- **account and address**: after ``login_attempts`` failures of one account from one address,
  each further try from that address waits ``login_delay_seconds``, then twice as long, and so on
  (at most the window). The owner, from their own address, is never slowed by someone else's
  failures.
- **address**: one address may fail ``login_attempts × 10`` times in the window, across all
  accounts (a shared office still works), before it is refused outright.
- **account**: failures from every address together; at ``login_attempts × 4`` in the window
  the committee's administrators get an alert (a distributed guess), but the account stays open.

Addresses are the real client's: ``giamsat serve`` believes ``X-Forwarded-For`` only from the
configured proxies.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import msgspec

from giamsat.accounts.tables import LoginAttempt
from giamsat.errors import TooManyRequests
from giamsat.settings import Settings
from giamsat.web.i18n import N_

#: Failures of one address across accounts, as a multiple of ``login_attempts``.
ADDRESS_FACTOR = 10
#: Failures of one account from all addresses that alert its administrators.
ALERT_FACTOR = 4


class Attempt(msgspec.Struct, frozen=True):
    """Who tries to log in as whom: ``account`` is ``committee:username`` (lower case)."""

    account: str
    address: str

    @property
    def pair_key(self) -> str:
        return f"pair:{self.account}|{self.address}"

    @property
    def address_key(self) -> str:
        return f"ip:{self.address}"

    @property
    def account_key(self) -> str:
        return f"user:{self.account}"


def attempt_of(committee_code: str, username: str, address: str) -> Attempt:
    return Attempt(
        account=f"{committee_code.strip()}:{username.strip().lower()}"[:150],
        address=address[:45],
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def delay_after(failures: int, settings: Settings) -> int:
    """Seconds one account-and-address pair waits after ``failures`` failures in the window."""
    if failures < settings.login_attempts:
        return 0
    doublings = min(failures - settings.login_attempts, 20)
    return int(min(settings.login_delay_seconds * 2**doublings, settings.login_window_seconds))


def _refusal(seconds: float) -> TooManyRequests:
    wait = max(1, math.ceil(seconds))
    return TooManyRequests(
        N_("Too many failed logins; try again in %(seconds)s seconds."),
        params={"seconds": wait},
        retry_after=wait,
    )


async def check(settings: Settings, attempt: Attempt, now: datetime) -> None:
    """Refuse the attempt (nothing recorded) while its pair waits or its address is over."""
    since = now - timedelta(seconds=settings.login_window_seconds)
    pair = (
        await LoginAttempt.select(LoginAttempt.attempted_at)
        .where(
            (LoginAttempt.throttle_key == attempt.pair_key) & (LoginAttempt.attempted_at > since)
        )
        .order_by(LoginAttempt.attempted_at, ascending=False)
    )
    wait = delay_after(len(pair), settings)
    if wait:
        until = _aware(pair[0]["attempted_at"]) + timedelta(seconds=wait)
        if now < until:
            raise _refusal((until - now).total_seconds())
    from_address = await LoginAttempt.count().where(
        (LoginAttempt.throttle_key == attempt.address_key) & (LoginAttempt.attempted_at > since)
    )
    if from_address >= settings.login_attempts * ADDRESS_FACTOR:
        raise _refusal(settings.login_window_seconds)


async def failed(settings: Settings, attempt: Attempt, now: datetime) -> bool:
    """Record a failure; True when it brings the account to the alert threshold."""
    keys = (attempt.pair_key, attempt.address_key, attempt.account_key)
    await LoginAttempt.insert(*[LoginAttempt(throttle_key=k, attempted_at=now) for k in keys])
    since = now - timedelta(seconds=settings.login_window_seconds)
    total = await LoginAttempt.count().where(
        (LoginAttempt.throttle_key == attempt.account_key) & (LoginAttempt.attempted_at > since)
    )
    return bool(total == settings.login_attempts * ALERT_FACTOR)


async def succeeded(attempt: Attempt) -> None:
    """The owner got in from this address: its pair starts afresh (the others do not)."""
    await LoginAttempt.delete().where(LoginAttempt.throttle_key == attempt.pair_key)
