"""The one way a Signal row is written: together with its indicator rows, in one transaction.

Every insert path (intake's ``store_drafts``, the citizens' portal, the reports' sample data, the
benchmark loader, the tests' helpers) calls :func:`write_signals`, so no path can store a signal
whose indicators (tiêu chí) the reports would then miss. It must run inside the caller's
``tenant_scope``: that scope is the transaction, so a signal and its ``signal_indicator`` rows are
committed together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from giamsat.db.scope import active_tenant_path
from giamsat.errors import ConfigurationError, InvalidInput
from giamsat.signals.tables import Signal, SignalIndicator

#: Rows per INSERT statement: keeps every statement well under SQLite's and PostgreSQL's limits
#: on bound parameters (a signal row binds about twenty).
CHUNK = 500
CODE_LENGTH = 64


def indicator_codes_of(row: Signal) -> list[str]:
    """The distinct indicator codes a signal row names, in the order given.

    Piccolo keeps a JSON column's value as given (a list) or as its default (JSON text), so both
    are accepted; anything else is refused rather than silently counted as no indicator.
    """
    value: Any = row.indicator_codes
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"Danh sách tiêu chí không hợp lệ (indicator codes are not JSON): {exc.msg}",
                field="indicator_codes",
            ) from exc
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput(
            "Danh sách tiêu chí phải là một danh sách (indicator codes must be a list)",
            field="indicator_codes",
        )
    codes: list[str] = []
    for code in value:
        if not isinstance(code, str) or not code.strip() or len(code.strip()) > CODE_LENGTH:
            raise InvalidInput(
                f"Mã tiêu chí không hợp lệ: {code!r} (indicator code must be a non-empty text "
                f"of at most {CODE_LENGTH} characters)",
                field="indicator_codes",
            )
        if code.strip() not in codes:
            codes.append(code.strip())
    return codes


def _check_scope(rows: Sequence[Signal]) -> None:
    scope = active_tenant_path()
    if scope is None:
        raise ConfigurationError(
            "signals are written only inside a tenant_scope (their indicator rows must share "
            "the signal's transaction)"
        )
    for row in rows:
        path = row.tenant_path
        if not isinstance(path, str) or not path.startswith(scope):
            raise InvalidInput(
                f"Phản ánh của đơn vị {path!r} nằm ngoài phạm vi {scope!r} "
                "(signal outside the current committee's scope)",
                field="tenant_path",
            )


def _indicator_rows(row: Signal, codes: list[str]) -> list[SignalIndicator]:
    return [
        SignalIndicator(
            signal=row.id,
            tenant_path=row.tenant_path,
            code=code,
            channel=row.channel,
            received_on=row.received_on,
        )
        for code in codes
    ]


async def write_signals(rows: Sequence[Signal]) -> list[int]:
    """Insert ``rows`` (new Signal objects) and one ``signal_indicator`` row per distinct code
    of each; return the new signal ids in order (each row's ``id`` is set too).

    Every code is checked before anything is written, so a bad list refuses the whole batch.
    """
    if not rows:
        return []
    _check_scope(rows)
    codes = [indicator_codes_of(row) for row in rows]
    for row, own in zip(rows, codes, strict=True):
        row.indicator_codes = json.dumps(own, ensure_ascii=False)
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        batch = list(rows[start : start + CHUNK])
        await Signal.insert(*batch)
        ids.extend(int(row.id) for row in batch)
    indicators = [
        ind for row, own in zip(rows, codes, strict=True) for ind in _indicator_rows(row, own)
    ]
    for start in range(0, len(indicators), CHUNK):
        await SignalIndicator.insert(*indicators[start : start + CHUNK])
    return ids


async def write_signal(row: Signal) -> int:
    """:func:`write_signals` for one signal: its id."""
    return (await write_signals([row]))[0]
