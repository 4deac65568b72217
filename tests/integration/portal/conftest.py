"""Helpers of the portal tests: public clients, staff clients with an identity key, raw SQL."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import asyncpg
import httpx
import pytest

from giamsat.portal import ratelimit
from tests.conftest import Database
from tests.factories import Factory

IDENTITY_KEY = "test-identity-key-please-rotate"


@pytest.fixture(autouse=True)
async def fresh_rate_limits(db: Database) -> None:
    """Tests share one client address (127.0.0.1): start each with no counted requests."""
    await ratelimit.forget(ratelimit.client_key("127.0.0.1", "test-secret-key"))


async def staff_client(
    factory: Factory, committee: str, role: str = "democracy_law", **settings: object
) -> tuple[httpx.AsyncClient, Any]:
    """An API client of a new user, on an app built with ``settings``."""
    user = await factory.user(committee, role, second_factor=True)  # identity views need it
    client = factory.client(**settings)
    resp = await client.post("/api/v1/auth/login", json=factory.login_json(committee, user))
    resp.raise_for_status()
    client.headers["Authorization"] = f"Bearer {resp.json()['token']}"
    return client, user


def receipt_on(html: str) -> str:
    match = re.search(r'id="receipt-code"[^>]*>([A-Z2-7-]+)<', html)
    assert match, html[:2000]
    return match.group(1)


async def csrf_of(client: httpx.AsyncClient, path: str) -> tuple[str, str]:
    """GET a public form; return the CSRF token and the form's hidden submission token."""
    page = await client.get(path)
    assert page.status_code == 200, page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    return client.cookies.get("giamsat_csrf", ""), token.group(1) if token else ""


async def raw_rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    """Read behind the application's back, as the owner (the way a database thief would)."""
    if db.backend == "sqlite":
        path = db.owner_url.split("sqlite:///", 1)[1]
        with sqlite3.connect(path) as conn:
            return list(conn.execute(sql).fetchall())
    conn = await asyncpg.connect(db.owner_url)
    try:
        return [tuple(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()
