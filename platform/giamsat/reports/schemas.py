"""Boundary structs of the reports area (API bodies and responses, page data)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from giamsat.channels import ReportSection
from giamsat.reports.plan import COMMITTEE_KIND

#: A figure as it leaves the committee: an exact count, or "<N" when suppressed.
ShownFigure = int | str
Reason = Annotated[str, msgspec.Meta(max_length=500)]
SectionText = Annotated[str, msgspec.Meta(max_length=20_000)]


Line = Annotated[str, msgspec.Meta(max_length=200)]


class ReportClosing(msgspec.Struct, frozen=True, kw_only=True):
    """The closing block of the printed report: who signs, in which capacity, and who receives it.

    ``signer_capacity`` is "TM. BAN THƯỜNG TRỰC" (on behalf of the standing board), "KT. CHỦ
    TỊCH" (a vice-chair signing for the chair) or empty; ``recipients`` are the "Nơi nhận" lines
    before "Lưu: VT".
    """

    signer_capacity: Line = "TM. BAN THƯỜNG TRỰC"
    signer_title: Line = "CHỦ TỊCH"
    signer_name: Line = ""
    recipients: Annotated[list[Line], msgspec.Meta(max_length=30)] = msgspec.field(
        default_factory=list
    )


class SubmitRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Submit (or resubmit, with a reason) the report of a period.

    ``kind`` is ``committee`` for the committee's own report or a partner organisation's code
    (``ldld``, ``phu_nu`` …) for that organisation's channel report, whose ``figures`` it gives.
    """

    narrative: dict[str, SectionText] = msgspec.field(default_factory=dict)
    kind: str = COMMITTEE_KIND
    reason: Reason = ""
    figures: dict[str, int] = msgspec.field(default_factory=dict)
    #: Signer and recipients; when absent, the saved draft's (or the defaults).
    closing: ReportClosing | None = None


class SubmissionView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    period: str
    kind: str
    version: int
    submitted_on: date
    late: bool
    reason: str


class ChildLine(msgspec.Struct, frozen=True, kw_only=True):
    """A child committee in a report: its status and (suppressed) submitted figures."""

    code: str
    name: str
    status: str
    version: int | None = None
    submitted_on: date | None = None
    figures: dict[str, ShownFigure] = msgspec.field(default_factory=dict)


class ChannelPart(msgspec.Struct, frozen=True, kw_only=True):
    """One enabled channel's part of a report: its sections, or a note saying why it is missing."""

    channel: str
    label_vi: str
    label_en: str
    sections: list[ReportSection] = msgspec.field(default_factory=list)
    note_vi: str = ""
    note_en: str = ""


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    """A committee's report for a period. ``suppressed`` says whether small counts are hidden."""

    committee_code: str
    committee_name: str
    period: str
    period_name: str
    #: The period's name on an English page ("Year 2022").
    period_name_en: str = ""
    deadline: date
    status: str
    version: int | None
    figures: dict[str, ShownFigure]
    own_figures: dict[str, ShownFigure]
    children: list[ChildLine]
    narrative: dict[str, str]
    suppressed: bool
    #: When the narrative shown is an unsubmitted saved draft (bản nháp), the time it was saved.
    draft_saved_at: datetime | None = None
    #: Each enabled channel's part (the plugins' sections), in the order of the channels' names.
    channels: list[ChannelPart] = msgspec.field(default_factory=list)
    #: Who signs the printed report and who receives it (entered with the draft).
    closing: ReportClosing = msgspec.field(default_factory=ReportClosing)
    #: The committee's parent, the report's first recipient ("" at the top of the tree).
    parent_name: str = ""


class StatusNode(msgspec.Struct, frozen=True, kw_only=True):
    """One committee in the reporting-status tree (đã gửi / gửi muộn / chưa gửi / chờ hạn)."""

    code: str
    name: str
    level: str
    status: str
    version: int | None = None
    submitted_on: date | None = None
    children: list[StatusNode] = msgspec.field(default_factory=list)


class StatusTree(msgspec.Struct, frozen=True, kw_only=True):
    committee_code: str
    period: str
    deadline: date
    counts: dict[str, int]
    children: list[StatusNode]


class ChaseResult(msgspec.Struct, frozen=True, kw_only=True):
    committee_code: str
    notifications: int
    mails: int


class DraftRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Save the narrative sections as a draft (blank sections allowed) before submitting."""

    narrative: dict[str, SectionText] = msgspec.field(default_factory=dict)
    closing: ReportClosing | None = None
