"""Hooks the rule pack fills: may a case move to another committee, may its clock pause, and
what happens when it is overdue.

By default a case moves only to the owning committee's parent or one of its children, its clock
never pauses and an overdue case escalates to the parent. The rule-pack integration
(``giamsat.plans.case_policies``) appends async policies to these lists at start-up; each gives
an :class:`Opinion` or None (no opinion): the first opinion wins, and without any the default
applies. Policies are per process and hold no tenant data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

import msgspec


class CommitteeNode(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None


class CaseFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What a policy may look at (no personal data)."""

    id: int
    status: str
    managing_level: str
    pack_version: str
    owner: CommitteeNode


class Opinion(msgspec.Struct, frozen=True, kw_only=True):
    """A policy's answer; ``reason`` is shown to staff when something is refused."""

    allow: bool
    reason: str = ""


TransferPolicy = Callable[[CaseFacts, CommitteeNode], Awaitable[Opinion | None]]

TRANSFER_POLICIES: list[TransferPolicy] = []


def default_may_transfer(case: CaseFacts, target: CommitteeNode) -> bool:
    """The parent, or a direct child, of the owning committee."""
    owner = case.owner
    return target.id == owner.parent_id or target.parent_id == owner.id


async def transfer_opinion(case: CaseFacts, target: CommitteeNode) -> Opinion:
    if target.id == case.owner.id:
        return Opinion(allow=False, reason="the case is already there")
    for policy in TRANSFER_POLICIES:
        opinion = await policy(case, target)
        if opinion is not None:
            return opinion
    if default_may_transfer(case, target):
        return Opinion(allow=True)
    return Opinion(
        allow=False,
        reason="only the parent committee or a committee directly below is allowed",
    )


ClockPolicy = Callable[[CaseFacts], Awaitable[Opinion | None]]

#: Whether a case's clock may be paused (tạm dừng): only where the pack says so.
PAUSE_POLICIES: list[ClockPolicy] = []


async def pause_opinion(case: CaseFacts) -> Opinion:
    for policy in PAUSE_POLICIES:
        opinion = await policy(case)
        if opinion is not None:
            return opinion
    return Opinion(allow=False, reason="the rule pack of the case does not allow pausing")


OverdueAction = Literal["escalate", "remind"]
OverduePolicy = Callable[[CaseFacts], Awaitable[OverdueAction | None]]

#: What an overdue case triggers: escalation to the parent (the 2022 plan) or a reminder only.
OVERDUE_POLICIES: list[OverduePolicy] = []


async def overdue_action(case: CaseFacts) -> OverdueAction:
    for policy in OVERDUE_POLICIES:
        action = await policy(case)
        if action is not None:
            return action
    return "escalate"


EscalationPolicy = Callable[[CaseFacts], Awaitable[int | None]]

#: Which committee an overdue case is escalated to (by id); None from every policy means the
#: owning committee's parent.
ESCALATION_POLICIES: list[EscalationPolicy] = []


async def escalation_target(case: CaseFacts) -> int | None:
    for policy in ESCALATION_POLICIES:
        target = await policy(case)
        if target is not None:
            return target
    return case.owner.parent_id
