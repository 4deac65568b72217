"""Hooks the rule pack fills: may a case move to another committee, and what escalation does.

By default a case moves only to the owning committee's parent or one of its children. A rule
pack may widen (or narrow) that by appending a :data:`TransferPolicy` to
:data:`TRANSFER_POLICIES`: each returns True (allow), False (refuse) or None (no opinion); the
first opinion wins, and without any the default applies.
"""

from __future__ import annotations

from collections.abc import Callable

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


TransferPolicy = Callable[[CaseFacts, CommitteeNode], bool | None]

#: Filled by the rule-pack integration at start-up (per process; policies hold no tenant data).
TRANSFER_POLICIES: list[TransferPolicy] = []


def default_may_transfer(case: CaseFacts, target: CommitteeNode) -> bool:
    """The parent, or a direct child, of the owning committee."""
    owner = case.owner
    return target.id == owner.parent_id or target.parent_id == owner.id


def may_transfer(case: CaseFacts, target: CommitteeNode) -> bool:
    if target.id == case.owner.id:
        return False
    for policy in TRANSFER_POLICIES:
        opinion = policy(case, target)
        if opinion is not None:
            return opinion
    return default_may_transfer(case, target)


ClockPolicy = Callable[[CaseFacts], bool | None]

#: Whether a case's clock may be paused (tạm dừng): only where the pack says so, so by default
#: no. A pack appends a policy returning True for the situations it names.
PAUSE_POLICIES: list[ClockPolicy] = []


def may_pause(case: CaseFacts) -> bool:
    for policy in PAUSE_POLICIES:
        opinion = policy(case)
        if opinion is not None:
            return opinion
    return False


EscalationPolicy = Callable[[CaseFacts], int | None]

#: Which committee an overdue case is escalated to (by id); None from every policy means the
#: owning committee's parent, as the 2022 plan does.
ESCALATION_POLICIES: list[EscalationPolicy] = []


def escalation_target(case: CaseFacts) -> int | None:
    for policy in ESCALATION_POLICIES:
        target = policy(case)
        if target is not None:
            return target
    return case.owner.parent_id
