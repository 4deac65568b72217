"""What the deciding pack lets staff do with a case later, as the record written onto it.

The routed level is the one the pack gives a case about a cadre of this managing level when the
owning committee receives it; the clock is the pack's ``answer`` clock (or its first).
"""

from __future__ import annotations

from giamsat import clock
from giamsat.cases.policy import CasePolicy
from giamsat.rulepacks import CaseFacts as PackFacts
from giamsat.rulepacks import Signal, Subject, evaluate
from giamsat.rulepacks.compiler import CompiledPack
from giamsat.rulepacks.model import Clock

ANSWER_CLOCK = "answer"
_PACK_LEVEL = {"residence": "residence_party_cell"}
_LEVELS = {"central", "province", "district", "commune", "residence_party_cell"}


def _depth(compiled: CompiledPack, level: str) -> int:
    depth, parent = 0, compiled.level_parent.get(level)
    while parent is not None and depth <= len(compiled.level_parent):
        depth, parent = depth + 1, compiled.level_parent.get(parent)
    return depth


def _route(compiled: CompiledPack, managing_level: str, owner_level: str) -> tuple[str, str] | None:
    """(level, routing rule id) the pack gives a case about a cadre of this managing level."""
    managing = _PACK_LEVEL.get(managing_level, managing_level)
    if managing not in _LEVELS:
        return None
    today = clock.today()
    probe = PackFacts(
        case_id="policy", as_of=today, receiving_level=owner_level,
        subject=Subject(id="policy", managing_level=managing,  # type: ignore[arg-type]
                        is_party_member=True, position="cadre"),
        signals=[Signal(id="probe", channel="citizen", kind="report", received_on=today,
                        receiving_level=owner_level)],
    )  # fmt: skip
    decision = evaluate(compiled, probe)
    if decision.route_to_level is None:
        return None
    rule = next((f.id for f in decision.fired if f.kind == "routing"), "")
    return decision.route_to_level, rule


def _clock(compiled: CompiledPack) -> Clock | None:
    return next((c for c in compiled.clocks if c.id == ANSWER_CLOCK), None) or next(
        iter(compiled.clocks), None
    )


def case_policy(
    compiled: CompiledPack,
    managing_level: str,
    owner_level: str,
    *,
    propose_delegation: bool = False,
) -> CasePolicy:
    """The record a case opened under ``compiled`` carries for its later steps."""
    route = _route(compiled, managing_level, owner_level)
    clock = _clock(compiled)
    return CasePolicy(
        pack_version=compiled.version,
        routed_level=route[0] if route else None,
        routing_rule=route[1] if route else "",
        level_depth={level: _depth(compiled, level) for level in compiled.level_parent},
        clock=clock.id if clock is not None else "",
        pausable=bool(clock is not None and clock.pausable),
        on_overdue="remind" if clock is not None and clock.on_overdue == "remind" else "escalate",
        propose_delegation=propose_delegation,
    )
