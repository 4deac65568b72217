"""Fired rules → :class:`Decision`. Shared by both evaluators, so they can only differ
in *which* rules fire, never in how a decision is assembled from them.

Everything that depends on the pack alone (the fired-rule views, clock decisions, level
depths) was computed at compile time, and what depends on the fired set is assembled once
per distinct set; per case only a lookup and the decision's own lists remain.
"""

from __future__ import annotations

from typing import NamedTuple

from giamsat.rulepacks.compiler import CompiledPack
from giamsat.rulepacks.facts import (
    PRIORITY_RANK,
    CaseFacts,
    ClockDecision,
    Decision,
    FiredRule,
    Priority,
)


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


class _Outline(NamedTuple):
    """Everything a decision takes from the fired set, the receiving level and whether the
    case is complex; only findings from ``record_signal_indicators`` depend on more."""

    priority: Priority | None
    codes: frozenset[str]
    findings: tuple[str, ...]
    record_indicators: bool
    route: str | None
    path: tuple[str, ...]
    clocks: tuple[ClockDecision, ...]
    delegation: bool
    fired: tuple[FiredRule, ...]
    residence: tuple[str, ...] = ()


#: Outlines kept per compiled pack before the cache starts over (the fired sets a pack
#: produces are few in practice; the bound only guards against a pathological pack).
OUTLINES_KEPT = 4096


def _findings(compiled: CompiledPack, codes: frozenset[str] | set[str]) -> list[str]:
    order = compiled.indicator_order
    return sorted(codes, key=lambda code: order.get(code, len(order)))


def _outline(
    compiled: CompiledPack, fired_keys: frozenset[str], receiving: str, complex_case: bool
) -> _Outline:
    fired = [r for r in compiled.rules if r.key in fired_keys]
    priority: Priority | None = None
    rank = -1
    codes: set[str] = set()
    residence: set[str] = set()
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
        residence.update(acts.record_at_residence)
        record_indicators = record_indicators or acts.record_signal_indicators
        delegation = delegation or acts.propose_delegation
        wanted_clocks.update(acts.start_clocks)
    clocks = tuple(
        compiled.clock_decisions[(clock.id, complex_case)]
        for clock in compiled.clocks
        if clock.id in wanted_clocks
    )
    # Several routing rules may fire: the most senior level wins, so a case is never kept
    # by a committee below the one that manages the cadre.
    depth = compiled.level_depth
    route = min(targets, key=lambda lvl: depth.get(lvl, 0)) if targets else None
    path = tuple(_forward_path(compiled, receiving, route)) if route else ()
    return _Outline(
        priority=priority, codes=frozenset(codes), findings=tuple(_findings(compiled, codes)),
        record_indicators=record_indicators, route=route, path=path, clocks=clocks,
        delegation=delegation, fired=tuple(compiled.views[r.key] for r in fired),
        residence=tuple(_findings(compiled, residence)),
    )  # fmt: skip


def decide(compiled: CompiledPack, facts: CaseFacts, fired_keys: set[str]) -> Decision:
    """Assemble the decision from the set of fired rule keys (order-independent).

    The part that depends only on the fired set, the receiving level and complexity is
    assembled once per pack and reused; every decision gets its own lists."""
    complex_case = any("complex" in s.flags for s in facts.signals)
    key = (frozenset(fired_keys), facts.receiving_level, complex_case)
    outlines = compiled.decision_outlines
    outline = outlines.get(key)
    if outline is None:
        outline = _outline(compiled, key[0], facts.receiving_level, complex_case)
        if len(outlines) >= OUTLINES_KEPT:
            outlines.clear()
        outlines[key] = outline
    if outline.record_indicators:
        codes = set(outline.codes)
        for signal in facts.signals:
            codes.update(signal.indicators)
        findings = _findings(compiled, codes)
    else:
        findings = list(outline.findings)
    return Decision(
        pack_version=compiled.version,
        open_case=outline.priority is not None,
        priority=outline.priority,
        findings=findings,
        route_to_level=outline.route,
        forward_up=bool(outline.path),
        forward_path=list(outline.path),
        clocks=list(outline.clocks),
        propose_delegation=outline.delegation,
        fired=list(outline.fired),
        residence_duties=list(outline.residence),
    )
