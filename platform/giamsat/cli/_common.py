"""Helpers shared by the CLI modules: settings, the database, clean error exits."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import asyncpg
import click

from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.errors import GiamsatError
from giamsat.settings import Settings, load_settings
from giamsat.web.i18n import Translator

P = ParamSpec("P")
T = TypeVar("T")


def said(exc: GiamsatError) -> str:
    """A platform error as the CLI says it: in Vietnamese, like the CLI's own words."""
    return Translator("vi").gettext(exc.template, **exc.params)


def settings(*, require_secret: bool = False) -> Settings:
    try:
        return load_settings(require_secret=require_secret)
    except GiamsatError as exc:
        raise click.ClickException(exc.message) from exc


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro``; a platform error becomes a one-line message and exit status 1."""
    try:
        return asyncio.run(coro)
    except GiamsatError as exc:
        raise click.ClickException(said(exc)) from exc
    except (sqlite3.OperationalError, asyncpg.UndefinedTableError) as exc:
        if "no such table" in str(exc) or isinstance(exc, asyncpg.UndefinedTableError):
            raise click.ClickException(
                f"the database has no schema yet ({exc}): run `giamsat db migrate` first"
            ) from exc
        raise click.ClickException(f"database error: {exc}") from exc
    except (OSError, asyncpg.PostgresError) as exc:
        raise click.ClickException(
            f"cannot use the database ({type(exc).__name__}: {exc}); check GIAMSAT_DATABASE_URL"
        ) from exc


async def with_database(url: str, work: Callable[[], Awaitable[T]]) -> T:
    engine = use_database(url)
    await start_pool(engine)
    try:
        return await work()
    finally:
        await close_pool(engine)


def async_command(func: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return run(func(*args, **kwargs))

    return wrapper
