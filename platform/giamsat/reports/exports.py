"""The report as documents: Word (ND30 layout), Excel tables, figures tables for HTML.

Exports leave the committee, so they are always built from a suppressed :class:`ReportView`.
Wording is the documents area's editable ``bao_cao_dinh_ky`` template; a plan can ship its own
override folder at ``rules/<plan>/templates/`` (first match wins).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from giamsat.documents import (
    Column,
    ColumnKind,
    DocumentIssue,
    NarrativeSection,
    PeriodicReportFacts,
    ReportTable,
    Signer,
    WordingTemplates,
    build_periodic_report,
    render_docx,
    write_workbook,
)
from giamsat.documents import Committee as IssuingCommittee
from giamsat.documents.model import Cell
from giamsat.errors import InvalidInput
from giamsat.reports.labels import figure_label, status_label
from giamsat.reports.plan import DEFAULT_PLAN, RULES_DIR, ReportingPlan
from giamsat.reports.schemas import ReportView, ShownFigure

#: The chair signs the printed report by hand; the export leaves the name line to be filled in.
UNSIGNED = "(ký, ghi rõ họ tên)"
SUMMARY_FAMILIES = ("cadres.", "cases.", "delegations.", "recommendations.")


def _cell(value: ShownFigure) -> ShownFigure:
    return value


def figures_table(view: ReportView, key: str, title: str, prefixes: tuple[str, ...]) -> ReportTable:
    rows: list[list[Cell]] = []
    for index, (name, value) in enumerate(
        ((k, v) for k, v in view.figures.items() if k.startswith(prefixes)), start=1
    ):
        rows.append([index, figure_label(name), _cell(value)])
    return ReportTable(
        key=key,
        title=title,
        sheet_name=title[:31],
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=6),
            Column(header="Chỉ tiêu", width=48),
            # Text column: a suppressed count is shown as "<3", never as a number.
            Column(header="Số lượng", width=12),
        ],
        rows=rows,
        note='Số nhỏ hơn ngưỡng bảo vệ người phản ánh được ghi "<N".',
    )


def children_table(view: ReportView) -> ReportTable:
    rows: list[list[Cell]] = []
    for index, child in enumerate(view.children, start=1):
        signals = [v for k, v in child.figures.items() if k.startswith("signals.channel.")]
        total: ShownFigure = (
            sum(v for v in signals if isinstance(v, int))
            if all(isinstance(v, int) for v in signals)
            else "≥" + str(sum(v for v in signals if isinstance(v, int)))
        )
        rows.append(
            [
                index,
                child.name,
                status_label(child.status),
                child.figures.get("cases.opened", 0) if child.figures else None,
                total if child.figures else None,
            ]
        )
    return ReportTable(
        key="don_vi",
        title="Tình hình báo cáo của các đơn vị trực thuộc",
        sheet_name="Don vi",
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=6),
            Column(header="Đơn vị", width=32),
            Column(header="Tình trạng", width=18),
            Column(header="Vụ việc đã mở", width=12),
            Column(header="Phản ánh", width=12),
        ],
        rows=rows,
    )


def report_tables(view: ReportView) -> list[ReportTable]:
    tables = [
        figures_table(view, "tong_hop", "Kết quả chung", SUMMARY_FAMILIES),
        figures_table(view, "kenh", "Phản ánh theo kênh", ("signals.channel.",)),
        figures_table(view, "bieu_hien", "Phản ánh theo biểu hiện", ("signals.indicator.",)),
        figures_table(view, "xac_dinh", "Biểu hiện được xác định", ("findings.",)),
        figures_table(view, "cu_tru", "Nhận xét nơi cư trú", ("residence_comments.",)),
        figures_table(view, "to_chuc", "Báo cáo tổ chức thành viên", ("partners.",)),
    ]
    if view.children:
        tables.append(children_table(view))
    return tables + channel_tables(view)


def channel_tables(view: ReportView) -> list[ReportTable]:
    """Each channel section's table (a section without one adds none)."""
    tables = []
    for part in view.channels:
        for number, section in enumerate(part.sections, start=1):
            if not section.table_header:
                continue
            tables.append(
                ReportTable(
                    key=f"kenh_{part.channel}_{number}",
                    title=section.title_vi,
                    sheet_name=f"{part.channel} {number}"[:31],
                    columns=[Column(header=h or "-", width=14) for h in section.table_header],
                    rows=[list(row) for row in section.table_rows],
                    note=" ".join(section.paragraphs),
                )
            )
        if part.note_vi:
            tables.append(
                ReportTable(
                    key=f"kenh_{part.channel}_loi",
                    title=part.label_vi,
                    sheet_name=f"{part.channel} (lỗi)"[:31],
                    columns=[Column(header="Ghi chú", width=80)],
                    rows=[[part.note_vi]],
                )
            )
    return tables


def channel_narrative(view: ReportView, first: int) -> list[NarrativeSection]:
    """Each channel's part as a headed section of the Word report: its paragraphs, or the note."""
    sections = []
    for number, part in enumerate(view.channels, start=first):
        paragraphs = [p for s in part.sections for p in [s.title_vi + ":", *s.paragraphs]]
        sections.append(
            NarrativeSection(
                heading=f"{number}. {part.label_vi.upper()}",
                paragraphs=paragraphs + ([part.note_vi] if part.note_vi else []),
            )
        )
    return sections


def _require_suppressed(view: ReportView) -> None:
    if not view.suppressed:
        raise InvalidInput("exports must be built from a suppressed report view")


def workbook_bytes(view: ReportView) -> bytes:
    """The report's tables as an Excel workbook (one sheet per table)."""
    _require_suppressed(view)
    return write_workbook(report_tables(view))


def plan_templates(plan_name: str = DEFAULT_PLAN) -> WordingTemplates:
    folder = RULES_DIR / plan_name / "templates"
    return WordingTemplates([folder]) if folder.is_dir() else WordingTemplates()


def docx_bytes(
    view: ReportView,
    plan: ReportingPlan,
    issued_on: date,
    place: str = "Hà Nội",
    templates_dir: Path | None = None,
    signer_name: str = UNSIGNED,
) -> bytes:
    """The results report (Báo cáo kết quả giám sát) as a Word file in the ND30 layout."""
    _require_suppressed(view)
    period = plan.period(view.period)
    headings = {s.key: s.heading for s in plan.mandatory_sections}
    sections = [
        NarrativeSection(
            heading=f"{i}. {headings.get(k, k).upper()}",
            paragraphs=[p for p in text.splitlines() if p.strip()] or [text],
        )
        for i, (k, text) in enumerate(view.narrative.items(), start=1)
    ]
    sections += channel_narrative(view, len(sections) + 1)
    facts = PeriodicReportFacts(
        committee=IssuingCommittee(
            parent=f"ỦY BAN MTTQ VIỆT NAM\n{view.committee_name.upper()}",
            full_name=f"Ban Thường trực Ủy ban MTTQ Việt Nam {view.committee_name}",
            place=place,
        ),
        signer=Signer(capacity="TM. BAN THƯỜNG TRỰC", title="CHỦ TỊCH", name=signer_name),
        year=period.starts_on.year,
        plan_reference=period.plan_reference or plan.plan_reference,
        sections=sections,
        tables=report_tables(view),
        period_label=view.period_name.lower(),
        covered_committees=[c.name for c in view.children if c.status in ("submitted", "late")],
    )
    templates = WordingTemplates([templates_dir]) if templates_dir else plan_templates()
    return render_docx(build_periodic_report(facts, DocumentIssue(issued_on=issued_on), templates))
