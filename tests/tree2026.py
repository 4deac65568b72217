"""The 2026 tree: Hà Nội on today's two-level register, with its 2026 plan published.

Since 1 July 2025 Vietnam has two levels of local government (34 provinces, 3,321 communes, no
districts). The session's ``database`` (tests/conftest.py) keeps the 2023 tree of the 2022 plan
(city → 30 districts → 579 communes): the history. This module builds the other one, through
the product's own services (what ``giamsat tenants import``, ``giamsat tenants reorganise`` and
``giamsat rules publish`` call):

1. migrate (as the owner; on PostgreSQL the tests then connect as ``giamsat_app``, so
   row-level security is in force);
2. import Hà Nội (01) from ``tenants/register/vn-admin-units-2023.csv``;
3. reorganise it onto the register of 1 January 2025, then onto that of 1 July 2025: the city
   and its 126 communes and wards are in force, the 30 districts and 579 communes of 2023 are
   history (ended 30 June 2025, with their successions);
4. import Thành phố Huế (46) from the 2025-07 register: another province, for the "the others
   see nothing" checks;
5. publish ``rules/2026-ha-noi`` for the city, in force from 1 January 2026.

It is built once per backend per session (a template: an SQLite file, a PostgreSQL database);
each module that asks for ``tree2026`` gets its own copy (a file copy; ``CREATE DATABASE …
TEMPLATE``), so a module may write freely. Building takes a few seconds; a copy well under one.

Use::

    async def test_something(tree2026: Database) -> None:
        tree2026.bind()                      # tables now read and write the 2026 database
        factory = Factory(tree2026)          # clients of the app on it
        ward = await context_for(WARD)       # Phường Ba Đình, under the city

(``tests/integration/decisions/conftest.py`` wraps it in a ``tree`` fixture that runs a journey
over both trees.) The ``db`` fixture binds the session's 2023 database again for the next test.
Under ``CI=true`` an unreachable PostgreSQL fails, as for ``database``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from giamsat.db.engine import close_pool, start_pool
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from tests.conftest import PG_SERVER, REGISTER, ROOT, Database

CITY = "01"  # Thành phố Hà Nội
WARD = "00004"  # Phường Ba Đình (in 2023 the code of Phường Trúc Bạch, Quận Ba Đình)
SIBLING = "00008"  # Phường Ngọc Hà, another ward of the city
OTHER_PROVINCE = "46"  # Thành phố Huế
OTHER_COMMUNE = "19753"  # Phường Phú Xuân, Thành phố Huế
PACK = ROOT / "rules" / "2026-ha-noi"
PACK_FROM = dt.date(2026, 1, 1)

__all__ = [
    "CITY",
    "OTHER_COMMUNE",
    "OTHER_PROVINCE",
    "PACK_FROM",
    "SIBLING",
    "WARD",
    "build_tree2026",
    "copy_of",
    "template_for",
]


async def build_tree2026(db: Database) -> None:
    """Fill a migrated, bound database with the 2026 tree and plan (steps 2 to 5 above)."""
    from giamsat.plans.service import publish
    from giamsat.tenancy.register import REGISTERS, read_register
    from giamsat.tenancy.reorganising import apply
    from giamsat.tenancy.service import import_units

    await import_units(read_register(REGISTER, CITY), with_central=False)
    for register, effective in (("2025-01", dt.date(2025, 1, 1)), ("2025-07", dt.date(2025, 7, 1))):
        await apply(REGISTERS[register], effective, CITY, {}, "tests.tree2026")
    july = REGISTERS["2025-07"]
    await import_units(
        read_register(july.path, OTHER_PROVINCE), with_central=False, register=july.id
    )
    await publish(PACK, CITY, PACK_FROM)


async def template_for(backend: str, workdir: Path) -> Database:
    """Build the template of ``backend`` (its engine closed: only copies are used)."""
    if backend == "sqlite":
        owner_url = url = f"sqlite:///{workdir / 'tree2026-template.sqlite'}"
    else:
        owner_url, url = await create_postgres_database(PG_SERVER, prefix="giamsat_tree2026")
    await migrate(owner_url, app_role_of(url, owner_url))
    template = Database(backend=backend, url=url, owner_url=owner_url)
    engine = template.bind()
    await start_pool(engine)
    try:
        await build_tree2026(template)
    finally:
        await close_pool(engine)
    template.engine = None
    return template


async def copy_of(template: Database, workdir: Path, name: str) -> Database:
    """A fresh database holding what the template holds."""
    if template.backend == "sqlite":
        source = Path(urlsplit(template.url).path)
        target = workdir / f"{name}.sqlite"
        shutil.copyfile(source, target)
        url = f"sqlite:///{target}"
        return Database(backend="sqlite", url=url, owner_url=url)
    owner_url, url = await create_postgres_database(PG_SERVER, prefix="giamsat_tree2026")
    new = urlsplit(owner_url).path.lstrip("/")
    old = urlsplit(template.owner_url).path.lstrip("/")
    conn = await asyncpg.connect(PG_SERVER)
    try:  # the database created empty is replaced by a copy of the template
        await conn.execute(f'DROP DATABASE "{new}"')
        await conn.execute(f'CREATE DATABASE "{new}" TEMPLATE "{old}"')
    finally:
        await conn.close()
    return Database(backend="postgres", url=url, owner_url=owner_url)


async def drop(db: Database) -> None:
    if db.backend == "postgres":
        await drop_postgres_database(PG_SERVER, db.owner_url)


async def session_template(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    template = await template_for(backend, tmp_path_factory.mktemp("tree2026"))
    yield template
    await drop(template)


async def module_copy(
    template: Database, tmp_path_factory: pytest.TempPathFactory, name: str
) -> AsyncIterator[Database]:
    copy = await copy_of(template, tmp_path_factory.mktemp("tree2026-copy"), name)
    engine = copy.bind()
    await start_pool(engine)
    try:
        yield copy
    finally:
        await close_pool(engine)
        await drop(copy)
