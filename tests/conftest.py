"""Test-suite wiring: every database test runs on SQLite and on real PostgreSQL.

``database`` is parametrised per session (pytest groups the tests by backend). On PostgreSQL the
schema is migrated as the owner and the tests connect as the non-owner ``giamsat_app`` role, so
row-level security is always in force. Under ``CI=true`` an unreachable PostgreSQL is a failure.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from piccolo.engine.base import Engine

from giamsat.db.engine import bind_engine, close_pool, start_pool, use_database
from giamsat.db.migrate import migrate
from giamsat.db.testing import create_postgres_database, drop_postgres_database, postgres_reachable
from giamsat.settings import Settings
from tests.factories import Factory

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tenants" / "register" / "vn-admin-units-2023.csv"
PG_SERVER = os.environ.get("GIAMSAT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


class Database(msgspec.Struct):
    backend: str
    url: str
    owner_url: str
    engine: Engine | None = None

    def bind(self) -> Engine:
        if self.engine is None:
            self.engine = use_database(self.url)
        bind_engine(self.engine)
        return self.engine

    def settings(self, **overrides: object) -> Settings:
        base = Settings(
            database_url=self.url,
            admin_database_url=self.owner_url,
            secret_key="test-secret-key",
            identity_key="",
            secure_cookies=False,  # the test clients speak plain http to "testserver"
        )
        return msgspec.structs.replace(base, **overrides) if overrides else base


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
async def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    from giamsat.db.migrate import app_role_of
    from giamsat.tenancy.register import read_register
    from giamsat.tenancy.service import import_units

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'giamsat.sqlite'}"
        owner_url = url
    else:
        reason = await postgres_reachable(PG_SERVER)
        if reason:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required under CI and unreachable: {reason}")
            pytest.skip(f"PostgreSQL unreachable: {reason}")
        owner_url, url = await create_postgres_database(PG_SERVER)
    await migrate(owner_url, app_role_of(url, owner_url))
    db = Database(backend=request.param, url=url, owner_url=owner_url)
    engine = db.bind()
    await start_pool(engine)
    await import_units(read_register(REGISTER, "01"), with_central=False)
    yield db
    await close_pool(engine)
    if request.param == "postgres":
        await drop_postgres_database(PG_SERVER, owner_url)


@pytest.fixture(scope="session")
async def tree2026_template(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    """The 2026 tree of ``database``'s backend, built once per session (tests/tree2026.py)."""
    from tests.tree2026 import session_template

    async for template in session_template(database.backend, tmp_path_factory):
        yield template
    database.bind()


@pytest.fixture(scope="module")
async def tree2026(
    database: Database,
    tree2026_template: Database,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Database]:
    """This module's own copy of the 2026 tree: Hà Nội on the register of 1 July 2025 (city →
    126 communes and wards), Thành phố Huế beside it, ``rules/2026-ha-noi`` published for the
    city from 2026-01-01 (tests/tree2026.py). Call ``.bind()`` in each test that uses it."""
    from tests.tree2026 import module_copy

    name = request.module.__name__.rsplit(".", 1)[-1]
    async for copy in module_copy(tree2026_template, tmp_path_factory, name):
        yield copy
    database.bind()


@pytest.fixture
async def db(database: Database) -> Database:
    """The session's database, bound for this test (the Hà Nội 2022 tree is loaded)."""
    database.bind()
    return database


@pytest.fixture
def factory(db: Database) -> Factory:
    return Factory(db)
