"""Helpers of the audit tests: a committee's context, and SQL run as the table owner."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg
import pytest

from giamsat.accounts.schemas import UserView
from giamsat.audit.postgres import postgres_statements
from giamsat.db.scope import system_scope
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.tables import Committee
from tests.conftest import Database


async def context_for(code: str, user: UserView | None = None) -> TenantContext:
    async with system_scope():
        row = await Committee.select().where(Committee.code == code).first()
    assert row is not None, code
    return TenantContext(
        committee_id=row["id"], committee_code=code, committee_name=row["name"],
        committee_level=row["level"], path=row["path"], user_id=user.id if user else None,
        username=user.username if user else None, role=user.role if user else None,
    )  # fmt: skip


async def as_owner(db: Database, sql: str, *args: Any) -> None:
    """Run SQL behind the application's back, as the owner (the way a tamperer would)."""
    if db.backend == "sqlite":
        path = db.owner_url.split("sqlite:///", 1)[1]
        with sqlite3.connect(path) as conn:
            conn.execute(sql.replace("$1", "?").replace("$2", "?"), args)
        return
    conn = await asyncpg.connect(db.owner_url)
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


@pytest.fixture
async def append_only(db: Database) -> Database:
    """The audit table as the migrate step leaves it (the trigger on PostgreSQL)."""
    if db.backend == "postgres":
        for statement in postgres_statements():
            await as_owner(db, statement)
    return db
