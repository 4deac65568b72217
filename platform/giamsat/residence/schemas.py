"""The residence record's boundary shapes (pages, API, documents)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

#: A duty's rating by the commune: fulfilled (thực hiện tốt) or short of it (chưa thực hiện tốt).
Rating = Literal["met", "short"]
#: The year's overall result (kết quả nhận xét), as on the residence channel's year-end form.
Result = Literal["hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh"]
RESULTS: tuple[str, ...] = ("hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")
Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]
Short = Annotated[str, msgspec.Meta(max_length=255)]


class ResidenceFindingView(msgspec.Struct, frozen=True, kw_only=True):
    """One duty found short: when (the signal's received date), and from where."""

    indicator: str
    duty_vi: str
    duty_en: str
    found_on: dt.date
    channel: str
    kind: str
    source: str
    signal_id: int


class DutyView(msgspec.Struct, frozen=True, kw_only=True):
    """One residence duty of the pack in force, with its findings this year and the rating the
    commune gave (``rating`` empty while not assessed)."""

    code: str
    text_vi: str
    text_en: str
    findings: int
    rating: Rating | None = None


class ResidenceRecordSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A member living in the commune, in the commune's list for the year."""

    cadre_id: int
    cadre_code: str
    full_name: str
    position: str
    workplace: str
    findings: int
    short_duties: list[str]
    result: Result | None = None
    assessed: bool = False
    workplace_party_org: str = ""


class ResidenceRecordList(msgspec.Struct, frozen=True, kw_only=True):
    """A commune's residence records for one year."""

    committee_code: str
    committee_name: str
    year: int
    records: list[ResidenceRecordSummary]


class ResidenceRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A member's residence record for one year at the commune where the member lives."""

    cadre_id: int
    cadre_code: str
    full_name: str
    position: str
    workplace: str
    committee_code: str
    committee_name: str
    year: int
    duties: list[DutyView]
    findings: list[ResidenceFindingView]
    assessed: bool = False
    result: Result | None = None
    residence_party_cell: str = ""
    workplace_party_org: str = ""
    comment: str = ""
    assessed_at: dt.datetime | None = None


class AssessmentUpdate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The commune's assessment of a member for a year (duties left out are not rated)."""

    year: Year
    duties: dict[str, Rating] = msgspec.field(default_factory=dict)
    result: Result | None = None
    residence_party_cell: Short = ""
    workplace_party_org: Short = ""
    comment: Annotated[str, msgspec.Meta(max_length=4000)] = ""
