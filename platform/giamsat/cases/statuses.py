"""The case workflow as data: statuses, their labels, and which transitions are allowed.

The table is the whole state machine: services ask :func:`check_transition` and never test
statuses ad hoc, so a rule pack or a reviewer reads the workflow in one place.
"""

from __future__ import annotations

from enum import StrEnum

from giamsat.errors import InvalidInput
from giamsat.web.i18n import N_, Word, Words


class Status(StrEnum):
    RECEIVED = "received"
    VERIFYING = "verifying"
    REPORTED = "reported"
    AWAITING_ANSWER = "awaiting_answer"
    ANSWERED = "answered"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    FORWARDED = "forwarded"
    ESCALATED = "escalated"
    MERGED = "merged"


STATUS_LABELS: dict[Status, str] = {
    Status.RECEIVED: N_("Newly received"),
    Status.VERIFYING: N_("Verifying"),
    Status.REPORTED: N_("Reported to the same-level party committee"),
    Status.AWAITING_ANSWER: N_("Awaiting answer"),
    Status.ANSWERED: N_("Answered"),
    Status.FOLLOW_UP: N_("Follow-up"),
    Status.CLOSED: N_("Closed"),
    Status.FORWARDED: N_("Forwarded up"),
    Status.ESCALATED: N_("Overdue, reported to the level above"),
    Status.MERGED: N_("Merged as a duplicate"),
}

#: Statuses a case can move to from each status. Forwarding, escalation and merging have their
#: own service functions but still pass through this table.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset(
        {Status.VERIFYING, Status.FORWARDED, Status.MERGED, Status.CLOSED, Status.ESCALATED}
    ),
    Status.VERIFYING: frozenset(
        {Status.REPORTED, Status.FORWARDED, Status.MERGED, Status.CLOSED, Status.ESCALATED}
    ),
    Status.REPORTED: frozenset({Status.AWAITING_ANSWER, Status.ANSWERED, Status.ESCALATED}),
    Status.AWAITING_ANSWER: frozenset({Status.ANSWERED, Status.ESCALATED}),
    Status.ANSWERED: frozenset({Status.FOLLOW_UP, Status.CLOSED}),
    Status.FOLLOW_UP: frozenset({Status.REPORTED, Status.CLOSED, Status.ESCALATED}),
    Status.FORWARDED: frozenset(
        {Status.VERIFYING, Status.FORWARDED, Status.MERGED, Status.CLOSED, Status.ESCALATED}
    ),
    Status.ESCALATED: frozenset({Status.AWAITING_ANSWER, Status.ANSWERED, Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.MERGED: frozenset(),
}

#: Statuses whose clock is running: the deadline sweep looks at these only.
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.VERIFYING,
        Status.REPORTED,
        Status.AWAITING_ANSWER,
        Status.FOLLOW_UP,
        Status.FORWARDED,
    }
)
TERMINAL_STATUSES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


def parse_status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise InvalidInput(N_("There is no such case status."), field="status") from None


def allowed_from(current: str) -> list[str]:
    return sorted(s.value for s in TRANSITIONS[parse_status(current)])


def check_transition(current: str, target: str) -> Status:
    """The target status, or :class:`InvalidInput` naming both and what is allowed instead."""
    source, goal = parse_status(current), parse_status(target)
    if goal not in TRANSITIONS[source]:
        names = {"source": Word(STATUS_LABELS[source]), "goal": Word(STATUS_LABELS[goal])}
        if not TRANSITIONS[source]:
            raise InvalidInput(
                N_("A case that is %(source)s cannot become %(goal)s: the case is finished."),
                field="status",
                params=names,
            )
        # the statuses it may take instead, by their names, in the workflow's order
        allowed = Words(STATUS_LABELS[s] for s in Status if s in TRANSITIONS[source])
        raise InvalidInput(
            N_("A case that is %(source)s cannot become %(goal)s; it can become %(allowed)s."),
            field="status",
            params={**names, "allowed": allowed},
        )
    return goal
