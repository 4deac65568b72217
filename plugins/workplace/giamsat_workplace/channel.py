"""The hook implementations of the workplace channel (entry point ``workplace``)."""

from __future__ import annotations

from datetime import date

from giamsat.channels import (
    BulkColumn,
    BulkFormat,
    ChannelContext,
    ChannelInfo,
    FormSchema,
    FormSheet,
    ReportRequest,
    ReportSection,
    RowResult,
    SignalDraft,
    Submission,
    cadre_name_check,
    hookimpl,
    indicator_section,
)
from giamsat.channels.structs import FactValue
from giamsat_workplace.forms import (
    ABSENT,
    PERIODS,
    PRESENT,
    assessment_form,
    field_name,
    report_form,
)
from giamsat_workplace.indicators import CODES

CHANNEL = "workplace"
VERSION = "1.1.0"
_MARKS = dict.fromkeys(("x", "có", "co", "1", "yes"), PRESENT)
_MARKS |= dict.fromkeys(("", "không", "khong", "0", "no"), ABSENT)
#: Each manifestation's finding field, and its evidence field (named once, not per row).
_FINDINGS = tuple((c, field_name(c)) for c in CODES)
_EVIDENCE = {c: f"{name}_evidence" for c, name in _FINDINGS}
#: The union assessment sheet: one row per cadre, one column per manifestation ("x" = observed),
#: one evidence column for every manifestation marked, a name to check against the code.
SHEET = FormSheet(
    id="assessment-sheet",
    channel=CHANNEL,
    label_vi="Bảng tổng hợp giám sát ở nơi làm việc",
    label_en="Workplace supervision sheet",
    form=assessment_form(),
    names={"cadre": "ma_can_bo", "unit": "don_vi", "union": "cong_doan", "year": "nam"}
    | {"period": "ky", "assessed_on": "ngay_danh_gia", "conclusion": "nhan_xet"}
    | {field_name(c): c for c in CODES}
    | {f"{field_name(c)}_evidence": "bang_chung" for c in CODES},
    labels={field_name(c): (c, c) for c in CODES}
    | {f"{field_name(CODES[0])}_evidence": ("Biểu hiện, chứng cứ", "Evidence")},
    aliases={field_name(c): _MARKS for c in CODES},
    extra_columns=[BulkColumn(name="ho_ten", label_vi="Họ và tên", label_en="Full name")],
)


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
        description_en=(
            "Trade unions at every level supervise cadres and party members at their workplace "
            "under Guidance 44/HD-TLĐ: the 9 manifestations of degraded ethics and lifestyle "
            "(DD1–DD9) and the standards of public-service and professional ethics (DD-CV); the "
            "Confederation of Labour sums up and reports to the Front committee's standing "
            "board at its level."
        ),
        levels=["province", "district", "commune"],
        submitter_roles=["union"],
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
        return [_assessment(submission)]
    union = submission.text_of("union")
    return [
        SignalDraft(
            channel=CHANNEL,
            kind="report",
            cadre_code=submission.text_of("cadre"),
            indicator_codes=submission.codes_of("indicator"),
            facts={"union": union, "attachments": len(submission.attachments)},
            source=f"Công đoàn: {union}",
            summary=submission.text_of("content")[:300],
            occurred_on=submission.date_of("occurred_on"),
            anonymous=submission.anonymous,
        )
    ]


@hookimpl
def channel_bulk_formats() -> list[BulkFormat]:
    """The union assessment sheet."""
    return [SHEET.bulk_format()]


@hookimpl
def channel_bulk_rows(
    context: ChannelContext, rows: list[dict[str, str]], received_on: date
) -> list[RowResult]:
    """Each sheet row is one assessment."""
    check = cadre_name_check("ho_ten", "ma_can_bo")
    return SHEET.rows(context, rows, received_on, channel_signals, check_row=check)


@hookimpl
def channel_report_sections(context: ChannelContext, request: ReportRequest) -> list[ReportSection]:
    """Signals per manifestation observed in the period."""
    title = ("Kết quả giám sát ở nơi làm việc", "Workplace supervision results")
    return [indicator_section(context, request, *title, codes=CODES)]


def _assessment(submission: Submission) -> SignalDraft:
    """One assessment signal; its indicator codes are the manifestations observed."""
    values = submission.values
    observed = [c for c, name in _FINDINGS if values.get(name) == PRESENT]
    facts: dict[str, FactValue] = {c: c in observed for c in CODES}
    facts |= {f"{c}_evidence": submission.text_of(_EVIDENCE[c]) for c in observed}
    texts = {k: submission.text_of(k) for k in ("unit", "union", "period", "conclusion")}
    facts |= {k: v for k, v in texts.items() if v} | {
        "year": int(submission.number_of("year") or 0)
    }
    if submission.submitter_role:
        facts["submitter_role"] = submission.submitter_role
    found = ", ".join(observed) if observed else "không có biểu hiện"
    period = PERIODS[submission.text_of("period")][0].lower()
    return SignalDraft(
        channel=CHANNEL,
        kind="assessment",
        cadre_code=submission.text_of("cadre"),
        indicator_codes=observed,
        facts=facts,
        source=f"Công đoàn: {facts['union']}",
        summary=f"Đánh giá {period} năm {facts['year']}: {found}",
        occurred_on=submission.date_of("assessed_on"),
    )
