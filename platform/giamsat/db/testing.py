"""Support for test suites and benchmarks: throw-away databases on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

APP_ROLE = "giamsat_app"


def _with_database(server_url: str, name: str, user: str | None = None) -> str:
    parts = urlsplit(server_url)
    netloc = parts.netloc
    if user:
        netloc = f"{user}@{netloc.split('@', 1)[-1]}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", "", ""))


async def create_postgres_database(
    server_url: str, prefix: str = "giamsat_test"
) -> tuple[str, str]:
    """Create a fresh database; return (owner URL, application-role URL)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(_with_database(server_url, "postgres"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", APP_ROLE)
        if not exists:
            await conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
    finally:
        await conn.close()
    return _with_database(server_url, name), _with_database(server_url, name, APP_ROLE)


async def drop_postgres_database(server_url: str, owner_url: str) -> None:
    name = urlsplit(owner_url).path.lstrip("/")
    conn = await asyncpg.connect(_with_database(server_url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def postgres_reachable(server_url: str) -> str | None:
    """None when reachable, else the reason."""
    try:
        conn = await asyncpg.connect(_with_database(server_url, "postgres"), timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None
