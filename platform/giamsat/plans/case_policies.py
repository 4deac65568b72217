"""What the rule pack that decided a case lets staff do with it afterwards.

- Transfer: never below the level the pack routes that cadre's cases to (a case about a
  city-managed official cannot be handed down to a district); within that, the case module's
  default (the parent, or a committee directly below) applies.
- Pause: only when the pack marks the case's clock ``pausable``.
- Overdue: escalate to the parent, or only remind, as the clock's ``on_overdue`` says.

The pack is found by the version recorded on the case, so a case keeps the rules it was
decided under after a new year's pack is published.
"""

from __future__ import annotations

import datetime as dt

from giamsat.cases.policy import CaseFacts, CommitteeNode, Opinion, OverdueAction
from giamsat.errors import NotFound
from giamsat.plans.service import published_version
from giamsat.rulepacks import CaseFacts as PackFacts
from giamsat.rulepacks import Signal, Subject, evaluate
from giamsat.rulepacks.compiler import CompiledPack
from giamsat.rulepacks.model import Clock

ANSWER_CLOCK = "answer"
_PACK_LEVEL = {"residence": "residence_party_cell"}


async def _compiled(case: CaseFacts) -> CompiledPack | None:
    base = case.pack_version.split("+", 1)[0]
    if "@" not in base:
        return None  # not decided by a published pack (entered by hand, sample data)
    try:
        return (await published_version(base)).compiled()
    except NotFound:
        return None


def _depth(compiled: CompiledPack, level: str) -> int:
    depth, parent = 0, compiled.level_parent.get(level)
    while parent is not None and depth <= len(compiled.level_parent):
        depth, parent = depth + 1, compiled.level_parent.get(parent)
    return depth


def _route(compiled: CompiledPack, case: CaseFacts) -> tuple[str, str] | None:
    """(level, routing rule id) the pack gives a case about a cadre of this managing level."""
    managing = _PACK_LEVEL.get(case.managing_level, case.managing_level)
    if managing not in {"central", "province", "district", "commune", "residence_party_cell"}:
        return None
    today = dt.date.today()
    probe = PackFacts(
        case_id=f"policy-{case.id}", as_of=today, receiving_level=case.owner.level,
        subject=Subject(id=f"case-{case.id}", managing_level=managing,  # type: ignore[arg-type]
                        is_party_member=True, position="cadre"),
        signals=[Signal(id="probe", channel="citizen", kind="report", received_on=today,
                        receiving_level=case.owner.level)],
    )  # fmt: skip
    decision = evaluate(compiled, probe)
    if decision.route_to_level is None:
        return None
    rule = next((f.id for f in decision.fired if f.kind == "routing"), "")
    return decision.route_to_level, rule


async def transfer_policy(case: CaseFacts, target: CommitteeNode) -> Opinion | None:
    compiled = await _compiled(case)
    route = _route(compiled, case) if compiled is not None else None
    if compiled is None or route is None or target.level not in compiled.level_parent:
        return None
    level, rule = route
    if _depth(compiled, target.level) > _depth(compiled, level):
        return Opinion(
            allow=False,
            reason=(
                f"kế hoạch {compiled.version} giao vụ việc về cán bộ diện {case.managing_level} "
                f"cho cấp {level} (quy tắc {rule}); {target.code} là cấp {target.level} thấp hơn "
                f"(the pack routes these cases to the {level} level; {target.code} is below it)"
            ),
        )
    return None


def _clock(compiled: CompiledPack) -> Clock | None:
    return next((c for c in compiled.clocks if c.id == ANSWER_CLOCK), None) or next(
        iter(compiled.clocks), None
    )


async def pause_policy(case: CaseFacts) -> Opinion | None:
    compiled = await _compiled(case)
    clock = _clock(compiled) if compiled is not None else None
    if compiled is None or clock is None:
        return None
    if clock.pausable:
        return Opinion(allow=True)
    return Opinion(
        allow=False,
        reason=f"thời hạn '{clock.id}' của kế hoạch {compiled.version} không được tạm dừng "
        f"(the pack's '{clock.id}' clock is not pausable)",
    )


async def overdue_policy(case: CaseFacts) -> OverdueAction | None:
    compiled = await _compiled(case)
    clock = _clock(compiled) if compiled is not None else None
    if clock is None:
        return None
    return "remind" if clock.on_overdue == "remind" else "escalate"


def install() -> None:
    """Hand the three policies to the case workflow (idempotent)."""
    from giamsat.cases import policy

    for hooks, hook in (
        (policy.TRANSFER_POLICIES, transfer_policy),
        (policy.PAUSE_POLICIES, pause_policy),
        (policy.OVERDUE_POLICIES, overdue_policy),
    ):
        if hook not in hooks:
            hooks.append(hook)  # type: ignore[arg-type]
