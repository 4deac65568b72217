"""The report as documents: Word (ND30 layout), Excel tables, figures tables for HTML.

Exports leave the committee, so they are always built from a suppressed :class:`ReportView`.
Wording is the documents area's editable ``bao_cao_dinh_ky`` template; a plan can ship its own
override folder at ``rules/<plan>/templates/`` (first match wins).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import msgspec

from giamsat.documents import (
    Column,
    ColumnKind,
    DocumentIssue,
    NarrativeSection,
    PeriodicReportFacts,
    ReportTable,
    Signer,
    WordingTemplates,
    WorkbookHeading,
    build_periodic_report,
    render_docx,
    write_workbook,
)
from giamsat.documents import Committee as IssuingCommittee
from giamsat.documents.model import Cell
from giamsat.errors import InvalidInput
from giamsat.reports.labels import Names, figure_label, shown, status_label, threshold_sentence
from giamsat.reports.plan import DEFAULT_PLAN, RULES_DIR, ReportingPlan
from giamsat.reports.schemas import ReportView

#: The chair signs the printed report by hand; the export leaves the name line to be filled in.
UNSIGNED = "(ký, ghi rõ họ tên)"
SUMMARY_FAMILIES = ("cadres.", "cases.", "delegations.", "recommendations.")


def _cell(value: object) -> Cell:
    worded = shown(value)
    return worded if not isinstance(worded, bool) else str(worded)


def figures_table(
    view: ReportView,
    key: str,
    title: str,
    prefixes: tuple[str, ...],
    names: Names | None = None,
    threshold: int | None = None,
) -> ReportTable:
    """One family of figures: STT, the figure's name, its count (right-aligned, 1.234).

    ``threshold`` (sensitive families): the note states the suppression rule in words."""
    rows: list[list[Cell]] = []
    for index, (name, value) in enumerate(
        ((k, v) for k, v in view.figures.items() if k.startswith(prefixes)), start=1
    ):
        rows.append([index, figure_label(name, "vi", names), _cell(value)])
    return ReportTable(
        key=key,
        title=title,
        sheet_name=title[:31],
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=6),
            Column(header="Chỉ tiêu", width=56),
            Column(header="Số lượng", kind=ColumnKind.INTEGER, width=12),
        ],
        rows=rows,
        note=threshold_sentence(threshold) if threshold is not None else "",
    )


def children_table(view: ReportView) -> ReportTable:
    rows: list[list[Cell]] = []
    for index, child in enumerate(view.children, start=1):
        signals = [v for k, v in child.figures.items() if k.startswith("signals.channel.")]
        total: object = (
            sum(v for v in signals if isinstance(v, int))
            if all(isinstance(v, int) for v in signals)
            else "≥" + str(sum(v for v in signals if isinstance(v, int)))
        )
        rows.append(
            [
                index,
                child.name,
                status_label(child.status),
                _cell(child.figures.get("cases.opened", 0)) if child.figures else None,
                _cell(total) if child.figures else None,
            ]
        )
    return ReportTable(
        key="don_vi",
        title="Tình hình báo cáo của các đơn vị trực thuộc",
        sheet_name="Đơn vị trực thuộc",
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=6),
            Column(header="Đơn vị", width=32),
            Column(header="Tình trạng", width=18),
            Column(header="Vụ việc đã mở", kind=ColumnKind.INTEGER, width=12),
            Column(header="Phản ánh", kind=ColumnKind.INTEGER, width=12),
        ],
        rows=rows,
    )


def report_tables(
    view: ReportView, names: Names | None = None, threshold: int | None = None
) -> list[ReportTable]:
    """Every table of the report; ``threshold`` is the plan's (its note on sensitive tables)."""

    def table(key: str, title: str, prefixes: tuple[str, ...], sensitive: bool) -> ReportTable:
        return figures_table(
            view, key, title, prefixes, names, threshold if sensitive and view.suppressed else None
        )

    tables = [
        table("tong_hop", "Kết quả chung", SUMMARY_FAMILIES, False),
        table("kenh", "Phản ánh theo kênh", ("signals.channel.",), True),
        table("bieu_hien", "Phản ánh theo biểu hiện", ("signals.indicator.",), True),
        table("xac_dinh", "Biểu hiện được xác định", ("findings.",), True),
        table("cu_tru", "Nhận xét nơi cư trú", ("residence_comments.",), True),
        table("to_chuc", "Báo cáo tổ chức thành viên", ("partners.",), False),
    ]
    if view.children:
        tables.append(children_table(view))
    return tables + channel_tables(view)


def _channel_cell(text: str) -> Cell:
    if text.strip().isdigit():
        return int(text.strip())
    return _cell(text)


def channel_tables(view: ReportView) -> list[ReportTable]:
    """Each channel section's table (a section without one adds none); sheets named in words."""
    tables = []
    for part in view.channels:
        for number, section in enumerate(part.sections, start=1):
            if not section.table_header:
                continue
            rows = [[_channel_cell(cell) for cell in row] for row in section.table_rows]
            numeric = [
                bool(rows) and all(not isinstance(r[i], str) for r in rows if i < len(r))
                for i in range(len(section.table_header))
            ]
            tables.append(
                ReportTable(
                    key=f"kenh_{part.channel}_{number}",
                    title=section.title_vi,
                    sheet_name=f"{part.label_vi} {number}"[:31],
                    columns=[
                        Column(
                            header=h or "-",
                            width=14 if numeric[i] else 40,
                            kind=ColumnKind.INTEGER if numeric[i] else ColumnKind.TEXT,
                        )
                        for i, h in enumerate(section.table_header)
                    ],
                    rows=rows,
                    note=" ".join(section.paragraphs),
                )
            )
        if part.note_vi:
            tables.append(
                ReportTable(
                    key=f"kenh_{part.channel}_loi",
                    title=part.label_vi,
                    sheet_name=f"{part.label_vi} (lỗi)"[:31],
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


def issuing_body(view: ReportView) -> str:
    return f"Ban Thường trực Ủy ban MTTQ Việt Nam {view.committee_name}"


def workbook_bytes(
    view: ReportView,
    plan: ReportingPlan,
    issued_on: date,
    place: str = "Hà Nội",
    names: Names | None = None,
) -> bytes:
    """The report's tables as an Excel workbook: a title block, then one sheet per table."""
    _require_suppressed(view)
    heading = WorkbookHeading(
        issuing_body=issuing_body(view),
        title="Số liệu kết quả giám sát",
        period=f"Kỳ báo cáo: {view.period_name}",
        place=place,
        issued_on=issued_on,
    )
    return write_workbook(report_tables(view, names, plan.suppression_threshold), heading)


def plan_templates(plan_name: str = DEFAULT_PLAN) -> WordingTemplates:
    folder = RULES_DIR / plan_name / "templates"
    return WordingTemplates([folder]) if folder.is_dir() else WordingTemplates()


def recipients(view: ReportView) -> list[str]:
    """ "Nơi nhận" before "Lưu": as entered with the draft, else the level above."""
    if view.closing.recipients:
        return list(view.closing.recipients)
    if view.parent_name:
        return [f"Ban Thường trực Ủy ban MTTQ Việt Nam {view.parent_name} (để báo cáo)"]
    return []


def _printed(tables: list[ReportTable], threshold: int) -> list[ReportTable]:
    """The tables the Word report prints: those with rows (the summary table at least); the
    suppression rule stated once, under the first table that carries it (each Excel sheet
    keeps its own)."""
    kept = [table for table in tables if table.rows] or tables[:1]
    noted = False
    printed = []
    for table in kept:
        if table.note == threshold_sentence(threshold):
            table = msgspec.structs.replace(table, note="") if noted else table
            noted = True
        printed.append(table)
    return printed


def docx_bytes(
    view: ReportView,
    plan: ReportingPlan,
    issued_on: date,
    place: str = "Hà Nội",
    templates_dir: Path | None = None,
    signer_name: str = UNSIGNED,
    names: Names | None = None,
) -> bytes:
    """The results report (Báo cáo kết quả giám sát) as a Word file in the ND30 layout: the
    narrative written in the draft, the figures, "Nơi nhận" and the signer entered with it."""
    _require_suppressed(view)
    period = plan.period(view.period)
    written = [(s, view.narrative.get(s.key, "").strip()) for s in plan.mandatory_sections]
    written = [(s, text) for s, text in written if text]
    sections = [
        NarrativeSection(
            heading=f"{i}. {spec.heading.upper()}",
            paragraphs=[p.strip() for p in text.splitlines() if p.strip()],
        )
        for i, (spec, text) in enumerate(written, start=1)
    ]
    sections += channel_narrative(view, len(sections) + 1)
    closing = view.closing
    facts = PeriodicReportFacts(
        committee=IssuingCommittee(
            parent=f"ỦY BAN MTTQ VIỆT NAM\n{view.committee_name.upper()}",
            full_name=issuing_body(view),
            place=place,
        ),
        signer=Signer(
            capacity=closing.signer_capacity,
            title=closing.signer_title,
            name=closing.signer_name or signer_name,
        ),
        year=period.starts_on.year,
        plan_reference=period.plan_reference or plan.plan_reference,
        sections=sections,
        tables=_printed(
            report_tables(view, names, plan.suppression_threshold), plan.suppression_threshold
        ),
        period_label=view.period_name.lower(),
        covered_committees=[c.name for c in view.children if c.status in ("submitted", "late")],
    )
    templates = WordingTemplates([templates_dir]) if templates_dir else plan_templates()
    issue = DocumentIssue(issued_on=issued_on, recipients=recipients(view))
    return render_docx(build_periodic_report(facts, issue, templates))
