"""What a case lets staff do with it: may it move to another committee, may its clock pause,
what happens when it is overdue.

The rule pack that decided a case writes a small :class:`CasePolicy` onto it when it opens (the
decision step, ``giamsat.decisions``, fills it from the pack), so the case carries its own rules
and a new year's pack never changes what an older case allows. Without a policy (a case entered
by hand before the pack decided it, sample data) the defaults apply: a case moves only to the
owning committee's parent or one of its children, its clock never pauses, and an overdue case
escalates to the parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from giamsat.tenancy.levels import LEVEL_LABELS
from giamsat.web.i18n import N_, Word


class CommitteeNode(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None


OverdueAction = Literal["escalate", "remind"]


class CasePolicy(msgspec.Struct, frozen=True, kw_only=True):
    """What the deciding pack allows later; stored as JSON on the case (``Case.policy``).

    - ``routed_level``: no transfer to a level deeper than this one in ``level_depth`` (the
      pack's tree of levels, 0 at the top); ``routing_rule`` is named when refusing.
    - ``clock``: the pack's clock of the case ("" without one); ``pausable`` and
      ``on_overdue`` are that clock's.
    """

    pack_version: str = ""
    routed_level: str | None = None
    routing_rule: str = ""
    level_depth: dict[str, int] = {}
    clock: str = ""
    pausable: bool = False
    on_overdue: OverdueAction = "escalate"
    #: The pack proposes a supervision delegation (đề xuất lập đoàn giám sát) for the case.
    propose_delegation: bool = False


def policy_of(value: Any) -> CasePolicy | None:
    """The policy stored on a case row (None when the case has none)."""
    if isinstance(value, str | bytes):
        value = msgspec.json.decode(value) if value else None
    if not value:
        return None
    return msgspec.convert(value, CasePolicy)


class CaseFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules of a case look at (no personal data)."""

    id: int
    status: str
    managing_level: str
    pack_version: str
    owner: CommitteeNode
    policy: CasePolicy | None = None


def case_facts(row: Mapping[str, Any], owner: CommitteeNode) -> CaseFacts:
    return CaseFacts(
        id=row["id"],
        status=row["status"],
        managing_level=row["managing_level"],
        pack_version=row["pack_version"],
        owner=owner,
        policy=policy_of(row.get("policy")),
    )


#: A level's name for people, by its code (the pack's levels are the register's).
_LEVEL_WORDS: dict[str, str] = {str(level): label for level, label in LEVEL_LABELS.items()}


class Opinion(msgspec.Struct, frozen=True, kw_only=True):
    """The answer; ``reason`` (an English message id, ``%(name)s`` filled from ``params``) is
    shown to staff, in their language, when something is refused."""

    allow: bool
    reason: str = ""
    params: dict[str, object] = {}


def default_may_transfer(case: CaseFacts, target: CommitteeNode) -> bool:
    """The parent, or a direct child, of the owning committee."""
    owner = case.owner
    return target.id == owner.parent_id or target.parent_id == owner.id


def _below_routed_level(case: CaseFacts, target: CommitteeNode) -> Opinion | None:
    policy = case.policy
    if policy is None or policy.routed_level is None or target.level not in policy.level_depth:
        return None
    level = policy.routed_level
    if policy.level_depth[target.level] > policy.level_depth.get(level, 0):
        return Opinion(
            allow=False,
            reason=N_("The plan sends cases about this person to the level %(level)s; "
                      "%(committee)s is below it."),
            params={"level": Word(_LEVEL_WORDS.get(level, level)), "committee": target.name},
        )  # fmt: skip
    return None


async def transfer_opinion(case: CaseFacts, target: CommitteeNode) -> Opinion:
    if target.id == case.owner.id:
        return Opinion(
            allow=False, reason=N_("The case is already at %(committee)s."),
            params={"committee": target.name},
        )  # fmt: skip
    refused = _below_routed_level(case, target)
    if refused is not None:
        return refused
    if default_may_transfer(case, target):
        return Opinion(allow=True)
    return Opinion(
        allow=False,
        reason=N_("A case moves only to the committee directly above or to one directly "
                  "below; %(committee)s is neither."),
        params={"committee": target.name},
    )  # fmt: skip


async def pause_opinion(case: CaseFacts) -> Opinion:
    """Whether a case's clock may be paused (tạm dừng): only where its pack says so."""
    policy = case.policy
    if policy is None or not policy.clock:
        return Opinion(
            allow=False, reason=N_("The case's rule pack does not allow pausing its clock.")
        )
    if policy.pausable:
        return Opinion(allow=True)
    return Opinion(allow=False, reason=N_("The plan's clock for this case cannot be paused."))


async def overdue_action(case: CaseFacts) -> OverdueAction:
    """What an overdue case triggers: escalation to the parent (the 2022 plan) or a reminder."""
    policy = case.policy
    return policy.on_overdue if policy is not None and policy.clock else "escalate"
