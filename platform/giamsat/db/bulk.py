"""Set-based SQL for hot paths: many rows per statement, on the connection of the open scope.

The ORM builds one statement per row and one dict per value; deciding a thousand signals at a
time needs one statement per table instead. These helpers run plain SQL on the connection of the
caller's open transaction (so the tenant scope, its ``app.tenant_path`` and row-level security
apply as to any query), written once for both backends:

* :func:`fetch` / :func:`execute`: ``$1``-style placeholders (SQLite reads them as ``?1``);
* :func:`insert_rows`: PostgreSQL inserts every row in one ``INSERT … SELECT FROM unnest(…)``,
  SQLite in multi-row ``VALUES`` (both ``RETURNING`` what is asked);
* :func:`update_rows`: PostgreSQL updates from ``unnest(…)`` in one statement, SQLite runs
  ``executemany``;
* :func:`ids_condition` with :func:`fetch_any`: "the value is one of these" (``= ANY($1)`` on
  PostgreSQL, an ``IN`` list on SQLite).

Values are what the ORM would pass: JSON as its text, dates and times as Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from giamsat.db.engine import current_engine, is_postgres

_PLACEHOLDER = re.compile(r"\$(\d+)")
#: SQLite's limit of bound values per statement is 32,766; stay well below it.
_SQLITE_VALUES = 30_000


class Column:
    """A column written by :func:`insert_rows` / :func:`update_rows` and its PostgreSQL type
    (``json`` columns travel as text and are cast)."""

    __slots__ = ("name", "pg_type")

    def __init__(self, name: str, pg_type: str) -> None:
        self.name = name
        self.pg_type = pg_type

    def array_type(self) -> str:
        return "text[]" if self.pg_type == "json" else f"{self.pg_type}[]"

    def select(self, alias: str) -> str:
        return f"{alias}::json" if self.pg_type == "json" else alias


def _connection() -> Any:
    transaction = current_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("set-based SQL runs inside an open scope (tenant_scope/system_scope)")
    return transaction.connection


def _sqlite(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows of ``sql`` as dicts (``$1``… placeholders)."""
    conn = _connection()
    if is_postgres():
        return [dict(r) for r in await conn.fetch(sql, *args)]
    cursor = await conn.execute(_sqlite(sql), args)
    rows = await cursor.fetchall()
    await cursor.close()
    return [dict(r) for r in rows]


async def execute(sql: str, *args: Any) -> None:
    conn = _connection()
    if is_postgres():
        await conn.execute(sql, *args)
    else:
        await (await conn.execute(_sqlite(sql), args)).close()


async def fetch_any(sql: str, values: Sequence[Any], *args: Any) -> list[dict[str, Any]]:
    """Rows of ``sql`` whose list condition is made by :func:`ids_condition`, and the other
    values after it (``$2``… on PostgreSQL; SQLite binds them after the list)."""
    if is_postgres():
        return await fetch(sql, list(values), *args)
    # SQLite: ``?`` markers of the list first, then the numbered ones shifted past them
    shift = len(values)
    text = _PLACEHOLDER.sub(lambda m: f"?{int(m.group(1)) - 1 + shift}", sql)
    counter = iter(range(1, shift + 1))
    text = re.sub(r"\?\{ids\}", lambda _: f"?{next(counter)}", text)
    conn = _connection()
    cursor = await conn.execute(text, [*values, *args])
    rows = await cursor.fetchall()
    await cursor.close()
    return [dict(r) for r in rows]


def ids_condition(column: str, values: Sequence[Any], pg_type: str = "int") -> str:
    """``column`` is one of the values bound by :func:`fetch_any` (always its first value)."""
    if is_postgres():
        return f"{column} = ANY($1::{pg_type}[])"
    if not values:
        return "0 = 1"
    return f"{column} IN ({', '.join('?{ids}' for _ in values)})"


async def next_ids(table: str, n: int) -> list[int]:
    """``n`` ids of ``table``'s own ``id`` sequence, ascending (PostgreSQL only): rows inserted
    with them need no ``RETURNING`` and can be referred to before they are written."""
    rows = await fetch(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id "
        "FROM generate_series(1, $1) ORDER BY 1",
        n,
    )
    return [int(r["id"]) for r in rows]


async def insert_rows(
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Insert ``rows`` (values in ``columns``' order); the ``returning`` columns of every row."""
    if not rows:
        return []
    names = ", ".join(f'"{c.name}"' for c in columns)
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    conn = _connection()
    if is_postgres():
        arrays = ", ".join(f"${i + 1}::{c.array_type()}" for i, c in enumerate(columns))
        aliases = [f"v{i}" for i in range(len(columns))]
        select = ", ".join(c.select(a) for c, a in zip(columns, aliases, strict=True))
        sql = (f"INSERT INTO {table} ({names}) SELECT {select} "
               f"FROM unnest({arrays}) AS u({', '.join(aliases)}){back}")  # fmt: skip
        values = [[row[i] for row in rows] for i in range(len(columns))]
        if returning:
            return [dict(r) for r in await conn.fetch(sql, *values)]
        await conn.execute(sql, *values)
        return []
    per = max(1, _SQLITE_VALUES // len(columns))
    marks = "(" + ", ".join("?" for _ in columns) + ")"
    out: list[dict[str, Any]] = []
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        sql = f"INSERT INTO {table} ({names}) VALUES {', '.join(marks for _ in chunk)}{back}"
        cursor = await conn.execute(sql, [v for row in chunk for v in row])
        if returning:
            out.extend(dict(r) for r in await cursor.fetchall())
        await cursor.close()
    return out


async def update_rows(
    table: str,
    key: Column,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Set ``columns`` of the row whose ``key`` is each row's first value (then the columns'
    values in order)."""
    if not rows:
        return
    conn = _connection()
    if is_postgres():
        every = [key, *columns]
        arrays = ", ".join(f"${i + 1}::{c.array_type()}" for i, c in enumerate(every))
        aliases = [f"v{i}" for i in range(len(every))]
        sets = ", ".join(f'"{c.name}" = {c.select(f"u.v{i + 1}")}' for i, c in enumerate(columns))
        sql = (f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS u({', '.join(aliases)}) "
               f'WHERE {table}."{key.name}" = u.v0')  # fmt: skip
        await conn.execute(sql, *[[row[i] for row in rows] for i in range(len(every))])
        return
    sets = ", ".join(f'"{c.name}" = ?' for c in columns)
    sql = f'UPDATE {table} SET {sets} WHERE "{key.name}" = ?'
    await conn.executemany(sql, [[*row[1:], row[0]] for row in rows])
