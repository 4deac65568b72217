"""The hook implementations of the residence channel (entry point ``residence``)."""

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
from giamsat_residence import sheet
from giamsat_residence.forms import RESULTS, suggestion_box_form, survey_form, year_end_form
from giamsat_residence.signals import CHANNEL, letter_signal, survey_signal, year_end_signal

VERSION = "1.0.0"


@hookimpl
def channel_info() -> ChannelInfo:
    """Describe the residence channel."""
    return ChannelInfo(
        name=CHANNEL,
        label_vi="Giám sát ở nơi cư trú (Ban công tác Mặt trận)",
        label_en="Supervision at the place of residence",
        description=(
            "Mặt trận cấp xã và Ban công tác Mặt trận thôn, tổ dân phố giám sát đảng viên "
            "đang công tác ở nơi cư trú theo 7 nhiệm vụ tại Điều 2 Quy định 213-QĐ/TW: phiếu "
            "khảo sát, hòm thư góp ý và nhận xét cuối năm."
        ),
        levels=["commune", "residential-group"],
        submitter_roles=["front-work-committee", "commune-front-officer"],
        version=VERSION,
    )


@hookimpl
def channel_forms() -> list[FormSchema]:
    """Survey, suggestion-box letter and year-end comment."""
    return [survey_form(), suggestion_box_form(), year_end_form()]


@hookimpl
def channel_signals(submission: Submission) -> list[SignalDraft]:
    """Each form gives exactly one signal."""
    if submission.form_id == "survey":
        return [survey_signal(submission)]
    if submission.form_id == "suggestion-box":
        return [letter_signal(submission)]
    return [year_end_signal(submission.values, submission.received_on)]


@hookimpl
def channel_bulk_formats() -> list[BulkFormat]:
    """The year-end comment sheet."""
    return [sheet.sheet_format()]


@hookimpl
def channel_bulk_rows(
    context: ChannelContext, format: str, rows: list[dict[str, str]]
) -> list[RowResult]:
    """Validate each sheet row as a year-end comment."""
    return sheet.import_rows(context, rows)


@hookimpl
def channel_report_sections(request: ReportRequest) -> list[ReportSection]:
    """Year-end results by grade, and counts of surveys and letters."""
    year_end = [s for s in request.signals if s.kind == "assessment"]
    grades = Counter(str(s.facts.get("result", "")) for s in year_end)
    surveys = sum(1 for s in request.signals if s.kind == "survey")
    letters = sum(1 for s in request.signals if s.source.startswith("Hòm thư"))
    return [
        ReportSection(
            title_vi="Kết quả giám sát đảng viên ở nơi cư trú",
            title_en="Supervision of party members at residence",
            paragraphs=[
                f"{surveys} phiếu khảo sát, {letters} thư góp ý, "
                f"{len(year_end)} đảng viên được nhận xét cuối năm."
            ],
            table_header=["Kết quả nhận xét", "Số đảng viên"],
            table_rows=[[vi, str(grades[code])] for code, (vi, _) in RESULTS.items()],
        )
    ]
