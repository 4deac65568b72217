"""Simulation (chạy thử): what a candidate pack would change over signals already received.

Each signal about a cadre in the committee's subtree and period is decided twice, by the pack
in force on its receipt date and by the candidate (a whole pack, or a lower committee's
addition combined with that pack and the additions already in force: :func:`simulate_addition`),
from the same replayed facts (the pipeline's own replay); ``diff_decisions`` says what differs.
Nothing is written. The reference evaluator is used: it agrees with durable_rules
(property-tested) and needs no engine lock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope
from giamsat.db.subtree import path_within
from giamsat.errors import NotFound
from giamsat.plans.additions import AdditionRejected, check_addition, combined, guarded_parts
from giamsat.plans.facts import case_facts, window_days, window_signals
from giamsat.plans.schemas import SimulatedChange, SimulationReport
from giamsat.plans.service import PackRejected, PublishedPack, active_pack, validate_files
from giamsat.rulepacks import CompiledPack, Decision, ReferenceEvaluator, compile_pack
from giamsat.rulepacks import diff_decisions as _diff
from giamsat.rulepacks.additions import guarded, read_addition
from giamsat.signals.tables import Signal
from giamsat.tenancy.repository import code_on
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_

MAX_SIGNALS = 20_000


async def _subtree_signals(path: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    async with system_scope():
        rows = await Signal.select(
            Signal.id, Signal.cadre, Signal.received_on, Signal.committee,
            Signal.committee.level.as_alias("level"), Signal.committee.path.as_alias("path"),
        ).where(
            path_within(Signal.tenant_path, path) & Signal.cadre.is_not_null()
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
    if "priority" in changes and "open_case" not in changes:
        counts["priority"] += 1
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
            code_on(committee_code)).first()  # fmt: skip
    if committee is None:
        raise NotFound(
            N_("There is no committee with code %(code)s."), params={"code": committee_code}
        )
    rows = await _subtree_signals(committee["path"], period_from, period_to)
    counts = dict.fromkeys(("opened", "not_opened", "priority", "routed", "clocks", "other"), 0)
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
        priority_changes=counts["priority"],
    )  # fmt: skip


async def _with_addition(
    active: PublishedPack, on_date: dt.date, text: str, label: str, code: str, path: str,
    cache: dict[tuple[str, dt.date], CompiledPack],
) -> CompiledPack:  # fmt: skip
    """The ruleset in force on ``on_date`` plus the candidate addition (guarded to the adder's
    subtree, like a published one); refused when the addition does not fit that pack."""
    key = (active.version, on_date)
    hit = cache.get(key)
    if hit is not None:
        return hit
    pack = active.pack()
    inherited = {r: "an addition in force" for p in await guarded_parts(active, on_date)
                 if path.startswith(p.scope_path) for r in (x.id for x in p.rules)}  # fmt: skip
    addition, errors = read_addition(text, label, pack, inherited)
    if addition is None:
        raise AdditionRejected(errors)
    parts = [*await guarded_parts(active, on_date), guarded(addition, pack, code, path)]
    cache[key] = compile_pack(pack, parts)
    return cache[key]


async def simulate_addition(
    text: str, committee_code: str, period_from: dt.date, period_to: dt.date,
    label: str = "addition.yaml",
) -> SimulationReport:  # fmt: skip
    """What a candidate addition would change over the committee subtree's signals in the
    period: each is decided by the ruleset in force (pack + additions) and by that ruleset
    with the candidate added. Refuses an addition that would not publish; stores nothing."""
    _, addition, report = await check_addition(text, committee_code, period_from, label)
    if addition is None:
        raise AdditionRejected(report.errors)
    async with system_scope():
        committee = await Committee.select(Committee.path).where(
            code_on(committee_code)).first()  # fmt: skip
    assert committee is not None  # check_addition found it
    path = str(committee["path"])
    rows = await _subtree_signals(path, period_from, period_to)
    counts = dict.fromkeys(("opened", "not_opened", "priority", "routed", "clocks", "other"), 0)
    changes: list[SimulatedChange] = []
    versions: set[str] = set()
    cache: dict[tuple[str, dt.date], CompiledPack] = {}
    for row in rows:
        async with system_scope():
            cadre = await Cadre.select().where(Cadre.id == row["cadre"]).first()
        active = await active_pack(row["path"], row["received_on"])
        if cadre is None or active is None:
            continue
        in_force = await combined(active, row["received_on"])
        candidate = await _with_addition(active, row["received_on"], text, label,
                                         committee_code, path, cache)  # fmt: skip
        versions.add(in_force.version)
        diff = _tally(await _decide(in_force, row, cadre), await _decide(candidate, row, cadre),
                      counts)  # fmt: skip
        if diff:
            changes.append(SimulatedChange(signal_id=row["id"], cadre_id=row["cadre"],
                                           received_on=row["received_on"],
                                           receiving_level=row["level"], changes=diff))  # fmt: skip
    return SimulationReport(
        committee_code=committee_code, candidate_version=f"+{addition.header.id}",
        active_version=", ".join(sorted(versions)) or None, period_from=period_from,
        period_to=period_to, signals=len(rows), cases_opened=counts["opened"],
        cases_not_opened=counts["not_opened"], routed_elsewhere=counts["routed"],
        clock_changes=counts["clocks"], other_changes=counts["other"], changes=changes,
        priority_changes=counts["priority"],
    )  # fmt: skip
