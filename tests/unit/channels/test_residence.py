"""The residence channel: survey, suggestion box and year-end comment (NCT1–NCT7)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from giamsat_residence.indicators import DUTIES

from giamsat.channels import ChannelContext, ChannelRegistry, ReportRequest, SubmissionInvalid

RECEIVED = date(2022, 12, 15)


def test_duties_are_the_seven_seed_items_in_nfc() -> None:
    # then NCT1–NCT7 are present, NFC, without the "(n)" numbering
    assert [code for code, _ in DUTIES] == [f"NCT{i}" for i in range(1, 8)]
    assert all(unicodedata.is_normalized("NFC", text) for _, text in DUTIES)
    assert not any(text.startswith("(") for _, text in DUTIES)


def test_survey_marks_unmet_duties(registry: ChannelRegistry, context: ChannelContext) -> None:
    # given a survey rating NCT3 not done well
    raw = {
        "residential_group": "Tổ dân phố số 5",
        "cadre": "HN-0001",
        "surveyed_on": "2022-10-02",
        "nct1": "tot",
        "nct3": "chua_tot",
    }
    # when submitted
    [signal] = registry.submit("residence", context, "survey", raw, received_on=RECEIVED)
    # then the survey signal is anonymous and carries NCT3
    assert (signal.channel, signal.kind, signal.anonymous) == ("residence", "survey", True)
    assert signal.indicator_codes == ["NCT3"]


def test_suggestion_box_letter(registry: ChannelRegistry, context: ChannelContext) -> None:
    # given a denunciation letter found in the box, about someone without a code
    raw = {
        "residential_group": "Thôn Đông",
        "opened_on": "01/12/2022",
        "letter_kind": "to_cao",
        "cadre_name": "Ông C",
        "duty": "NCT2",
        "content": "Không gương mẫu",
    }
    # when submitted
    [signal] = registry.submit("residence", context, "suggestion-box", raw, received_on=RECEIVED)
    # then it is an anonymous denunciation about duty NCT2
    assert (signal.kind, signal.cadre_code, signal.indicator_codes) == (
        "denunciation",
        None,
        ["NCT2"],
    )
    assert signal.anonymous


def test_year_end_not_completed_needs_unmet_duties(
    registry: ChannelRegistry, context: ChannelContext
) -> None:
    # given a "không hoàn thành" comment without the duties not fulfilled
    raw = {
        "cadre": "HN-0002",
        "year": "2022",
        "residence_party_cell": "Chi bộ TDP 5",
        "workplace_party_org": "Chi bộ Văn phòng Sở",
        "result": "khong_hoan_thanh",
    }
    # when submitted, then the multiselect is reported as required
    with pytest.raises(SubmissionInvalid) as invalid:
        registry.submit("residence", context, "year-end", raw, received_on=RECEIVED)
    assert [e.field for e in invalid.value.errors] == ["unmet_duties"]
    # when the duties are added, then the signal is addressed to the workplace organisation
    [signal] = registry.submit(
        "residence",
        context,
        "year-end",
        raw | {"unmet_duties": ["NCT3", "NCT7"]},
        received_on=RECEIVED,
    )
    assert signal.facts["forward_to"] == "Chi bộ Văn phòng Sở"
    assert signal.indicator_codes == ["NCT3", "NCT7"]


def test_year_end_sheet_reports_bad_rows(
    registry: ChannelRegistry, context: ChannelContext
) -> None:
    # given two rows, the second with an unknown result and an unknown member
    base = {
        "ho_ten": "",
        "nam": "2022",
        "chi_bo_noi_cu_tru": "Chi bộ TDP 5",
        "to_chuc_dang_noi_cong_tac": "Đảng bộ Sở",
        "nct_chua_thuc_hien": "",
        "nhan_xet": "",
    }
    rows = [
        base | {"ma_dang_vien": "HN-0001", "ket_qua": "Hoàn thành tốt"},
        base | {"ma_dang_vien": "HN-7777", "ket_qua": "Xuất sắc"},
    ]
    # when imported
    outcome = registry.import_rows(
        "residence", context, "year-end-sheet", rows, received_on=RECEIVED
    )
    # then nothing is kept and line 3 names both columns
    assert (outcome.accepted, outcome.signals) == (False, [])
    assert [r.line for r in outcome.bad_rows] == [3]
    assert [e.field for e in outcome.bad_rows[0].errors] == ["ma_dang_vien", "ket_qua"]


def test_report_sections_count_results(registry: ChannelRegistry, context: ChannelContext) -> None:
    # given one year-end signal for "hoàn thành tốt"
    raw = {
        "cadre": "HN-0001",
        "year": "2022",
        "residence_party_cell": "Chi bộ TDP 5",
        "workplace_party_org": "Đảng bộ Sở",
        "result": "hoan_thanh_tot",
    }
    signals = registry.submit("residence", context, "year-end", raw, received_on=RECEIVED)
    # when sections are asked for the year
    request = ReportRequest(
        period_start=date(2022, 1, 1), period_end=date(2022, 12, 31), signals=signals
    )
    sections = registry.report_sections(context, request)
    # then residence counts one "Hoàn thành tốt" and workplace counts no assessment
    assert sections["residence"][0].table_rows[0] == ["Hoàn thành tốt", "1"]
    assert "0 phản ánh" in sections["workplace"][0].paragraphs[0]
