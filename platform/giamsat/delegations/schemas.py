"""Boundary structs of delegations: one request struct per procedural step, one view."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from giamsat.db.ids import Number, RowId

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
Role = Literal["head", "deputy", "secretary", "member"]
Source = Literal["committee", "member_organisation", "advisory_council", "expert"]
DocumentName = Literal["decision", "notice", "outline", "results", "letter"]


class IndicatorIn(msgspec.Struct, frozen=True, kw_only=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    name: Short


class DelegationPlan(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Kế hoạch giám sát: what is supervised, whom, over which period."""

    subject: Text
    supervised_name: Short
    period_start: dt.date
    period_end: dt.date
    indicators: list[IndicatorIn]
    supervised_address: Annotated[str, msgspec.Meta(max_length=255)] = ""
    plan_reference: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    case_id: RowId | None = None


class MemberIn(msgspec.Struct, frozen=True, kw_only=True):
    full_name: Short
    role: Role
    position: Annotated[str, msgspec.Meta(max_length=200)] = ""
    organisation: Annotated[str, msgspec.Meta(max_length=255)] = ""
    source: Source = "committee"
    official: bool = True


class Decision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Quyết định thành lập Đoàn giám sát: the members, one head, at least one secretary."""

    decided_on: dt.date
    members: list[MemberIn]
    signer_name: Short
    number: Number | None = None
    signer_title: Short = "PHÓ CHỦ TỊCH"
    signer_capacity: Short = "TM. BAN THƯỜNG TRỰC"


class SessionIn(msgspec.Struct, frozen=True, kw_only=True):
    held_on: dt.date
    place: Short
    activity: Short
    time: Annotated[str, msgspec.Meta(min_length=1, max_length=20)] = "8h00"


class Notice(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Thông báo + đề cương báo cáo, sent ahead of the first working session."""

    notice_on: dt.date
    report_due: dt.date
    sessions: list[SessionIn]
    number: Number | None = None


class ReportReceived(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    received_on: dt.date


class Minutes(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    session_id: RowId
    minutes: Text


class FindingIn(msgspec.Struct, frozen=True, kw_only=True):
    indicator_code: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    indicator_name: Short
    conclusion: Short
    details: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class Results(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Báo cáo kết quả giám sát."""

    results_on: dt.date
    findings: list[FindingIn]
    number: Number | None = None


class RecommendationIn(msgspec.Struct, frozen=True, kw_only=True):
    text: Text
    addressee: Annotated[str, msgspec.Meta(max_length=255)] = ""


class Letter(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Văn bản kiến nghị; ``answer_by`` defaults to the pack's period (20 working days)."""

    letter_on: dt.date
    recommendations: list[RecommendationIn]
    number: Number | None = None
    answer_by: dt.date | None = None


class Answer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    answered_on: dt.date
    summary: Text


class NoticeSetting(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    min_notice_days: Annotated[int, msgspec.Meta(ge=0, le=90)]


class DelegationSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A delegation as a list shows it: what it supervises, its step and its answer date."""

    id: int
    subject: str
    supervised_name: str
    status: str
    decision_on: dt.date | None
    answer_by: dt.date | None
    committee_code: str
    committee_name: str


class MemberView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    full_name: str
    role: str
    position: str
    organisation: str
    source: str
    official: bool


class SessionView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    held_on: dt.date
    time: str
    place: str
    activity: str
    minutes: str


class CostLineView(msgspec.Struct, frozen=True, kw_only=True):
    item: str
    label: str
    unit_amount: int
    quantity: int
    amount: int
    verified: bool


class DelegationView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    case_id: int | None
    subject: str
    supervised_name: str
    supervised_address: str
    plan_reference: str
    period_start: dt.date
    period_end: dt.date
    status: str
    min_notice_days: int
    indicators: list[IndicatorIn]
    findings: list[FindingIn]
    decision_number: int | None
    decision_on: dt.date | None
    notice_number: int | None
    notice_on: dt.date | None
    report_due: dt.date | None
    report_received_on: dt.date | None
    results_number: int | None
    results_on: dt.date | None
    letter_number: int | None
    letter_on: dt.date | None
    answer_by: dt.date | None
    answered_on: dt.date | None
    answer_summary: str
    signer_name: str
    members: list[MemberView]
    sessions: list[SessionView]
    costs: list[CostLineView]
    documents: list[str]
    signer_title: str = "PHÓ CHỦ TỊCH"
    signer_capacity: str = "TM. BAN THƯỜNG TRỰC"
