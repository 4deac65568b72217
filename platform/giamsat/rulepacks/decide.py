"""Fired rules → :class:`Decision`. Shared by both evaluators, so they can only differ
in *which* rules fire, never in how a decision is assembled from them.

Everything that depends on the pack alone (the fired-rule views, clock decisions, level
depths) was computed at compile time; per case only the fired set is walked.
"""

from __future__ import annotations

from giamsat.rulepacks.compiler import CompiledPack
from giamsat.rulepacks.facts import PRIORITY_RANK, CaseFacts, Decision, Priority


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
    priority: Priority | None = None
    rank = -1
    codes: set[str] = set()
    record_indicators = delegation = False
    wanted_clocks: set[str] = set()
    targets: list[str] = []
    for rule in fired:
        acts = rule.actions
        if rule.kind == "routing":
            if acts.route_to:
                targets.append(acts.route_to)
            continue
        # Priorities combine by maximum: an added rule can raise a case, never lower it.
        if acts.open_case is not None and PRIORITY_RANK[acts.open_case] > rank:
            priority, rank = acts.open_case, PRIORITY_RANK[acts.open_case]
        codes.update(acts.add_findings)
        record_indicators = record_indicators or acts.record_signal_indicators
        delegation = delegation or acts.propose_delegation
        wanted_clocks.update(acts.start_clocks)
    if record_indicators:
        for signal in facts.signals:
            codes.update(signal.indicators)
    order = compiled.indicator_order
    findings = sorted(codes, key=lambda code: order.get(code, len(order)))
    complex_case = any("complex" in s.flags for s in facts.signals)
    clocks = [
        compiled.clock_decisions[(clock.id, complex_case)]
        for clock in compiled.clocks
        if clock.id in wanted_clocks
    ]
    # Several routing rules may fire: the most senior level wins, so a case is never kept
    # by a committee below the one that manages the cadre.
    depth = compiled.level_depth
    route = min(targets, key=lambda lvl: depth.get(lvl, 0)) if targets else None
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
        propose_delegation=delegation,
        fired=[compiled.views[r.key] for r in fired],
    )
