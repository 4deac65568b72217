"""Fired rules → :class:`Decision`. Shared by both evaluators, so they can only differ
in *which* rules fire, never in how a decision is assembled from them."""

from __future__ import annotations

from giamsat.rulepacks.compiler import CompiledPack
from giamsat.rulepacks.facts import (
    PRIORITY_RANK,
    CaseFacts,
    ClockDecision,
    Decision,
    FiredRule,
    Priority,
)


def _depth(compiled: CompiledPack, level: str) -> int:
    depth = 0
    parent = compiled.level_parent.get(level)
    while parent is not None and depth <= len(compiled.level_parent):
        depth += 1
        parent = compiled.level_parent.get(parent)
    return depth


def _forward_path(compiled: CompiledPack, receiving: str, handling: str) -> list[str]:
    """Levels a case climbs from ``receiving`` to ``handling``; empty if not above it."""
    path: list[str] = []
    current = compiled.level_parent.get(receiving)
    while current is not None and len(path) <= len(compiled.level_parent):
        path.append(current)
        if current == handling:
            return path
        current = compiled.level_parent.get(current)
    return []


def decide(compiled: CompiledPack, facts: CaseFacts, fired_keys: set[str]) -> Decision:
    """Assemble the decision from the set of fired rule keys (order-independent)."""
    fired = [r for r in compiled.rules if r.key in fired_keys]
    indicator = [r for r in fired if r.kind == "indicator"]
    priority: Priority | None = None
    for rule in indicator:
        wanted = rule.actions.open_case
        if wanted is not None and (
            priority is None or PRIORITY_RANK[wanted] > PRIORITY_RANK[priority]
        ):
            priority = wanted
    codes = {code for r in indicator for code in r.actions.add_findings}
    if any(r.actions.record_signal_indicators for r in indicator):
        codes |= {code for s in facts.signals for code in s.indicators}
    findings = sorted(
        codes,
        key=lambda code: compiled.indicator_order.get(code, len(compiled.indicator_order)),
    )
    complex_case = any("complex" in s.flags for s in facts.signals)
    wanted_clocks = {name for r in indicator for name in r.actions.start_clocks}
    clocks = [
        ClockDecision(
            name=clock.id,
            title_vi=clock.title_vi,
            working_days=clock.complex_working_days if complex_case else clock.working_days,
            on_overdue=clock.on_overdue,
        )
        for clock in compiled.clocks
        if clock.id in wanted_clocks
    ]
    targets = [r.actions.route_to for r in fired if r.kind == "routing" and r.actions.route_to]
    # Several routing rules may fire: the most senior level wins, so a case is never kept
    # by a committee below the one that manages the cadre.
    route = min(targets, key=lambda lvl: _depth(compiled, lvl)) if targets else None
    path = _forward_path(compiled, facts.receiving_level, route) if route else []
    return Decision(
        pack_version=compiled.version,
        open_case=priority is not None,
        priority=priority,
        findings=findings,
        route_to_level=route,
        forward_up=bool(path),
        forward_path=path,
        clocks=clocks,
        propose_delegation=any(r.actions.propose_delegation for r in indicator),
        fired=[
            FiredRule(
                id=r.id,
                kind="routing" if r.kind == "routing" else "indicator",
                title_vi=r.title_vi,
                title_en=r.title_en,
            )
            for r in fired
        ],
    )
