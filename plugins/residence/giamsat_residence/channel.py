"""The hook implementations of the residence channel (entry point ``residence``)."""

from __future__ import annotations

from collections import Counter
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
from giamsat_residence.forms import (
    LETTER_KINDS,
    RESULTS,
    UNMET,
    suggestion_box_form,
    survey_form,
    year_end_form,
)
from giamsat_residence.indicators import CODES

CHANNEL = "residence"
VERSION = "1.1.0"
#: The commune's year-end sheet: one row per working party member.
SHEET = FormSheet(
    id="year-end-sheet",
    channel=CHANNEL,
    label_vi="Bảng kết quả nhận xét đảng viên ở nơi cư trú",
    label_en="Year-end comments on party members at residence",
    form=year_end_form(),
    names={"cadre": "ma_dang_vien", "year": "nam", "residence_party_cell": "chi_bo_noi_cu_tru"}
    | {"workplace_party_org": "to_chuc_dang_noi_cong_tac", "result": "ket_qua"}
    | {"unmet_duties": "nct_chua_thuc_hien", "comment": "nhan_xet"},
    extra_columns=[BulkColumn(name="ho_ten", label_vi="Họ và tên", label_en="Full name")],
)


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
        description_en=(
            "The commune's Front and the village and residential-group Front work committees "
            "supervise working party members at their residence on the 7 duties of Article 2 "
            "of Regulation 213-QĐ/TW: survey forms, suggestion boxes and the year-end comment."
        ),
        levels=["commune", "residential-group"],
        submitter_roles=["front-work-committee"],
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
        return [_survey(submission)]
    if submission.form_id == "suggestion-box":
        return [_letter(submission)]
    return [_year_end(submission)]


@hookimpl
def channel_bulk_formats() -> list[BulkFormat]:
    """The year-end comment sheet."""
    return [SHEET.bulk_format()]


@hookimpl
def channel_bulk_rows(
    context: ChannelContext, rows: list[dict[str, str]], received_on: date
) -> list[RowResult]:
    """Each sheet row is one year-end comment."""
    check = cadre_name_check("ho_ten", "ma_dang_vien")
    return SHEET.rows(context, rows, received_on, channel_signals, check_row=check)


@hookimpl
def channel_report_sections(context: ChannelContext, request: ReportRequest) -> list[ReportSection]:
    """Signals per duty, and the year-end results by grade."""
    grades = Counter(str(s.facts.get("result", "")) for s in request.signals)
    title = ("Kết quả giám sát đảng viên ở nơi cư trú", "Supervision of party members at residence")
    results = ReportSection(
        title_vi="Kết quả nhận xét cuối năm",
        title_en="Year-end comments",
        table_header=["Kết quả nhận xét", "Số đảng viên"],
        table_rows=[[vi, str(grades[code])] for code, (vi, _) in RESULTS.items()],
        table_header_en=["Year-end result", "Party members"],
        table_rows_en=[[en, str(grades[code])] for code, (_, en) in RESULTS.items()],
    )
    return [results, indicator_section(context, request, *title, codes=CODES)]


def _survey(submission: Submission) -> SignalDraft:
    """One survey signal; its indicator codes are the duties rated not done well."""
    answers = {c: submission.text_of(c.lower()) for c in CODES}
    unmet = [code for code, answer in answers.items() if answer == UNMET]
    group = submission.text_of("residential_group")
    facts: dict[str, FactValue] = {"residential_group": group}
    facts |= {k: v for k, v in (answers | {"comment": submission.text_of("comment")}).items() if v}
    return SignalDraft(
        channel=CHANNEL,
        kind="survey",
        cadre_code=submission.text_of("cadre"),
        indicator_codes=unmet,
        facts=facts,
        source=f"Phiếu khảo sát – Ban công tác Mặt trận {group}",
        summary="Chưa thực hiện tốt: " + ", ".join(unmet) if unmet else "Không có ý kiến chưa tốt",
        occurred_on=submission.date_of("surveyed_on"),
        anonymous=True,
    )


def _letter(submission: Submission) -> SignalDraft:
    """One signal per suggestion-box letter; letters are anonymous by nature."""
    texts = {k: submission.text_of(k) for k in ("residential_group", "letter_kind", "cadre_name")}
    return SignalDraft(
        channel=CHANNEL,
        kind=LETTER_KINDS[texts["letter_kind"]][0],
        cadre_code=submission.text_of("cadre") or None,
        indicator_codes=submission.codes_of("duty"),
        facts={k: v for k, v in texts.items() if v},
        source=f"Hòm thư góp ý – {texts['residential_group']}",
        summary=submission.text_of("content")[:300],
        occurred_on=submission.date_of("opened_on"),
        anonymous=True,
    )


def _year_end(submission: Submission) -> SignalDraft:
    """The year-end comment, addressed to the member's workplace party organisation."""
    result, cell = submission.text_of("result"), submission.text_of("residence_party_cell")
    year = int(submission.number_of("year") or 0)
    facts: dict[str, FactValue] = {"year": year, "result": result, "residence_party_cell": cell}
    facts["forward_to"] = submission.text_of("workplace_party_org")
    if submission.text_of("comment"):
        facts["comment"] = submission.text_of("comment")
    return SignalDraft(
        channel=CHANNEL,
        kind="assessment",
        cadre_code=submission.text_of("cadre"),
        indicator_codes=submission.codes_of("unmet_duties"),
        facts=facts,
        source=f"Chi ủy {cell} và Ban công tác Mặt trận",
        summary=f"Năm {year}: {RESULTS[result][0]}",
    )
