"""Documents committees send: Word files in the ND30 layout, Excel workbooks of figures.

Pure library, no database. The lead's services gather facts (``DelegationFacts``,
``PeriodicReportFacts``) and call a builder, which returns an ``AdministrativeDocument``;
``render_docx`` turns that into .docx bytes and ``write_workbook`` turns ``ReportTable``s
into .xlsx bytes.

Design: layout in code, wording in editable text templates
---------------------------------------------------------
The administrative layout of Nghị định 30/2020/NĐ-CP (header table, national motto,
number and date lines, closing block, fonts, A4 margins) is fixed in ``layout`` because a
committee must not be able to break it. The *wording* of every document lives in a plain
text Jinja template in ``giamsat/documents/templates/`` (``quyet_dinh_thanh_lap_doan``,
``thong_bao_giam_sat``, ``de_cuong_bao_cao``, ``bao_cao_ket_qua_giam_sat``,
``van_ban_kien_nghi``, ``bao_cao_dinh_ky``; suffix ``.txt.j2``). We chose text templates
over .docx Jinja templates (docxtpl) because Word splits edited text into runs at random
and silently breaks ``{{ }}`` tags, whereas a text file stays diff-able, reviewable and
impossible to un-format.

How a committee changes the wording without code:

1. ``giamsat documents export-templates DIR`` copies the default templates into ``DIR``.
2. Edit the file you need in any text editor (UTF-8). One line is one paragraph; line
   prefixes (``#`` heading, ``##`` sub-heading, ``^`` centred bold, ``_`` italic,
   ``@tieu_de:`` title, ``@kinh_gui:`` addressee, ``@noi_nhan:`` recipient,
   ``[[bang: key]]`` table) are explained in ``giamsat.documents.wording``; each template's
   opening comment lists the facts it may use.
3. Keep only the changed files in ``DIR`` and pass it as an override
   (``WordingTemplates([DIR])``, one directory per plan or committee, first match wins).
   ``giamsat documents sample --templates DIR OUT`` renders all documents to check.

Templates run sandboxed with strict undefined variables: a misspelt placeholder fails with
the template name instead of producing a document with blanks.
"""

from giamsat.documents.delegation import (
    DEFAULT_MIN_NOTICE_DAYS,
    DelegationFacts,
    DelegationMember,
    Finding,
    Indicator,
    MemberRole,
    Recommendation,
    ScheduleItem,
    SupervisedBody,
    build_delegation_decision,
    build_recommendation_letter,
    build_report_outline,
    build_results_report,
    build_supervision_notice,
)
from giamsat.documents.errors import DocumentError, TemplateError
from giamsat.documents.issuing import Committee, DocumentIssue, Signer
from giamsat.documents.layout import render_docx
from giamsat.documents.model import (
    AdministrativeDocument,
    Column,
    ColumnKind,
    DocumentKind,
    Paragraph,
    ParagraphStyle,
    ReportTable,
    Section,
    Withheld,
)
from giamsat.documents.numbers import format_number
from giamsat.documents.periodic import NarrativeSection, PeriodicReportFacts, build_periodic_report
from giamsat.documents.wording import WordingTemplates, template_names
from giamsat.documents.workbook import WorkbookHeading, write_workbook

__all__ = [
    "DEFAULT_MIN_NOTICE_DAYS",
    "AdministrativeDocument",
    "Column",
    "ColumnKind",
    "Committee",
    "DelegationFacts",
    "DelegationMember",
    "DocumentError",
    "DocumentIssue",
    "DocumentKind",
    "Finding",
    "Indicator",
    "MemberRole",
    "NarrativeSection",
    "Paragraph",
    "ParagraphStyle",
    "PeriodicReportFacts",
    "Recommendation",
    "ReportTable",
    "ScheduleItem",
    "Section",
    "Signer",
    "SupervisedBody",
    "TemplateError",
    "Withheld",
    "WordingTemplates",
    "WorkbookHeading",
    "build_delegation_decision",
    "build_periodic_report",
    "build_recommendation_letter",
    "build_report_outline",
    "build_results_report",
    "build_supervision_notice",
    "format_number",
    "render_docx",
    "template_names",
    "write_workbook",
]
