"""The hook implementations of the workplace channel (entry point ``workplace``)."""

from __future__ import annotations

from collections import Counter

from giamsat.channels import (
    BulkFormat,
    ChannelContext,
    ChannelInfo,
    FormSchema,
    ReportRequest,
    ReportSection,
    RowResult,
    SignalDraft,
    Submission,
    hookimpl,
)
from giamsat_workplace import sheet
from giamsat_workplace.forms import assessment_form, report_form
from giamsat_workplace.indicators import MANIFESTATIONS
from giamsat_workplace.signals import CHANNEL, assessment_signal, report_signal

VERSION = "1.0.0"


@hookimpl
def channel_info() -> ChannelInfo:
    """Describe the workplace channel."""
    return ChannelInfo(
        name=CHANNEL,
        label_vi="Giám sát ở nơi làm việc (Công đoàn)",
        label_en="Workplace supervision (trade unions)",
        description=(
            "Công đoàn các cấp giám sát cán bộ, đảng viên ở nơi làm việc theo Hướng dẫn "
            "44/HD-TLĐ: 9 biểu hiện suy thoái về đạo đức, lối sống (DD1–DD9) và chuẩn mực "
            "đạo đức công vụ, đạo đức nghề nghiệp (DD-CV); Liên đoàn Lao động tổng hợp, báo "
            "cáo Ban Thường trực Ủy ban MTTQ cùng cấp."
        ),
        levels=["province", "district", "commune"],
        submitter_roles=["union-officer", "labour-federation-officer"],
        version=VERSION,
    )


@hookimpl
def channel_forms() -> list[FormSchema]:
    """The periodic assessment and the ad-hoc report."""
    return [assessment_form(), report_form()]


@hookimpl
def channel_signals(submission: Submission) -> list[SignalDraft]:
    """An assessment gives one assessment signal; a report one report signal."""
    if submission.form_id == "assessment":
        return [
            assessment_signal(submission.values, submission.received_on, submission.submitter_role)
        ]
    return [report_signal(submission)]


@hookimpl
def channel_bulk_formats() -> list[BulkFormat]:
    """The union assessment sheet."""
    return [sheet.sheet_format()]


@hookimpl
def channel_bulk_rows(
    context: ChannelContext, format: str, rows: list[dict[str, str]]
) -> list[RowResult]:
    """Validate each sheet row as an assessment."""
    return sheet.import_rows(context, rows)


@hookimpl
def channel_report_sections(request: ReportRequest) -> list[ReportSection]:
    """Counts of assessments and of each manifestation observed in the period."""
    assessments = [s for s in request.signals if s.kind == "assessment"]
    observed = Counter(code for s in request.signals for code in s.indicator_codes)
    cadres = {s.cadre_code for s in assessments if s.cadre_code}
    return [
        ReportSection(
            title_vi="Kết quả giám sát ở nơi làm việc",
            title_en="Workplace supervision results",
            paragraphs=[
                f"Công đoàn các cấp đã giám sát {len(cadres)} cán bộ, đảng viên "
                f"({len(assessments)} lượt đánh giá) từ {request.period_start:%d/%m/%Y} "
                f"đến {request.period_end:%d/%m/%Y}."
            ],
            table_header=["Mã", "Biểu hiện", "Số lượt có biểu hiện"],
            table_rows=[[code, text, str(observed[code])] for code, text in MANIFESTATIONS],
        )
    ]
