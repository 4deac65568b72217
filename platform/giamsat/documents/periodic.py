"""Periodic supervision results report (Báo cáo kết quả giám sát năm …).

Narrative sections plus figure tables; the same builder serves a commune's own report and
a city's roll-up of its subtree, since the lead passes in whatever tables the aggregation
produced and names the lower committees whose reports were included.
"""

from __future__ import annotations

import msgspec

from giamsat.documents.errors import DocumentError
from giamsat.documents.issuing import Committee, DocumentIssue, Signer, compose
from giamsat.documents.model import AdministrativeDocument, DocumentKind, ReportTable
from giamsat.documents.wording import WordingTemplates
from giamsat.web.i18n import N_, quoted_list

DEFAULT_SUBJECT = (
    "việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt "
    "và cán bộ, đảng viên"
)


class NarrativeSection(msgspec.Struct, kw_only=True):
    """A headed part of the narrative; each paragraph is one string."""

    heading: str
    paragraphs: list[str]


class PeriodicReportFacts(msgspec.Struct, kw_only=True):
    """What a periodic report says: period, narrative, tables, roll-up coverage."""

    committee: Committee
    signer: Signer
    year: int
    plan_reference: str
    sections: list[NarrativeSection]
    tables: list[ReportTable] = msgspec.field(default_factory=list)
    subject: str = DEFAULT_SUBJECT
    period_label: str = ""
    """Overrides "năm {year}" in the title, e.g. "6 tháng đầu năm 2022"."""
    covered_committees: list[str] = msgspec.field(default_factory=list)
    """Lower committees whose results the figures include (roll-up reports)."""
    lead_department: str = "Ban Dân chủ - Pháp luật"

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise DocumentError(
                N_("The report year %(year)s is not between 2000 and 2100."),
                params={"year": self.year},
            )
        if not self.sections and not self.tables:
            raise DocumentError(N_("The periodic report has neither narrative nor tables."))
        keys = [table.key for table in self.tables]
        twice = [table.title for table in self.tables if keys.count(table.key) > 1]
        if twice:
            raise DocumentError(
                N_("Tables of the report share one key: %(tables)s."),
                params={"tables": quoted_list(dict.fromkeys(twice))},
            )
        for section in self.sections:
            if not section.heading.strip():
                raise DocumentError(N_("A narrative section has no heading."))

    @property
    def period(self) -> str:
        """The period wording used in the title ("năm 2022")."""
        return self.period_label or f"năm {self.year}"


def build_periodic_report(
    facts: PeriodicReportFacts, issue: DocumentIssue, templates: WordingTemplates | None = None
) -> AdministrativeDocument:
    """Báo cáo kết quả giám sát for a period, with narrative and figure tables."""
    context = {
        "facts": facts,
        "committee": facts.committee,
        "issue": issue,
        "extra_recipients": issue.recipients,
    }
    wording = (templates or WordingTemplates()).render(
        "bao_cao_dinh_ky", context, tables=facts.tables
    )
    return compose(DocumentKind.REPORT, facts.committee, issue, wording, facts.signer)
