"""The tenant scope: every query of a request runs in one transaction that knows its committee.

On PostgreSQL the scope sets ``app.tenant_path`` with ``set_config(…, true)`` (transaction-local,
never a session-level ``SET`` that would leak through the pool); the row-level security policies
read it. A query issued without any scope sees no tenant-owned row at all.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from giamsat.db.engine import current_engine, is_postgres

#: The path that sees every committee: used only by system work (imports, sweeps, login lookup).
SYSTEM_PATH = "/"

_active_path: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "giamsat_tenant_path", default=None
)


async def _set_tenant_path(path: str) -> None:
    from giamsat.tenancy.tables import Committee

    await Committee.raw("SELECT set_config('app.tenant_path', {}, true)", path)


@asynccontextmanager
async def tenant_scope(path: str) -> AsyncIterator[None]:
    """Run the enclosed queries in one transaction scoped to ``path`` and its subtree."""
    if not path.startswith("/") or not path.endswith("/"):
        raise ValueError(f"tenant path must start and end with '/': {path!r}")
    engine = current_engine()
    outer = _active_path.get()
    token = _active_path.set(path)
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
            finally:
                if outer is not None and outer != path and is_postgres(engine):
                    await _set_tenant_path(outer)
    finally:
        _active_path.reset(token)


def system_scope() -> AbstractAsyncContextManager[None]:
    """A scope over the whole tree, for work that belongs to no single committee."""
    return tenant_scope(SYSTEM_PATH)


def active_tenant_path() -> str | None:
    return _active_path.get()
