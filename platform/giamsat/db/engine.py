"""Choose and bind the database engine from a URL (``sqlite:///path`` or ``postgresql://…``).

Tables find their engine through ``giamsat.piccolo_conf.DB`` (piccolo's engine finder) and through
``_meta.db``, which :func:`use_database` sets on every registered table, so one process can switch
databases (the tests run the same suite on SQLite and PostgreSQL).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from piccolo.engine.base import Engine as _Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from giamsat import piccolo_conf
from giamsat.errors import ConfigurationError

Engine = _Engine[Any]

#: Planner settings every PostgreSQL connection of the application carries (``bench/rls_cost.py``
#: measures both against the same queries without the policy):
#:
#: - a random page read costs 1.1 sequential ones, PostgreSQL's own advice for solid-state
#:   storage (the default, 4, models spinning disks). At 4 the planner preferred a heap scan that
#:   tests the row-level-security range on every row (two ``current_setting`` calls each) to the
#:   covering index that takes the range once, as its index condition: the city's count by
#:   channel cost 1.7x the same count without the policy;
#: - every statement is planned for its own values. The same statement reads one commune's rows
#:   or the whole city's; a cached generic plan, made without the values, estimated the city's
#:   300,000 signals at 625 and sorted them to group them.
PLANNER_SETTINGS: dict[str, str] = {
    "random_page_cost": "1.1",
    "plan_cache_mode": "force_custom_plan",
}


def make_engine(url: str) -> Engine:
    """Build (but do not connect) a piccolo engine for ``url``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = unquote(url.split("://", 1)[1])
        path = (
            raw_path[1:] if raw_path.startswith("/") and not raw_path.startswith("//") else raw_path
        )
        if raw_path.startswith("//"):
            path = raw_path[1:]
        if not path:
            raise ConfigurationError(f"SQLite URL needs a file path: {url!r}")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=path, timeout=30)
    if parts.scheme in {"postgresql", "postgres"}:
        dsn = url.replace("postgres://", "postgresql://", 1)
        return PostgresEngine(config={"dsn": dsn, "server_settings": dict(PLANNER_SETTINGS)})
    raise ConfigurationError(
        f"unsupported database URL {url.split('://', 1)[0]!r}: use sqlite:///path or postgresql://…"
    )


def is_postgres(engine: Engine | None = None) -> bool:
    return isinstance(engine or current_engine(), PostgresEngine)


def current_engine() -> Engine:
    engine = piccolo_conf.DB
    if engine is None:
        raise ConfigurationError("no database configured: call use_database() first")
    return engine


def use_database(url: str) -> Engine:
    """Make ``url`` the database of this process: piccolo's finder and every table use it."""
    os.environ.setdefault("PICCOLO_CONF", "giamsat.piccolo_conf")
    engine = make_engine(url)
    bind_engine(engine)
    return engine


def bind_engine(engine: Engine) -> None:
    """Point piccolo's finder, our tables and piccolo's own migration table at ``engine``."""
    from piccolo.apps.migrations.tables import Migration

    from giamsat.db.registry import all_tables

    piccolo_conf.DB = engine
    for table in [*all_tables(), Migration]:
        table._meta.db = engine  # type: ignore[attr-defined]


async def _keep_session(connection: Any) -> None:
    """What a connection needs on its way back to the pool: nothing more than asyncpg's own
    rollback of a transaction left open.

    asyncpg's default reset is one more round trip per acquisition (``pg_advisory_unlock_all();
    CLOSE ALL; UNLISTEN *; RESET ALL``), two per authenticated request (its session lookup and
    its scope). The platform leaves nothing in a session to reset: the tenant path is set with
    ``set_config(…, true)`` and locks are ``pg_advisory_xact_lock``, both ending with their
    transaction; nothing LISTENs, declares a cursor or SETs a session setting."""


async def start_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10, reset=_keep_session)


async def close_pool(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
