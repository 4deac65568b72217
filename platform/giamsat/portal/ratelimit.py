"""Rate limits on the public portal, counted in the database so every replica shares them.

The limits are settings (see :func:`limits_from`), read by the app factory like every other.

The client is stored as a keyed hash of its address, never the address itself.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import msgspec

from giamsat.db.scope import system_scope
from giamsat.errors import TooManyRequests
from giamsat.portal.tables import PortalAttempt
from giamsat.settings import Settings
from giamsat.web.i18n import N_


class Limit(msgspec.Struct, frozen=True):
    """At most ``count`` requests of one action per client in ``window_seconds``."""

    count: int
    window_seconds: int


_HOUR = 3600


def limits_from(settings: Settings) -> dict[str, Limit]:
    """Submitting reports, and reading a receipt's status or posting to its thread, per hour
    (``GIAMSAT_PORTAL_SUBMISSIONS_PER_HOUR``, ``GIAMSAT_PORTAL_LOOKUPS_PER_HOUR``)."""
    return {
        "submit": Limit(settings.portal_submissions_per_hour, _HOUR),
        "lookup": Limit(settings.portal_lookups_per_hour, _HOUR),
    }


#: The defaults, for callers without settings at hand (operators' scripts, tests).
LIMITS: dict[str, Limit] = limits_from(Settings())


def client_key(address: str, secret: str) -> str:
    """A keyed hash of the client's address (the address is personal data)."""
    return hashlib.sha256(f"{secret}|{address}".encode()).hexdigest()


async def check(client: str, action: str, limit: Limit | None = None) -> None:
    """Raise TooManyRequests when ``client`` has used up ``action``'s limit (nothing counted)."""
    limit = limit or LIMITS[action]
    since = datetime.now(UTC) - timedelta(seconds=limit.window_seconds)
    async with system_scope():
        used = await PortalAttempt.count().where(
            (PortalAttempt.client == client)
            & (PortalAttempt.action == action)
            & (PortalAttempt.at > since)
        )
    if used >= limit.count:
        raise TooManyRequests(
            N_("You have sent this too many times; please try again later."),
            retry_after=limit.window_seconds,
        )


async def record(client: str, action: str) -> None:
    """Count one request of ``action`` (call once it has been accepted)."""
    async with system_scope():
        await PortalAttempt(client=client, action=action, at=datetime.now(UTC)).save()


async def hit(client: str, action: str, limit: Limit | None = None) -> None:
    """Check the limit, then count this request."""
    await check(client, action, limit)
    await record(client, action)


async def forget(client: str) -> None:
    """Drop a client's counted requests (operators, and tests)."""
    async with system_scope():
        await PortalAttempt.delete().where(PortalAttempt.client == client)
