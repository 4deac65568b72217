"""The five documents of a supervision delegation (Đoàn giám sát), built from typed facts.

Procedure (NQLT 403/2017): decision forming the delegation → notice with the schedule and
the report outline, sent to the supervised body at least 15 days ahead → the supervised
body's report and working sessions → results report → recommendation letter, whose
answer-by date starts the answer clock. Each builder checks the facts its document needs
and renders the committee-editable wording template of the same name.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import msgspec

from giamsat.documents.errors import DocumentError
from giamsat.documents.issuing import Committee, DocumentIssue, Signer, compose
from giamsat.documents.model import (
    AdministrativeDocument,
    Cell,
    Column,
    ColumnKind,
    DocumentKind,
    ReportTable,
)
from giamsat.documents.vndate import short_date
from giamsat.documents.wording import WordingTemplates
from giamsat.web.i18n import N_, Word

DEFAULT_MIN_NOTICE_DAYS = 15
"""NQLT 403/2017: plan, decision and outline reach the supervised body 15 days ahead."""


class MemberRole(enum.StrEnum):
    """A member's role in the delegation."""

    HEAD = "head"  # Trưởng đoàn
    DEPUTY = "deputy"  # Phó Trưởng đoàn
    SECRETARY = "secretary"  # Thư ký
    MEMBER = "member"  # Thành viên


ROLE_LABELS: dict[MemberRole, str] = {
    MemberRole.HEAD: "Trưởng đoàn",
    MemberRole.DEPUTY: "Phó Trưởng đoàn",
    MemberRole.SECRETARY: "Thư ký",
    MemberRole.MEMBER: "Thành viên",
}
#: The roles as a message names them (the catalogue's words, as on the delegation's page).
_ROLE_WORDS: dict[MemberRole, str] = {
    MemberRole.HEAD: N_("Head of the delegation"),
    MemberRole.DEPUTY: N_("Deputy head"),
    MemberRole.SECRETARY: N_("Secretary"),
    MemberRole.MEMBER: N_("Member"),
}


class DelegationMember(msgspec.Struct, kw_only=True):
    """One person on the delegation, with the post and organisation they come from."""

    name: str
    role: MemberRole
    position: str
    organisation: str

    @property
    def role_label(self) -> str:
        """Vietnamese role label ("Trưởng đoàn")."""
        return ROLE_LABELS[self.role]

    @property
    def introduction(self) -> str:
        """ "Name, post, organisation" with the parts that are given: a member without a post
        reads "Nguyễn Văn A, Ủy ban MTTQ", never "Nguyễn Văn A, , Ủy ban MTTQ"."""
        parts = (self.name, self.position, self.organisation)
        return ", ".join(part.strip() for part in parts if part.strip())

    @property
    def name_and_position(self) -> str:
        """ "Name, post", or the name alone when the member has no post."""
        parts = (self.name, self.position)
        return ", ".join(part.strip() for part in parts if part.strip())


class ScheduleItem(msgspec.Struct, kw_only=True):
    """One working session of the delegation (buổi làm việc)."""

    on: date
    time: str
    place: str
    activity: str


class Indicator(msgspec.Struct, kw_only=True):
    """A supervised content item (e.g. DD1 … DD9, NCT1 … NCT7 of the plan)."""

    code: str
    name: str


class Finding(msgspec.Struct, kw_only=True):
    """What the delegation concluded about one indicator."""

    indicator_code: str
    indicator_name: str
    conclusion: str
    details: str = ""


class Recommendation(msgspec.Struct, kw_only=True):
    """One numbered recommendation (kiến nghị) and whom it is addressed to."""

    text: str
    addressee: str = ""


class SupervisedBody(msgspec.Struct, kw_only=True):
    """The body supervised (đối tượng giám sát) and how it is addressed."""

    name: str
    address: str = ""


class DelegationFacts(msgspec.Struct, kw_only=True):
    """Everything the five delegation documents say, gathered by the lead's services."""

    committee: Committee
    signer: Signer
    plan_reference: str
    subject: str
    supervised: SupervisedBody
    members: list[DelegationMember]
    period_start: date
    period_end: date
    schedule: list[ScheduleItem] = msgspec.field(default_factory=list)
    report_due: date | None = None
    indicators: list[Indicator] = msgspec.field(default_factory=list)
    findings: list[Finding] = msgspec.field(default_factory=list)
    recommendations: list[Recommendation] = msgspec.field(default_factory=list)
    answer_by: date | None = None
    decision_reference: str = ""
    legal_bases: list[str] = msgspec.field(default_factory=list)
    lead_department: str = "Ban Dân chủ - Pháp luật"
    contact: str = ""
    min_notice_days: int = DEFAULT_MIN_NOTICE_DAYS

    def __post_init__(self) -> None:
        if not self.subject.strip():
            raise DocumentError(N_("The delegation has no subject."))
        heads = [m for m in self.members if m.role is MemberRole.HEAD]
        if len(heads) != 1:
            raise DocumentError(
                N_("A delegation needs exactly one head; this one has %(count)s."),
                params={"count": len(heads)},
            )
        if not any(m.role is MemberRole.SECRETARY for m in self.members):
            raise DocumentError(N_("A delegation needs a secretary."))
        for member in self.members:
            if not member.name.strip():
                raise DocumentError(
                    N_("A member of the delegation (%(role)s) has no name."),
                    params={"role": Word(_ROLE_WORDS[member.role])},
                )
        if self.period_start > self.period_end:
            raise DocumentError(
                N_("The supervised period cannot start (%(start)s) after it ends (%(end)s)."),
                params={
                    "start": f"{self.period_start:%d/%m/%Y}",
                    "end": f"{self.period_end:%d/%m/%Y}",
                },
            )
        if self.min_notice_days < 0:
            raise DocumentError(N_("The notice lead time cannot be negative."))

    @property
    def head(self) -> DelegationMember:
        """The head of the delegation (Trưởng đoàn)."""
        return next(m for m in self.members if m.role is MemberRole.HEAD)

    def by_role(self, role: MemberRole) -> list[DelegationMember]:
        """Members with ``role``, in the order given."""
        return [m for m in self.members if m.role is role]


def _context(facts: DelegationFacts, issue: DocumentIssue, **extra: Any) -> dict[str, Any]:
    return {
        "facts": facts,
        "committee": facts.committee,
        "issue": issue,
        "head": facts.head,
        "deputies": facts.by_role(MemberRole.DEPUTY),
        "secretaries": facts.by_role(MemberRole.SECRETARY),
        "members": facts.by_role(MemberRole.MEMBER),
        "schedule": sorted(facts.schedule, key=lambda item: item.on),
        "extra_recipients": issue.recipients,
        **extra,
    }


def build_delegation_decision(
    facts: DelegationFacts, issue: DocumentIssue, templates: WordingTemplates | None = None
) -> AdministrativeDocument:
    """(1) Quyết định thành lập Đoàn giám sát: members, head, deputy, secretary."""
    wording = (templates or WordingTemplates()).render(
        "quyet_dinh_thanh_lap_doan", _context(facts, issue)
    )
    return compose(DocumentKind.DECISION, facts.committee, issue, wording, facts.signer)


def build_supervision_notice(
    facts: DelegationFacts, issue: DocumentIssue, templates: WordingTemplates | None = None
) -> AdministrativeDocument:
    """(2) Thông báo / Kế hoạch giám sát: schedule, sent at least N days ahead."""
    if not facts.schedule:
        raise DocumentError(N_("The notice needs the schedule of the working sessions."))
    first = min(item.on for item in facts.schedule)
    lead_days = (first - issue.issued_on).days
    if lead_days < facts.min_notice_days:
        raise DocumentError(
            N_(
                "The notice must be issued at least %(needed)s days before the first working "
                "session (%(first)s); issued on %(issued)s, it comes only %(lead)s days before it."
            ),
            params={
                "needed": facts.min_notice_days,
                "first": f"{first:%d/%m/%Y}",
                "issued": f"{issue.issued_on:%d/%m/%Y}",
                "lead": lead_days,
            },
        )
    if facts.report_due is None:
        raise DocumentError(N_("The notice needs the date the supervised body's report is due."))
    if not issue.issued_on <= facts.report_due <= first:
        raise DocumentError(
            N_(
                "The date the report is due (%(date)s) must fall between the notice (%(notice)s) "
                "and the first working session (%(first)s)."
            ),
            params={
                "date": f"{facts.report_due:%d/%m/%Y}",
                "notice": f"{issue.issued_on:%d/%m/%Y}",
                "first": f"{first:%d/%m/%Y}",
            },
        )
    wording = (templates or WordingTemplates()).render(
        "thong_bao_giam_sat", _context(facts, issue), tables=[_schedule_table(facts)]
    )
    return compose(DocumentKind.NOTICE, facts.committee, issue, wording, facts.signer)


def build_report_outline(
    facts: DelegationFacts, issue: DocumentIssue, templates: WordingTemplates | None = None
) -> AdministrativeDocument:
    """(3) Đề cương báo cáo: what the supervised body must report, item by item."""
    if not facts.indicators:
        raise DocumentError(N_("The report outline needs at least one supervised content item."))
    wording = (templates or WordingTemplates()).render("de_cuong_bao_cao", _context(facts, issue))
    return compose(DocumentKind.OUTLINE, facts.committee, issue, wording, facts.signer)


def build_results_report(
    facts: DelegationFacts, issue: DocumentIssue, templates: WordingTemplates | None = None
) -> AdministrativeDocument:
    """(4) Báo cáo kết quả giám sát: findings per indicator, with a summary table."""
    if not facts.findings:
        raise DocumentError(N_("The results report needs at least one finding."))
    table = _findings_table(facts)
    wording = (templates or WordingTemplates()).render(
        "bao_cao_ket_qua_giam_sat", _context(facts, issue), tables=[table]
    )
    return compose(DocumentKind.REPORT, facts.committee, issue, wording, facts.signer)


def build_recommendation_letter(
    facts: DelegationFacts, issue: DocumentIssue, templates: WordingTemplates | None = None
) -> AdministrativeDocument:
    """(5) Văn bản kiến nghị: numbered recommendations and the answer-by date."""
    if not facts.recommendations:
        raise DocumentError(N_("The recommendation letter has no recommendations."))
    if facts.answer_by is None or facts.answer_by <= issue.issued_on:
        raise DocumentError(
            N_(
                "The recommendation letter needs a date to answer by after its issue date "
                "(%(date)s)."
            ),
            params={"date": f"{issue.issued_on:%d/%m/%Y}"},
        )
    wording = (templates or WordingTemplates()).render("van_ban_kien_nghi", _context(facts, issue))
    return compose(DocumentKind.RECOMMENDATION, facts.committee, issue, wording, facts.signer)


def _schedule_table(facts: DelegationFacts) -> ReportTable:
    rows: list[list[Cell]] = [
        [index, short_date(item.on), item.time, item.place, item.activity]
        for index, item in enumerate(sorted(facts.schedule, key=lambda s: s.on), start=1)
    ]
    return ReportTable(
        key="lich_lam_viec",
        title="LỊCH LÀM VIỆC CỦA ĐOÀN GIÁM SÁT",
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=8),
            Column(header="Ngày", width=14),
            Column(header="Thời gian", width=12),
            Column(header="Địa điểm", width=28),
            Column(header="Nội dung làm việc", width=40),
        ],
        rows=rows,
    )


def _findings_table(facts: DelegationFacts) -> ReportTable:
    return ReportTable(
        key="ket_qua_theo_noi_dung",
        title="TỔNG HỢP KẾT QUẢ GIÁM SÁT THEO NỘI DUNG",
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=8),
            Column(header="Mã", width=9),
            Column(header="Nội dung giám sát", width=45),
            Column(header="Kết luận", width=30),
        ],
        rows=[
            [index, item.indicator_code, item.indicator_name, item.conclusion]
            for index, item in enumerate(facts.findings, start=1)
        ],
    )
