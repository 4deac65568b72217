"""The tenant scope: every query of a request runs in one transaction that knows its committee.

On PostgreSQL the scope sets ``app.tenant_path`` with ``set_config(…, true)`` (transaction-local,
never a session-level ``SET`` that would leak through the pool); the row-level security policies
read it. A query issued without any scope sees no tenant-owned row at all.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from giamsat.db.engine import current_engine, is_postgres

#: The path that sees every committee: used only by system work (imports, sweeps, login lookup).
SYSTEM_PATH = "/"

_active_path: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "giamsat_tenant_path", default=None
)
#: Work the outermost open scope runs just before it commits (see :func:`before_commit`).
_commit_hooks: contextvars.ContextVar[list[Callable[[], Awaitable[None]]] | None] = (
    contextvars.ContextVar("giamsat_commit_hooks", default=None)
)


async def _set_tenant_path(path: str) -> None:
    from giamsat.tenancy.tables import Committee

    await Committee.raw("SELECT set_config('app.tenant_path', {}, true)", path)


@asynccontextmanager
async def tenant_scope(path: str) -> AsyncIterator[None]:
    """Run the enclosed queries in one transaction scoped to ``path`` and its subtree.

    On PostgreSQL every statement is planned for its own values (the connections'
    ``plan_cache_mode``, :data:`giamsat.db.engine.PLANNER_SETTINGS`): a prepared statement run a
    sixth time may otherwise get a generic plan, made without the values, which knows neither
    how many ids an array holds nor how much of the tree the scope's subtree is (deciding
    batches of 1,000 signals, the reads by id went from 1.5 ms to 70–150 ms from the sixth
    batch on)."""
    if not path.startswith("/") or not path.endswith("/"):
        raise ValueError(f"tenant path must start and end with '/': {path!r}")
    engine = current_engine()
    outer = _active_path.get()
    token = _active_path.set(path)
    hooks: list[Callable[[], Awaitable[None]]] = []
    hooks_token = _commit_hooks.set(hooks) if outer is None else None
    try:
        if isinstance(engine, SQLiteEngine):
            transaction = engine.transaction(transaction_type=TransactionType.immediate)
        else:
            transaction = engine.transaction()
        async with transaction:
            if is_postgres(engine):
                await _set_tenant_path(path)
            try:
                yield
                while hooks:
                    await hooks.pop(0)()
            finally:
                if outer is not None and outer != path and is_postgres(engine):
                    await _set_tenant_path(outer)
    finally:
        _active_path.reset(token)
        if hooks_token is not None:
            _commit_hooks.reset(hooks_token)


def before_commit(hook: Callable[[], Awaitable[None]]) -> None:
    """Run ``hook`` at the end of the outermost open scope, inside its transaction, just before
    it commits (never when the scope fails). Work that serialises writers (the audit chain's
    append) goes here, so its lock is held only from the append to the commit."""
    hooks = _commit_hooks.get()
    if hooks is None:
        raise RuntimeError("before_commit needs an open tenant scope")
    hooks.append(hook)


def system_scope() -> AbstractAsyncContextManager[None]:
    """A scope over the whole tree, for work that belongs to no single committee."""
    return tenant_scope(SYSTEM_PATH)


def active_tenant_path() -> str | None:
    return _active_path.get()
