"""The open work of a committee that ends in a reorganisation, counted and moved to its successor.

What is open, by kind: cases not yet closed (with their clocks), active cadres, signals received
and not yet decided, channel settings, delegations not yet answered, recommendations awaiting an
answer, feedback awaiting explanation. Closed work stays with the old committee as history.
Accounts do not move: they stop (the login page names the successor).

Every moved row takes the successor's committee and ``tenant_path`` (and so do the rows that
hang off it), so the successor's staff see it under row-level security. Cases move through
:func:`giamsat.cases.succession.move_open_cases`, which also writes each case's history.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import msgspec
from piccolo.table import Table

from giamsat.accounts.tables import Session, User
from giamsat.cadres.tables import Cadre
from giamsat.cases.statuses import TERMINAL_STATUSES
from giamsat.cases.succession import move_open_cases
from giamsat.cases.tables import Case
from giamsat.delegations.tables import CostLine, Delegation, DelegationMember, WorkingSession
from giamsat.feedback.tables import Feedback
from giamsat.intake.tables import ChannelSetting
from giamsat.recommendations.tables import Recommendation
from giamsat.signals.tables import Signal, SignalIndicator
from giamsat.tenancy.schemas import CommitteeView
from giamsat.web.i18n import N_

KINDS = (
    "cases",
    "cadres",
    "pending_signals",
    "channel_settings",
    "delegations",
    "recommendations",
    "feedback",
    "accounts",
)
#: What moves to a successor committee, by kind (plan texts use the English words).
KIND_LABELS: dict[str, str] = {
    "cases": N_("Open cases"),
    "cadres": N_("Cadres"),
    "pending_signals": N_("Pending signals"),
    "channel_settings": N_("Channel settings"),
    "delegations": N_("Open delegations"),
    "recommendations": N_("Recommendations awaiting answers"),
    "feedback": N_("Feedback awaiting explanation"),
    "accounts": N_("Accounts (stopped)"),
}


class OpenWork(msgspec.Struct, kw_only=True):
    """How much open work one committee has, by kind (accounts: those that will stop)."""

    cases: int = 0
    cadres: int = 0
    pending_signals: int = 0
    channel_settings: int = 0
    delegations: int = 0
    recommendations: int = 0
    feedback: int = 0
    accounts: int = 0

    @property
    def moving(self) -> int:
        """Everything that needs a successor (accounts stop instead)."""
        return sum(getattr(self, k) for k in KINDS if k != "accounts")

    def add(self, other: OpenWork) -> None:
        for kind in KINDS:
            setattr(self, kind, getattr(self, kind) + getattr(other, kind))


def _open_filters() -> dict[str, tuple[type[Table], Any]]:
    return {
        "cases": (Case, Case.status.not_in([s.value for s in TERMINAL_STATUSES])),
        "cadres": (Cadre, Cadre.active == True),  # noqa: E712
        "pending_signals": (
            Signal,
            (Signal.status == "received") & Signal.case_id.is_null(),
        ),
        "channel_settings": (ChannelSetting, ChannelSetting.id.is_not_null()),
        "delegations": (Delegation, Delegation.status != "answered"),
        "recommendations": (
            Recommendation,
            Recommendation.status.is_in(["awaiting_answer", "escalated"]),
        ),
        "feedback": (Feedback, Feedback.status.is_in(["received", "sent", "taken_in"])),
        "accounts": (User, User.active == True),  # noqa: E712
    }


async def count_open_work(committee_ids: list[int]) -> dict[int, OpenWork]:
    """Open work per committee, for many committees at once (one query per kind)."""
    found: dict[int, OpenWork] = defaultdict(OpenWork)
    if not committee_ids:
        return found
    for kind, (table, condition) in _open_filters().items():
        committee = table._meta.get_column_by_name("committee")
        rows = await table.select(committee).where(committee.is_in(committee_ids) & condition)
        for row in rows:
            work = found[row["committee"]]
            setattr(work, kind, getattr(work, kind) + 1)
    return found


async def move_open_work(
    old: CommitteeView, new: CommitteeView, work: OpenWork, label: str
) -> None:
    """Move ``old``'s open work to ``new`` and stop ``old``'s accounts (inside the caller's
    transaction)."""
    if work.cases:
        await move_open_cases("merge", old, new, label=label)
    filters = _open_filters()
    target = {"committee": new.id, "tenant_path": new.path}
    for kind, children in (
        ("cadres", ()),
        ("pending_signals", ((SignalIndicator, "signal"),)),
        ("delegations", ((DelegationMember, "delegation"), (WorkingSession, "delegation"),
                         (CostLine, "delegation"))),
        ("recommendations", ()),
        ("feedback", ()),
    ):  # fmt: skip
        if getattr(work, kind):
            table, condition = filters[kind]
            await _move_rows(table, condition, old.id, target, children)
    if work.channel_settings:
        await _move_channel_settings(old, new)
    if work.accounts:
        await _stop_accounts(old.id)


async def repoint_cadres(successor_of: dict[int, int]) -> None:
    """Cadres anywhere whose residence commune or managing committee has ended now point at its
    successor (routing reads them)."""
    if not successor_of:
        return
    for column in (Cadre.residence_commune, Cadre.managing_committee):
        rows = await Cadre.select(column).where(column.is_in(list(successor_of))).distinct()
        for old_id in {r[column._meta.name] for r in rows}:
            await Cadre.update({column: successor_of[old_id]}).where(column == old_id)


async def _move_rows(
    table: type[Table],
    condition: Any,
    old_id: int,
    target: dict[str, Any],
    children: tuple[tuple[type[Table], str], ...],
) -> None:
    committee = table._meta.get_column_by_name("committee")
    rows = await table.select(table._meta.primary_key).where((committee == old_id) & condition)
    ids = [r["id"] for r in rows]
    if not ids:
        return
    values: dict[Any, Any] = {table._meta.get_column_by_name(k): v for k, v in target.items()}
    await table.update(values).where(table._meta.primary_key.is_in(ids))
    for child, foreign_key in children:
        await child.update(
            {child._meta.get_column_by_name("tenant_path"): target["tenant_path"]}
        ).where(child._meta.get_column_by_name(foreign_key).is_in(ids))


async def _move_channel_settings(old: CommitteeView, new: CommitteeView) -> None:
    """The successor keeps its own setting for a channel; otherwise it takes the old one."""
    theirs = {
        r["channel"]
        for r in await ChannelSetting.select(ChannelSetting.channel).where(
            ChannelSetting.committee == new.id
        )
    }
    rows = await ChannelSetting.select(ChannelSetting.id, ChannelSetting.channel).where(
        ChannelSetting.committee == old.id
    )
    for row in rows:
        if row["channel"] in theirs:
            continue
        await ChannelSetting.update(
            {
                ChannelSetting.committee: new.id,
                ChannelSetting.tenant_path: new.path,
                ChannelSetting.setting_key: f"{new.id}:{row['channel']}",
            }
        ).where(ChannelSetting.id == row["id"])


async def _stop_accounts(committee_id: int) -> None:
    await User.update({User.active: False}).where(User.committee == committee_id)
    await Session.delete().where(Session.committee == committee_id)


class OpenCase(msgspec.Struct, frozen=True, kw_only=True):
    committee_id: int
    number: str
    status: str
    due_on: str


async def open_cases(committee_ids: list[int]) -> list[OpenCase]:
    """The open cases of these committees with their clocks (what a dry run lists)."""
    if not committee_ids:
        return []
    rows = await (
        Case.select(Case.committee, Case.number, Case.status, Case.due_on)
        .where(
            Case.committee.is_in(committee_ids)
            & Case.status.not_in([s.value for s in TERMINAL_STATUSES])
        )
        .order_by(Case.number)
    )
    return [
        OpenCase(committee_id=r["committee"], number=r["number"], status=r["status"],
                 due_on=r["due_on"].isoformat() if r["due_on"] else "-")
        for r in rows
    ]  # fmt: skip
