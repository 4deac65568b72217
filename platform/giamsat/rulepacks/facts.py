"""Boundary structs: what a caller hands to an evaluator and what it gets back.

The caller (the case service) replays one case from the database into :class:`CaseFacts`:
the supervised person (``Subject``, người bị giám sát) and the signals (``Signal``: phản ánh,
khiếu nại, tố cáo, góp ý …) it selected for the case. Time-window counts are **computed by
the evaluator** from ``signals`` relative to ``as_of`` (a signal counts for "within N days"
when ``as_of - N days < received_on <= as_of``), so the caller only chooses which signals to
load; both evaluators share that computation and differ only in how rules are matched.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

ManagingLevel = Literal["central", "province", "district", "commune", "residence_party_cell"]
"""Cán bộ thuộc diện cấp ủy nào quản lý: the party committee level that manages the cadre."""

PositionKind = Literal["head", "key_official", "cadre", "party_member"]
"""Người đứng đầu, cán bộ chủ chốt, cán bộ, đảng viên."""

SignalKind = Literal["report", "complaint", "denunciation", "feedback", "survey", "assessment"]
"""Phản ánh, khiếu nại, tố cáo, góp ý, phiếu khảo sát, đánh giá."""

SignalFlag = Literal["corruption", "press", "anonymous", "complex"]
"""Marks a receiving officer sets on a signal; ``complex`` (vụ việc phức tạp) lengthens clocks."""

Priority = Literal["low", "normal", "high"]

PRIORITY_RANK: dict[str, int] = {"low": 0, "normal": 1, "high": 2}


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """The supervised cadre or party member."""

    id: str
    managing_level: ManagingLevel
    is_party_member: bool
    position: PositionKind


class Signal(msgspec.Struct, frozen=True, kw_only=True):
    """One inbound signal about the subject (reporter identity never reaches here)."""

    id: str
    channel: str
    kind: SignalKind
    indicators: list[str] = msgspec.field(default_factory=list)
    received_on: dt.date
    receiving_level: str
    flags: list[SignalFlag] = msgspec.field(default_factory=list)


class CaseFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Everything one case evaluation may look at; ``signals`` must not be empty.

    ``committee_path`` is the receiving committee's materialised path (``/01/001/00001/``):
    a lower committee's added rules apply only when it lies in that committee's subtree.
    Left empty, no addition applies (the city's rules alone)."""

    case_id: str
    as_of: dt.date
    receiving_level: str
    subject: Subject
    signals: list[Signal]
    committee_path: str = ""


class FiredRule(msgspec.Struct, frozen=True, kw_only=True):
    """A rule that fired: shown to staff as the reason for the decision."""

    id: str
    kind: Literal["indicator", "routing"]
    title_vi: str
    title_en: str


class ClockDecision(msgspec.Struct, frozen=True, kw_only=True):
    """A deadline to start (in working days) and what happens when it runs out."""

    name: str
    title_vi: str
    working_days: int
    on_overdue: Literal["escalate_to_parent", "remind"]


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """The pack's verdict on one case; ``pack_version`` is recorded with the case."""

    pack_version: str
    open_case: bool
    priority: Priority | None
    findings: list[str]
    route_to_level: str | None
    forward_up: bool
    forward_path: list[str]
    clocks: list[ClockDecision]
    propose_delegation: bool
    fired: list[FiredRule]
    #: The residence duties the fired rules record at the member's residence commune (the
    #: signal's own codes among them become findings on the residence record).
    residence_duties: list[str] = msgspec.field(default_factory=list)
