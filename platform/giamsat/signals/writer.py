"""The one way a Signal row is written: together with its indicator rows, in one transaction.

Every insert path (intake's ``store_drafts``, the citizens' portal, the reports' sample data, the
tests' helpers) calls :func:`write_signals` (the national benchmark loads a million through
:func:`copy_signals`, the same rows by COPY as the owner), so no path can store a signal
whose indicators (tiêu chí) the reports would then miss. It must run inside the caller's
``tenant_scope``: that scope is the transaction, so a signal and its ``signal_indicator`` rows are
committed together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import msgspec

from giamsat.db.engine import is_postgres
from giamsat.db.scope import active_tenant_path
from giamsat.db.subtree import path_within
from giamsat.errors import ConfigurationError, InvalidInput
from giamsat.signals.tables import Signal, SignalIndicator
from giamsat.web.i18n import N_

#: Signals per PostgreSQL statement (columns travel as arrays, so bound parameters stay few).
PG_BATCH = 10_000
#: Indicator rows per SQLite statement (five bound parameters each, under SQLite's limit).
SQLITE_BATCH = 500
CODE_LENGTH = 64


class NewSignal(msgspec.Struct, frozen=True, kw_only=True):
    """A signal about to be stored: the Signal table's columns, without id and created_at."""

    committee: int
    tenant_path: str
    channel: str
    kind: str
    received_on: date
    form_id: str = ""
    cadre: int | None = None
    subject_text: str = ""
    indicator_codes: list[str] = []
    facts: dict[str, Any] = {}
    source: str = ""
    occurred_on: date | None = None
    anonymous: bool = False
    idempotency_key: str | None = None
    status: str = "received"
    case_id: int | None = None
    pack_version: str = ""
    submitted_by: int | None = None
    body: str = ""


COLUMNS = tuple(NewSignal.__struct_fields__)
JSON_COLUMNS = ("indicator_codes", "facts")
#: PostgreSQL array type of each column, for ``unnest``.
PG_TYPES = {
    "committee": "int",
    "cadre": "int",
    "case_id": "int",
    "submitted_by": "int",
    "received_on": "date",
    "occurred_on": "date",
    "anonymous": "bool",
}


def indicator_codes_of(value: Any) -> list[str]:
    """The distinct indicator codes of a signal's list, in the order given.

    Piccolo keeps a JSON column's value as given (a list) or as its default (JSON text), so both
    are accepted; anything else is refused rather than silently counted as no indicator.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                N_("The list of indicator codes cannot be read (it is not JSON)."),
                field="indicator_codes",
            ) from exc
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput(
            N_("The indicator codes must be given as a list."), field="indicator_codes"
        )
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or not code.strip() or len(code.strip()) > CODE_LENGTH:
            raise InvalidInput(
                N_(
                    "“%(code)s” is not an indicator code: a code is a text of 1 to %(n)s "
                    "characters."
                ),
                field="indicator_codes",
                params={"code": code, "n": CODE_LENGTH},
            )
        if code.strip() not in codes:
            codes.append(code.strip())
    return codes


def _json_object(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    if not isinstance(value, dict):
        raise InvalidInput(N_("The facts must be given as an object."), field="facts")
    return value


def new_signal(row: Signal | NewSignal) -> NewSignal:
    """``row`` as a checked :class:`NewSignal` (a piccolo row is read column by column)."""
    return new_signals([row])[0]


def _values_of(row: Signal | NewSignal) -> dict[str, Any]:
    if isinstance(row, NewSignal):
        values = msgspec.structs.asdict(row)
    else:
        values = {name: getattr(row, name) for name in COLUMNS}
    values["indicator_codes"] = indicator_codes_of(values["indicator_codes"])
    values["facts"] = _json_object(values["facts"])
    return values


def new_signals(rows: Sequence[Signal | NewSignal]) -> list[NewSignal]:
    """``rows`` as checked :class:`NewSignal` s, all checked in one conversion."""
    try:
        return msgspec.convert([_values_of(row) for row in rows], list[NewSignal])
    except msgspec.ValidationError as exc:
        raise InvalidInput(
            N_("The signal is not valid: %(problem)s"), params={"problem": str(exc)}
        ) from exc


def _check_scope(rows: Sequence[NewSignal]) -> None:
    scope = active_tenant_path()
    if scope is None:
        raise ConfigurationError(
            "signals are written only inside a tenant_scope (their indicator rows must share "
            "the signal's transaction)"
        )
    for row in rows:
        if not row.tenant_path.startswith(scope):
            raise InvalidInput(
                N_("The signal belongs to a committee outside this committee's scope."),
                field="tenant_path",
            )


#: ``json.dumps(value, ensure_ascii=False)``, without building an encoder for every value.
_json_text = json.JSONEncoder(ensure_ascii=False).encode


def _cell(signal: NewSignal, column: str) -> Any:
    value = getattr(signal, column)
    return _json_text(value) if column in JSON_COLUMNS else value


def _columns(signals: Sequence[NewSignal]) -> list[list[Any]]:
    """The signals' values column by column, in :data:`COLUMNS` order (JSON ones as text)."""
    columns = [list(c) for c in zip(*map(msgspec.structs.astuple, signals), strict=True)]
    for position in _JSON_POSITIONS:
        columns[position] = [_json_text(value) for value in columns[position]]
    return columns


_JSON_POSITIONS = tuple(COLUMNS.index(c) for c in JSON_COLUMNS)


def signal_values(signal: NewSignal) -> tuple[Any, ...]:
    """The stored values of ``signal``'s :data:`COLUMNS`, in order (JSON columns as text, as
    :func:`_cell` gives them)."""
    values = list(msgspec.structs.astuple(signal))
    for position in _JSON_POSITIONS:
        values[position] = _json_text(values[position])
    return tuple(values)


#: The columns of a ``signal_indicator`` row, as :func:`indicator_rows` gives them.
INDICATOR_COLUMNS = ("signal", "tenant_path", "code", "channel", "received_on")


def indicator_rows(
    signals: Sequence[NewSignal], ids: Sequence[int]
) -> list[tuple[int, str, str, str, date]]:
    """One ``signal_indicator`` row per distinct code of each (checked) signal, ``ids`` being
    the signals' ids: what :func:`write_signals` inserts, and what a bulk loader must copy."""
    return [
        (signal_id, s.tenant_path, code, s.channel, s.received_on)
        for s, signal_id in zip(signals, ids, strict=True)
        for code in s.indicator_codes
    ]


async def _insert_postgres(signals: Sequence[NewSignal], now: datetime) -> list[int]:
    """Set-based: ids drawn from the sequence first, so the order is known; then every column
    as one array, unnested into rows (an INSERT, so row-level security still checks each)."""
    rows = await Signal.raw(
        "SELECT nextval(pg_get_serial_sequence('signal', 'id')) AS id FROM generate_series(1, {})",
        len(signals),
    )
    ids = [int(r["id"]) for r in rows]
    arrays = [f"{{}}::{PG_TYPES.get(c, 'text')}[]" for c in ("id", *COLUMNS)]
    arrays[0] = "{}::bigint[]"
    values = ", ".join(f"u.{c}::json" if c in JSON_COLUMNS else f"u.{c}" for c in COLUMNS)
    await Signal.raw(
        f"INSERT INTO signal (id, {', '.join(COLUMNS)}, created_at) "
        f"SELECT u.id, {values}, {{}} FROM unnest({', '.join(arrays)}) "
        f"AS u(id, {', '.join(COLUMNS)})",
        now,  # the first placeholder in the text: created_at, before the arrays
        ids,
        *_columns(signals),
    )
    return ids


async def _insert_sqlite(signals: Sequence[NewSignal], now: datetime) -> list[int]:
    """One statement per signal: SQLite does not promise RETURNING's order for many rows, and
    inside the scope's transaction each insert is cheap."""
    sql = (
        f"INSERT INTO signal ({', '.join(COLUMNS)}, created_at) "
        f"VALUES ({', '.join('{}' for _ in range(len(COLUMNS) + 1))}) RETURNING id"
    )
    ids = []
    for signal in signals:
        rows = await Signal.raw(sql, *[_cell(signal, c) for c in COLUMNS], now)
        ids.append(int(rows[0]["id"]))
    return ids


async def _insert_indicators(signals: Sequence[NewSignal], ids: list[int]) -> None:
    rows = indicator_rows(signals, ids)
    head = 'INSERT INTO signal_indicator ("signal", tenant_path, code, channel, received_on) '
    if not rows:
        return
    if is_postgres():
        columns = list(zip(*rows, strict=True))
        await SignalIndicator.raw(
            head + "SELECT * FROM unnest({}::bigint[], {}::text[], {}::text[], {}::text[], "
            "{}::date[])",
            *[list(c) for c in columns],
        )
        return
    for start in range(0, len(rows), SQLITE_BATCH):
        batch = rows[start : start + SQLITE_BATCH]
        await SignalIndicator.raw(
            head + "VALUES " + ", ".join("({}, {}, {}, {}, {})" for _ in batch),
            *[value for row in batch for value in row],
        )


async def write_signals(rows: Sequence[Signal | NewSignal]) -> list[int]:
    """Insert ``rows`` and one ``signal_indicator`` row per distinct code of each; return the
    new signal ids in order (a piccolo row also gets its ``id``).

    Every row is checked before anything is written, so one bad row refuses the whole batch.
    """
    if not rows:
        return []
    signals = new_signals(rows)
    _check_scope(signals)
    now = datetime.now(UTC)
    ids: list[int] = []
    batch = PG_BATCH if is_postgres() else len(signals)
    for start in range(0, len(signals), batch):
        chunk = signals[start : start + batch]
        new_ids = await (_insert_postgres if is_postgres() else _insert_sqlite)(chunk, now)
        await _insert_indicators(chunk, new_ids)
        ids.extend(new_ids)
    for row, signal, signal_id in zip(rows, signals, ids, strict=True):
        if isinstance(row, Signal):
            row.id = signal_id
            row.indicator_codes = json.dumps(signal.indicator_codes, ensure_ascii=False)
            row._exists_in_db = True
    return ids


async def write_signal(row: Signal | NewSignal) -> int:
    """:func:`write_signals` for one signal: its id."""
    return (await write_signals([row]))[0]


async def rewrite_signal(signal_id: int, **changes: Any) -> None:
    """Change a stored signal (triage: its cadre, kind, indicators, facts, status) and rewrite
    its ``signal_indicator`` rows from the new codes, in the caller's scope and transaction.

    ``changes`` names columns of :class:`NewSignal` other than the signal's committee, path,
    channel and received date, which stay as stored.
    """
    fixed = {"committee", "tenant_path", "channel", "received_on"}
    unknown = sorted(set(changes) - set(COLUMNS) | (set(changes) & fixed))
    if unknown:
        raise ConfigurationError(
            N_("A rewrite may change only a signal's own columns, not %(columns)s."),
            params={"columns": ", ".join(unknown)},
        )
    scope = active_tenant_path()
    if scope is None:
        raise ConfigurationError("signals are rewritten only inside a tenant_scope")
    row = await Signal.objects().where(
        (Signal.id == signal_id) & path_within(Signal.tenant_path, scope)
    ).first()  # fmt: skip
    if row is None:
        raise InvalidInput(N_("There is no such signal here."), field="signal_id")
    current = msgspec.structs.asdict(new_signal(row))
    signal = new_signal(NewSignal(**(current | changes)))
    values = {getattr(Signal, c): _cell(signal, c) for c in changes}
    if values:
        await Signal.update(values).where(Signal.id == signal_id)
    if "indicator_codes" in changes:
        await SignalIndicator.delete().where(SignalIndicator.signal == signal_id)
        await _insert_indicators([signal], [signal_id])


#: Tables loaded in bulk: their secondary indexes are built after the rows are in.
BULK_TABLES = ("signal", "signal_indicator")


async def copy_signals(conn: asyncpg.Connection, picks: Sequence[NewSignal]) -> None:
    """Bulk-load signals into an empty-ish database with COPY, on ``conn`` connected as the
    database owner (benchmarks and load tests; never the application's path, which is
    :func:`write_signals` under row-level security): exactly the rows ``write_signals`` would
    write, each signal checked by :func:`new_signal` with its :func:`indicator_rows`, in one
    transaction.

    As any bulk load: the secondary indexes are dropped and built again afterwards (one sort
    each instead of a million random inserts), and the per-row foreign-key triggers are off
    while copying (``session_replication_role``), the keys being checked after, set-based."""
    signals = new_signals(picks)
    now = datetime.now(UTC)
    async with conn.transaction():
        indexes = await conn.fetch(
            "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS ddl "
            "FROM pg_index i WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary",
            list(BULK_TABLES),
        )
        for index in indexes:
            await conn.execute(f"DROP INDEX {index['name']}")
        await conn.execute("SET LOCAL session_replication_role = replica")
        first = int(await conn.fetchval("SELECT COALESCE(MAX(id), 0) + 1 FROM signal"))
        ids = range(first, first + len(signals))
        await conn.copy_records_to_table(
            "signal",
            records=((i, *signal_values(s), now) for i, s in zip(ids, signals, strict=True)),
            columns=["id", *COLUMNS, "created_at"],
        )
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('signal', 'id'), $1)", first + len(signals) - 1
        )
        await conn.copy_records_to_table(
            "signal_indicator",
            records=indicator_rows(signals, ids),
            columns=list(INDICATOR_COLUMNS),
        )
        await conn.execute("SET LOCAL session_replication_role = origin")
        broken = await conn.fetchval(
            "SELECT (SELECT COUNT(*) FROM signal s WHERE NOT EXISTS "
            "(SELECT 1 FROM committee c WHERE c.id = s.committee)) + "
            "(SELECT COUNT(*) FROM signal_indicator i WHERE NOT EXISTS "
            '(SELECT 1 FROM signal s WHERE s.id = i."signal"))'
        )
        if broken:
            raise RuntimeError(f"{broken} loaded rows name a committee or signal that is not there")
        await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for index in indexes:
            await conn.execute(index["ddl"])
