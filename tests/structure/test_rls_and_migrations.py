"""Row-level security covers every tenant table, and the migrations match the table classes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from giamsat.db.registry import tenant_owned_tables
from giamsat.db.testing import create_postgres_database, drop_postgres_database, postgres_reachable
from tests.conftest import PG_SERVER, ROOT, Database

MIGRATIONS = ROOT / "migrations"


@pytest.mark.postgres_only
async def test_every_tenant_table_has_the_forced_subtree_policy(db: Database) -> None:
    if db.backend != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    # given the registry's tenant tables and the migrated schema, read as its owner
    registered = {t._meta.tablename for t in tenant_owned_tables()}
    conn = await asyncpg.connect(db.owner_url)
    try:
        policies = {r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_policies WHERE schemaname = 'public'"
            " AND policyname = 'tenant_subtree'")}  # fmt: skip
        forced = {r["relname"] for r in await conn.fetch(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity"
            " AND relforcerowsecurity AND relnamespace = 'public'::regnamespace")}  # fmt: skip
        with_path = {r["table_name"] for r in await conn.fetch(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_name = 'tenant_path'")}  # fmt: skip
    finally:
        await conn.close()
    # then every one has the tenant_subtree policy and FORCE ROW LEVEL SECURITY
    assert registered, "the registry lists no tenant tables"
    assert sorted(registered - policies) == []
    assert sorted(registered - forced) == []
    # and every table of the schema with a tenant_path column is one of them
    assert sorted(with_path - registered) == []


def _giamsat(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIAMSAT_DATABASE_URL": url}
    env.pop("GIAMSAT_ADMIN_DATABASE_URL", None)
    command = [str(Path(sys.executable).with_name("giamsat")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_fresh_sqlite_migrates_with_no_drift(tmp_path: Path) -> None:
    # given a fresh SQLite file and the migrations folder as committed
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    before = set(MIGRATIONS.iterdir())
    # when it is migrated and piccolo compares the tables with the migrations
    migrated = _giamsat("db", "migrate", url=url)
    assert migrated.returncode == 0, migrated.stderr
    made = _giamsat("db", "makemigrations", "--desc", "drift check", url=url)
    written = set(MIGRATIONS.iterdir()) - before
    for path in written:  # a drift writes a migration file: it is this test's, not the tree's
        path.unlink()
    # then there is nothing to write
    assert made.returncode == 0, made.stderr
    assert "No changes detected" in made.stdout + made.stderr, (
        "table classes and migrations differ; run makemigrations and commit the file:\n"
        + made.stdout
    )
    assert written == set()


@pytest.mark.postgres_only
async def test_fresh_postgres_migrates() -> None:
    reason = await postgres_reachable(PG_SERVER)
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and unreachable: {reason}")
        pytest.skip(f"PostgreSQL unreachable: {reason}")
    # given a fresh, empty PostgreSQL database
    owner_url, _ = await create_postgres_database(PG_SERVER, prefix="giamsat_structure")
    try:
        # when `giamsat db migrate` runs against it
        migrated = _giamsat("db", "migrate", url=owner_url)
        # then it succeeds and leaves every registered table in place
        assert migrated.returncode == 0, migrated.stderr
        conn = await asyncpg.connect(owner_url)
        try:
            tables = {r["tablename"] for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}  # fmt: skip
        finally:
            await conn.close()
        assert sorted({t._meta.tablename for t in tenant_owned_tables()} - tables) == []
    finally:
        await drop_postgres_database(PG_SERVER, owner_url)
