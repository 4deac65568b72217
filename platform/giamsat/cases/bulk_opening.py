"""Opening cases and attaching signals for a whole batch of decisions, set-based.

The same rows as :func:`giamsat.cases.opening.open_case` and
:func:`~giamsat.cases.opening.attach_signal` write one decision at a time (case, clock, findings,
history event, audit entry and notification of each opened case; findings and history event of
each attached signal), written table by table, each in one statement, inside the caller's one
scope. On PostgreSQL :func:`lock_cadres` first takes the per-cadre lock ``open_case_about``
takes, for every cadre of the batch in cadre order (two replicas deciding overlapping batches
never wait on each other in a circle), so "is there an open case?" and opening one stay one
step. The caller links the signals (their status, case and pack version in one statement).
The due dates come from one index of working days for the whole batch
(:meth:`~giamsat.calendar.working_calendar.WorkingCalendar.due_dates`); on PostgreSQL the cases'
ids are taken from their sequence first, so each case is inserted with its number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec

from giamsat.audit.service import AuditItem, record_many
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.opening import _CASE_LOCK, _check_findings, clock_length
from giamsat.cases.policy import CasePolicy, CommitteeNode
from giamsat.cases.schemas import OpenCase
from giamsat.cases.statuses import Status
from giamsat.db import bulk
from giamsat.db.engine import is_postgres
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import RoleNotice, notify_roles

_C = bulk.Column
_CASE_COLUMNS = [
    _C("committee", "int"), _C("tenant_path", "text"), _C("origin_path", "text"),
    _C("number", "text"), _C("cadre", "int"), _C("subject_name", "text"), _C("title", "text"),
    _C("status", "text"), _C("priority", "text"), _C("complex_case", "bool"),
    _C("managing_level", "text"), _C("pack_version", "text"), _C("fired_rules", "json"),
    _C("policy", "json"), _C("received_on", "date"), _C("due_on", "date"),
    _C("escalated", "bool"), _C("opened_at", "timestamptz"),
]  # fmt: skip
_CLOCK_COLUMNS = [
    _C("case", "int"), _C("tenant_path", "text"), _C("clock_days", "int"),
    _C("paused_days", "int"), _C("follow_up_of", "int"),
]  # fmt: skip
_FINDING_COLUMNS = [
    _C("case", "int"), _C("tenant_path", "text"), _C("indicator", "text"),
    _C("signal_id", "int"), _C("rule_id", "text"), _C("created_at", "timestamptz"),
]  # fmt: skip
_EVENT_COLUMNS = [
    _C("case", "int"), _C("tenant_path", "text"), _C("at", "timestamptz"), _C("actor", "int"),
    _C("action", "text"), _C("from_status", "text"), _C("to_status", "text"),
    _C("reason", "text"), _C("details", "json"),
]  # fmt: skip
_OPEN = ("closed", "merged")
_ROLES = ("democracy_law", "standing_board")
_NEW_CASE = Title(vi="Vụ việc mới cần xử lý", en="A new case to handle")


def _json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


class NewCase(msgspec.Struct, frozen=True, kw_only=True):
    """A case the pack opens: where it goes, from where, what it holds, what it allows later."""

    owner: CommitteeNode
    origin: CommitteeNode
    data: OpenCase
    policy: CasePolicy | None = None


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """A decided signal joining an open case (its new findings and a history event)."""

    case_id: int
    owner: CommitteeNode
    signal_id: int
    findings: list[str]
    rule_ids: list[str]
    pack_version: str


async def lock_cadres(cadre_ids: Sequence[int]) -> None:
    """On PostgreSQL, the per-cadre transaction locks of ``open_case_about``, in cadre order."""
    if is_postgres() and cadre_ids:
        await bulk.execute(
            "SELECT pg_advisory_xact_lock($1, x) FROM unnest($2::int[]) AS x ORDER BY x",
            _CASE_LOCK, sorted({int(c) for c in cadre_ids}),
        )  # fmt: skip


async def open_cases_about(cadre_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """(cadre, owning committee) → the newest open case about the cadre there (what
    ``open_case_about`` finds), for every cadre of the batch in one query."""
    if not cadre_ids:
        return {}
    rows = await bulk.fetch_any(
        "SELECT id, cadre, committee FROM supervision_case WHERE "
        + bulk.ids_condition("cadre", list(cadre_ids))
        + " AND closed_at IS NULL AND merged_into IS NULL AND status <> $2 AND status <> $3"
        " ORDER BY id",
        list(cadre_ids), *_OPEN,
    )  # fmt: skip
    return {(int(r["cadre"]), int(r["committee"])): int(r["id"]) for r in rows}


async def open_cases(cases: Sequence[NewCase]) -> list[int]:
    """Open every case (inside the caller's scope, which covers their owners and origins);
    their ids in order. At most one new case per (cadre, owner)."""
    if not cases:
        return []
    calendar = await working_calendar()
    now = dt.datetime.now(dt.UTC)
    checked = [_check_findings(new.data.findings) for new in cases]
    lengths = [clock_length(new.data.clock_days, new.data.complex_case) for new in cases]
    dues = calendar.due_dates([(new.data.received_on, days)
                               for new, days in zip(cases, lengths, strict=True)])  # fmt: skip
    extras = list(zip(checked, lengths, dues, strict=True))
    # PostgreSQL: the ids first (one ``nextval`` per case), so each row goes in with its
    # number; SQLite: the rows, then their numbers from the ids they were given
    ids = await bulk.next_ids("supervision_case", len(cases)) if is_postgres() else []
    rows, received = [], Status.RECEIVED.value
    for at, (new, (_, _, due)) in enumerate(zip(cases, extras, strict=True)):
        data, owner = new.data, new.owner
        number = f"{data.received_on.year}/{owner.code}/{ids[at]}" if ids else ""
        rows.append([
            owner.id, owner.path, new.origin.path, number, data.cadre_id,
            data.subject_name.strip(), data.title.strip(), received, data.priority,
            data.complex_case, data.managing_level, data.pack_version, _json(data.fired_rules),
            _json(new.policy) if new.policy is not None else "{}", data.received_on, due, False,
            now,
        ])  # fmt: skip
    if ids:
        await bulk.insert_rows("supervision_case", [_C("id", "int"), *_CASE_COLUMNS],
                               [[i, *row] for i, row in zip(ids, rows, strict=True)])  # fmt: skip
    else:
        saved = await bulk.insert_rows("supervision_case", _CASE_COLUMNS, rows,
                                       ("id", "cadre", "committee"))  # fmt: skip
        by_key = {(r["cadre"], int(r["committee"])): int(r["id"]) for r in saved}
        ids = [by_key[(new.data.cadre_id, new.owner.id)] for new in cases]
        await bulk.update_rows("supervision_case", _C("id", "int"), [_C("number", "text")], [
            [case_id, f"{new.data.received_on.year}/{new.owner.code}/{case_id}"]
            for case_id, new in zip(ids, cases, strict=True)
        ])  # fmt: skip
    clocks, findings_rows, events, audit, notices = [], [], [], [], []
    for case_id, new, (findings, days, due) in zip(ids, cases, extras, strict=True):
        data, owner = new.data, new.owner
        clocks.append([case_id, owner.path, days, 0, data.follow_up_of])
        rule = data.fired_rules[0].id[:80] if data.fired_rules else ""
        findings_rows += [[case_id, owner.path, code, None, rule, now] for code in findings]
        details: dict[str, Any] = {
            "owner": owner.code, "origin": new.origin.code, "pack_version": data.pack_version,
            "rules": [r.id for r in data.fired_rules][:20], "clock_days": days,
            "due_on": due.isoformat(), "signals": data.signal_ids[:50],
        }  # fmt: skip
        events.append([case_id, owner.path, now, None, "opened", "", received, "",
                       _json(details)])  # fmt: skip
        audit.append(AuditItem(committee_id=owner.id, action="case.opened", subject_type="case",
                               subject_id=case_id, details=details))  # fmt: skip
        link = f"/c/{owner.code}/cases/{case_id}"
        notices.append(RoleNotice(committee_id=owner.id, roles=_ROLES, kind="case.opened",
                                  title=_NEW_CASE, link=link))  # fmt: skip
    await bulk.insert_rows("case_clock", _CLOCK_COLUMNS, clocks)
    await bulk.insert_rows("case_finding", _FINDING_COLUMNS, findings_rows)
    await bulk.insert_rows("case_event", _EVENT_COLUMNS, events)
    await record_many(audit)
    await notify_roles(notices)
    return ids


async def attach_signals(attachments: Sequence[Attachment]) -> None:
    """Attach every decided signal to its open case, in order: each adds the findings its case
    does not hold yet (counting those added by the attachments before it) and a history event."""
    if not attachments:
        return
    case_ids = sorted({a.case_id for a in attachments})
    rows = await bulk.fetch_any(
        'SELECT "case", indicator FROM case_finding WHERE '
        + bulk.ids_condition('"case"', case_ids),
        case_ids,
    )
    known: dict[int, set[str]] = {}
    for row in rows:
        known.setdefault(int(row["case"]), set()).add(str(row["indicator"]))
    now = dt.datetime.now(dt.UTC)
    findings_rows, events = [], []
    for item in attachments:
        held = known.setdefault(item.case_id, set())
        rule = item.rule_ids[0][:80] if item.rule_ids else ""
        for code in item.findings:
            if code not in held:
                held.add(code)
                findings_rows.append([item.case_id, item.owner.path, code, item.signal_id, rule,
                                      now])  # fmt: skip
        details = {"signal": item.signal_id, "pack_version": item.pack_version,
                   "rules": item.rule_ids[:20]}  # fmt: skip
        events.append([item.case_id, item.owner.path, now, None, "signal_attached", "", "", "",
                       _json(details)])  # fmt: skip
    await bulk.insert_rows("case_finding", _FINDING_COLUMNS, findings_rows)
    await bulk.insert_rows("case_event", _EVENT_COLUMNS, events)
