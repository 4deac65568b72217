"""Boundary shapes of the portal. None of the staff-facing views carries the identity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from giamsat.portal.identity import Identity

SubjectKind = Literal["cadre", "organisation"]
MessageBody = Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class PortalSubmission(msgspec.Struct, frozen=True, kw_only=True):
    """A report from the public: the citizen form's values, the subject kind, optional identity."""

    committee: str
    subject_kind: SubjectKind = "cadre"
    values: dict[str, str]
    anonymous: bool = True
    identity: Identity | None = None
    token: str | None = None


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """Shown once, right after submitting; the code is not stored and cannot be shown again."""

    code: str
    committee_name: str
    received_on: date


class ThreadMessage(msgspec.Struct, frozen=True, kw_only=True):
    author: Literal["reporter", "staff"]
    body: str
    at: datetime


class ReportStatus(msgspec.Struct, frozen=True, kw_only=True):
    """What the holder of a receipt code sees."""

    committee_name: str
    kind: str
    status: str
    status_vi: str
    status_en: str
    received_on: date
    summary: str
    messages: list[ThreadMessage]
    #: The date a reply is due by, once a case's clock runs.
    reply_by: date | None = None
    #: Why the committee closed the report as outside the Front's remit (its staff's words).
    reason: str = ""


class DisclosureView(msgspec.Struct, frozen=True, kw_only=True):
    """A request to see the reporter's identity (never the identity itself)."""

    id: int
    signal_id: int
    requested_by: int
    reason: str
    status: str
    decided_by: int | None
    expires_at: datetime | None
    views: int


class PortalReportView(msgspec.Struct, frozen=True, kw_only=True):
    """A portal report as the committee's staff see it: no identity, only whether one exists."""

    signal_id: int
    kind: str
    subject_kind: str
    subject: str
    summary: str
    status: str
    received_on: date
    anonymous: bool
    has_identity: bool
    messages: list[ThreadMessage] = []
    disclosures: list[DisclosureView] = []


class MessageCreate(msgspec.Struct, frozen=True):
    body: MessageBody


class DisclosureCreate(msgspec.Struct, frozen=True):
    reason: Annotated[str, msgspec.Meta(min_length=10, max_length=1000)]
