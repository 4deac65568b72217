"""Replaying a cadre's signals from the database into the facts a pack evaluates.

The rule engine keeps no state between evaluations: every decision starts from the rows, so any
replica gives the same answer. Time windows ("2 reports within 90 days") are honoured by loading
the signals of the pack's widest window before the evaluated signal's receipt date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import msgspec

from giamsat.cases.statuses import TERMINAL_STATUSES
from giamsat.cases.tables import Case
from giamsat.db import bulk
from giamsat.rulepacks import CaseFacts, CompiledPack, Signal, Subject
from giamsat.rulepacks.facts import ManagingLevel, PositionKind, SignalFlag
from giamsat.signals.tables import Signal as SignalRow

DEFAULT_WINDOW_DAYS = 365
_FLAGS: tuple[str, ...] = get_args(SignalFlag)
_CLOSED = frozenset({*(s.value for s in TERMINAL_STATUSES), "merged"})


def window_days(compiled: CompiledPack) -> int:
    """The widest ``within N days`` of the pack, or a year when it counts without a window."""
    days = [c.within_days for c in compiled.counts if c.within_days is not None]
    return max(days) if days else DEFAULT_WINDOW_DAYS


def managing_level(value: str) -> ManagingLevel:
    """The register says ``residence``; packs say ``residence_party_cell`` (chi bộ nơi cư trú)."""
    mapped = "residence_party_cell" if value == "residence" else value
    if mapped not in get_args(ManagingLevel):
        raise ValueError(f"cadre managing level {value!r} is unknown to rule packs")
    return mapped  # type: ignore[return-value]


def _position(value: str) -> PositionKind:
    return value if value in get_args(PositionKind) else "cadre"  # type: ignore[return-value]


def json_value(value: Any) -> Any:
    """A JSON column's value (SQLite hands back the text, PostgreSQL the decoded value)."""
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def signal_facts(row: dict[str, Any]) -> dict[str, Any]:
    raw = row.get("facts")
    if not raw or raw == "{}":  # most signals: no marks (nothing to decode)
        return {}
    facts = json_value(raw) or {}
    return facts if isinstance(facts, dict) else {}


def signal_flags(row: dict[str, Any]) -> list[SignalFlag]:
    """Marks the receiving officer set on the signal (in its facts), plus anonymity."""
    facts = signal_facts(row)
    flags = [f for f in _FLAGS if f != "anonymous" and bool(facts.get(f))] if facts else []
    if row.get("anonymous") or facts.get("anonymous"):
        flags.append("anonymous")
    return flags  # type: ignore[return-value]


def to_signal(row: dict[str, Any], level: str) -> Signal:
    return Signal(
        id=str(row["id"]), channel=str(row["channel"]), kind=row["kind"],
        indicators=[str(c) for c in json_value(row.get("indicator_codes")) or []],
        received_on=row["received_on"], receiving_level=level, flags=signal_flags(row),
    )  # fmt: skip


async def window_signals(
    cadre_id: int, as_of: dt.date, days: int, include_id: int
) -> list[dict[str, Any]]:
    """The cadre's signals received in ``(as_of - days, as_of]``, leaving out those of cases
    already closed or merged (their matter is settled). Call inside a covering scope."""
    rows = await SignalRow.select(
        SignalRow.id, SignalRow.channel, SignalRow.kind, SignalRow.indicator_codes,
        SignalRow.facts, SignalRow.anonymous, SignalRow.received_on, SignalRow.case_id,
        SignalRow.committee.level.as_alias("level"),
    ).where(
        (SignalRow.cadre == cadre_id)
        & (SignalRow.received_on > as_of - dt.timedelta(days=days))
        & (SignalRow.received_on <= as_of)
    ).order_by(SignalRow.received_on).order_by(SignalRow.id)  # fmt: skip
    case_ids = sorted({r["case_id"] for r in rows if r["case_id"] is not None})
    settled: set[int] = set()
    if case_ids:
        cases = await Case.select(Case.id, Case.status).where(Case.id.is_in(case_ids))
        settled = {c["id"] for c in cases if c["status"] in _CLOSED}
    return [r for r in rows if r["id"] == include_id or r["case_id"] not in settled]


def case_facts(
    signal_id: int,
    as_of: dt.date,
    level: str,
    cadre: dict[str, Any],
    rows: list[dict[str, Any]],
    committee_path: str = "",
) -> CaseFacts:
    """Facts for deciding ``signal_id``: the cadre, the replayed signals, and the receiving
    committee's path (which lower committees' additions apply)."""
    subject = Subject(
        id=str(cadre["id"]), managing_level=managing_level(cadre["managing_level"]),
        is_party_member=bool(cadre["party_member"]), position=_position(cadre["position_kind"]),
    )  # fmt: skip
    return CaseFacts(
        case_id=f"signal-{signal_id}", as_of=as_of, receiving_level=level, subject=subject,
        signals=[r.get("as_signal") or to_signal(r, r["level"]) for r in rows],
        committee_path=committee_path,
    )  # fmt: skip


async def window_signals_of(
    cadre_ids: list[int], since: dt.date, until: dt.date
) -> dict[int, list[dict[str, Any]]]:
    """Every signal of these cadres received in ``(since, until]``, by cadre, in received
    order, each with its committee's level, its case's status (``case_status``) and its fact
    (``as_signal``, built once for every replay that holds it): one query
    for a whole batch, split by :func:`window_of`. Call inside a covering scope."""
    if not cadre_ids:
        return {}
    rows = await bulk.fetch_any(
        "SELECT s.id, s.cadre, s.channel, s.kind, s.indicator_codes, s.facts, s.anonymous, "
        "s.received_on, s.case_id, k.level AS level "
        "FROM signal s JOIN committee k ON k.id = s.committee "
        "WHERE " + bulk.ids_condition("s.cadre", cadre_ids)
        + " AND s.received_on > $2 AND s.received_on <= $3 "
        "ORDER BY s.cadre, s.received_on, s.id",
        cadre_ids, since, until,
    )  # fmt: skip
    # the cases' statuses apart: joined, a planner without statistics yet (tables just filled)
    # loops over every case for every signal
    case_ids = sorted({int(r["case_id"]) for r in rows if r["case_id"] is not None})
    statuses = {int(c["id"]): c["status"] for c in await bulk.fetch_any(
        "SELECT id, status FROM supervision_case WHERE " + bulk.ids_condition("id", case_ids),
        case_ids)} if case_ids else {}  # fmt: skip
    by_cadre: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        row["case_status"] = statuses.get(row["case_id"]) if row["case_id"] is not None else None
        if isinstance(row["received_on"], str):  # a raw SQLite read hands back the text
            row["received_on"] = dt.date.fromisoformat(row["received_on"])
        try:  # once, however many replays hold it (a bad row fails its replays only)
            row["as_signal"] = to_signal(row, row["level"])
        except (ValueError, TypeError, msgspec.DecodeError):
            row["as_signal"] = None
        by_cadre.setdefault(int(row["cadre"]), []).append(row)
    return by_cadre


def window_of(
    rows: list[dict[str, Any]], as_of: dt.date, days: int, include_id: int
) -> list[dict[str, Any]]:
    """:func:`window_signals` of one signal taken from the cadre's rows of
    :func:`window_signals_of` (the same rows, the same order)."""
    since = as_of - dt.timedelta(days=days)
    return [
        r for r in rows
        if since < r["received_on"] <= as_of
        and (r["id"] == include_id or r["case_id"] is None or r["case_status"] not in _CLOSED)
    ]  # fmt: skip
