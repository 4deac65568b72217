"""Simulation (chạy thử): what a candidate pack would change over signals already received.

Each signal about a cadre in the committee's subtree and period is decided twice, by the pack
in force on its receipt date and by the candidate, from the same replayed facts (the pipeline's
own replay); ``diff_decisions`` says what differs. Nothing is written. The reference evaluator
is used: it agrees with durable_rules (property-tested) and needs no engine lock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope
from giamsat.errors import NotFound
from giamsat.plans.additions import combined
from giamsat.plans.facts import case_facts, window_days, window_signals
from giamsat.plans.schemas import SimulatedChange, SimulationReport
from giamsat.plans.service import PackRejected, PublishedPack, active_pack, validate_files
from giamsat.rulepacks import CompiledPack, Decision, ReferenceEvaluator, compile_pack
from giamsat.rulepacks import diff_decisions as _diff
from giamsat.signals.tables import Signal
from giamsat.tenancy.tables import Committee

MAX_SIGNALS = 20_000


async def _subtree_signals(path: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    async with system_scope():
        rows = await Signal.select(
            Signal.id, Signal.cadre, Signal.received_on, Signal.committee,
            Signal.committee.level.as_alias("level"), Signal.committee.path.as_alias("path"),
        ).where(
            Signal.tenant_path.like(path + "%") & Signal.cadre.is_not_null()
            & (Signal.received_on >= start) & (Signal.received_on <= end)
        ).order_by(Signal.received_on).order_by(Signal.id).limit(MAX_SIGNALS)  # fmt: skip
    return list(rows)


async def _decide(compiled: CompiledPack, row: dict[str, Any], cadre: dict[str, Any]) -> Decision:
    async with system_scope():
        replay = await window_signals(cadre["id"], row["received_on"], window_days(compiled),
                                      row["id"])  # fmt: skip
    facts = case_facts(row["id"], row["received_on"], row["level"], cadre, replay, row["path"])
    return ReferenceEvaluator().evaluate(compiled, facts)


def _tally(old: Decision | None, new: Decision, counts: dict[str, int]) -> dict[str, list[object]]:
    changes: dict[str, list[object]]
    if old is None:
        changes = {"open_case": [None, True]} if new.open_case else {}
    else:
        changes = {c.field: [c.old, c.new] for c in _diff(old, new)}
    if "open_case" in changes:
        counts["opened" if new.open_case else "not_opened"] += 1
    if "route_to_level" in changes:
        counts["routed"] += 1
    if "clocks" in changes:
        counts["clocks"] += 1
    if set(changes) - {"open_case", "route_to_level", "clocks"}:
        counts["other"] += 1
    return changes


async def simulate(
    source: dict[str, str], committee_code: str, period_from: dt.date, period_to: dt.date
) -> SimulationReport:
    """Run the candidate over the subtree's signals in the period; refuse an invalid pack."""
    pack, report = validate_files(source)
    if pack is None:
        raise PackRejected(report.errors)
    candidate = compile_pack(pack)
    async with system_scope():
        committee = await Committee.select(Committee.path).where(
            Committee.code == committee_code).first()  # fmt: skip
    if committee is None:
        raise NotFound(f"unknown committee code {committee_code!r}")
    rows = await _subtree_signals(committee["path"], period_from, period_to)
    counts = {"opened": 0, "not_opened": 0, "routed": 0, "clocks": 0, "other": 0}
    changes: list[SimulatedChange] = []
    actives: set[str] = set()
    for row in rows:
        async with system_scope():
            cadre = await Cadre.select().where(Cadre.id == row["cadre"]).first()
        if cadre is None:
            continue
        active: PublishedPack | None = await active_pack(row["path"], row["received_on"])
        in_force = await combined(active, row["received_on"]) if active else None
        old = await _decide(in_force, row, cadre) if in_force else None
        if active:
            actives.add(in_force.version if in_force else active.version)
        new = await _decide(candidate, row, cadre)
        diff = _tally(old, new, counts)
        if diff:
            changes.append(SimulatedChange(signal_id=row["id"], cadre_id=row["cadre"],
                                           received_on=row["received_on"],
                                           receiving_level=row["level"], changes=diff))  # fmt: skip
    return SimulationReport(
        committee_code=committee_code, candidate_version=pack.version,
        active_version=", ".join(sorted(actives)) or None, period_from=period_from,
        period_to=period_to, signals=len(rows), cases_opened=counts["opened"],
        cases_not_opened=counts["not_opened"], routed_elsewhere=counts["routed"],
        clock_changes=counts["clocks"], other_changes=counts["other"], changes=changes,
    )  # fmt: skip
