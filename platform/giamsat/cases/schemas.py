"""Boundary structs of cases: what opens one, what each viewer gets back, what changes it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from giamsat.db.ids import RowId

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Priority = Literal["low", "normal", "high", "urgent"]
IndicatorCode = Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


class FiredRule(msgspec.Struct, frozen=True, kw_only=True):
    """A rule of the pack that decided something about the case; its title is the reason shown."""

    id: str
    title: str
    title_en: str = ""
    kind: str = ""


class OpenCase(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Everything needed to open a case; the rule-pack integration fills it from its decision.

    ``owner`` is the committee code the case was routed to, ``origin`` the committee that
    received the signals. ``clock_days`` lets the pack set the clock; otherwise 20 working days,
    30 when ``complex_case``.
    """

    owner: str
    origin: str
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    received_on: dt.date
    cadre_id: RowId | None = None
    subject_name: Annotated[str, msgspec.Meta(max_length=255)] = ""
    priority: Priority = "normal"
    complex_case: bool = False
    managing_level: str = ""
    pack_version: str = ""
    fired_rules: list[FiredRule] = msgspec.field(default_factory=list)
    signal_ids: list[RowId] = msgspec.field(default_factory=list)
    findings: list[str] = msgspec.field(default_factory=list)
    clock_days: Annotated[int, msgspec.Meta(ge=1, le=365)] | None = None
    follow_up_of: RowId | None = None


class CaseByHand(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``POST /api/v1/cases``: what staff choose; the pack does the rest.

    ``indicators`` are catalogue codes of the pack in force (e.g. ``DD3``, ``NCT2``);
    ``signal_ids`` are signals of the caller's committee (or below) the case gathers;
    ``owner`` (a committee code) and ``owner_reason`` only to choose an owner above the routed
    one; ``received_on`` defaults to today and is never in the future.
    """

    cadre_id: int
    indicators: Annotated[list[IndicatorCode], msgspec.Meta(min_length=1, max_length=20)]
    title: Annotated[str, msgspec.Meta(max_length=255)] = ""
    received_on: dt.date | None = None
    signal_ids: Annotated[list[int], msgspec.Meta(max_length=200)] = []
    corruption: bool = False
    press: bool = False
    complex_case: bool = False
    owner: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    owner_reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class CaseEventView(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    reason: str
    actor: int | None
    details: dict[str, object]


class SignalSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A signal behind the case; ``source`` (who reported) only for the owning committee, and
    only for signals it received itself. ``received_by`` names the committee that received it
    (a committee above, when the case was routed down)."""

    id: int
    channel: str
    kind: str
    received_on: dt.date
    indicator_codes: list[str]
    source: str | None = None
    received_by: str = ""
    received_by_name: str = ""


class FindingView(msgspec.Struct, frozen=True, kw_only=True):
    indicator: str
    signal_id: int | None
    rule_id: str


class DueNote(msgspec.Struct, frozen=True, kw_only=True):
    """Why a due date may still move: it counts in years whose holidays are not confirmed."""

    provisional_years: list[int]
    vi: str
    en: str


class CaseView(msgspec.Struct, frozen=True, kw_only=True):
    """A case in full, for its owner; the subtree's ancestors get it without reporter identity."""

    id: int
    number: str
    committee_code: str
    committee_name: str
    origin_path: str
    cadre_id: int | None
    subject_name: str
    title: str
    status: str
    priority: str
    complex_case: bool
    managing_level: str
    pack_version: str
    fired_rules: list[FiredRule]
    assignee: RowId | None
    received_on: dt.date
    due_on: dt.date | None
    #: Set while the due date rests on a provisional calendar year (lịch nghỉ chưa xác nhận).
    due_note: DueNote | None
    clock_days: int
    paused_days: int
    paused_since: dt.date | None
    escalated: bool
    merged_into: int | None
    follow_up_of: int | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    allowed_statuses: list[str]
    #: What the deciding pack proposes for the case: ``["delegation"]`` or nothing.
    proposals: list[str] = []
    signals: list[SignalSummary] = msgspec.field(default_factory=list)
    findings: list[FindingView] = msgspec.field(default_factory=list)
    history: list[CaseEventView] = msgspec.field(default_factory=list)


class CaseStatusView(msgspec.Struct, frozen=True, kw_only=True):
    """What the committee that referred a case up still sees: where it is and how it stands."""

    id: int
    number: str
    committee_code: str
    committee_name: str
    status: str
    received_on: dt.date
    due_on: dt.date | None
    due_note: DueNote | None
    closed_at: dt.datetime | None


class CaseDetail(msgspec.Struct, frozen=True, kw_only=True):
    """One case as the caller may see it: ``access`` is full, subtree or status (then ``case`` is
    None and ``status`` is set)."""

    access: Literal["full", "subtree", "status"]
    case: CaseView | None = None
    status: CaseStatusView | None = None


class CaseListItem(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    committee_code: str
    #: The name of the committee handling the case (the code is for machines).
    committee_name: str
    title: str
    status: str
    priority: str
    complex_case: bool
    received_on: dt.date
    due_on: dt.date | None
    escalated: bool
    access: Literal["full", "subtree", "status"]


class StatusChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    status: str
    reason: str = ""


class Transfer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    target: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    reason: Reason


class Forward(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class Merge(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    into: RowId
    reason: Reason


class ComplexFlag(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    complex_case: bool
    reason: Reason


class ClockChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Pause or resume the clock on ``on`` (default: today)."""

    reason: Reason
    on: dt.date | None = None


class Assign(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    assignee: RowId | None


#: How a list of cases can be ordered: a column, ``-`` first for descending.
CaseSort = Literal[
    "due_on", "-due_on", "received_on", "-received_on", "number", "-number", "status", "-status"
]


class CaseFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which cases a list shows, in which order (``limit``/``offset`` for :meth:`list` only;
    pages and the API ask for a :class:`giamsat.db.paging.PageRequest`)."""

    status: str = ""
    overdue_on: dt.date | None = None
    q: str = ""
    #: Only the committee's own open cases due between these days (both included).
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    #: Only the committee's own open cases in these statuses.
    own_open_in: tuple[str, ...] = ()
    sort: CaseSort = "due_on"
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 100
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0
