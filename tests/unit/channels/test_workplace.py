"""The workplace channel: assessments against DD1–DD9 and DD-CV, single and in bulk."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from giamsat_workplace.indicators import MANIFESTATIONS
from openpyxl import Workbook

from giamsat.channels import ChannelContext, ChannelRegistry, SubmissionInvalid
from giamsat.channels.sheets import read_sheet

RECEIVED = date(2022, 11, 21)

CODES = [code for code, _ in MANIFESTATIONS]


def _assessment(**overrides: str) -> dict[str, str]:
    raw = {
        "cadre": "HN-0001",
        "unit": "Sở Nội vụ",
        "union": "Công đoàn Sở Nội vụ",
        "year": "2022",
        "period": "year",
        "assessed_on": "20/11/2022",
    }
    raw |= {code.lower().replace("-", "_"): "khong" for code in CODES}
    return raw | overrides


def test_indicator_texts_are_the_ten_seed_items_in_nfc() -> None:
    # then the catalogue holds DD1–DD9 and DD-CV, NFC, without the "(n)" numbering
    assert [f"DD{i}" for i in range(1, 10)] + ["DD-CV"] == CODES
    assert all(unicodedata.is_normalized("NFC", text) for _, text in MANIFESTATIONS)
    assert not any(text.startswith("(") for _, text in MANIFESTATIONS)


def test_assessment_becomes_one_signal_with_observed_codes(
    registry: ChannelRegistry, context: ChannelContext
) -> None:
    # given an assessment marking DD3 and DD-CV as observed, with evidence
    raw = _assessment(
        dd3="co",
        dd3_evidence="Kê khai thiếu một thửa đất",
        dd_cv="co",
        dd_cv_evidence="Chậm giải quyết hồ sơ",
    )
    # when it is submitted
    signals = registry.submit(
        "workplace",
        context,
        "assessment",
        raw,
        received_on=date(2022, 11, 21),
        submitter_role="union-officer",
    )
    # then one assessment signal carries the observed codes and their evidence
    [signal] = signals
    assert (signal.channel, signal.kind, signal.cadre_code) == (
        "workplace",
        "assessment",
        "HN-0001",
    )
    assert signal.indicator_codes == ["DD3", "DD-CV"]
    assert signal.facts["DD3_evidence"] == "Kê khai thiếu một thửa đất"
    assert signal.facts["DD1"] is False
    assert signal.occurred_on == date(2022, 11, 20)


def test_observed_without_evidence_points_at_the_evidence_field(
    registry: ChannelRegistry, context: ChannelContext
) -> None:
    # when DD7 is marked observed without evidence
    with pytest.raises(SubmissionInvalid) as invalid:
        registry.submit(
            "workplace",
            context,
            "assessment",
            _assessment(dd7="co"),
            received_on=date(2022, 11, 21),
        )
    # then the error is on dd7_evidence
    assert [e.field for e in invalid.value.errors] == ["dd7_evidence"]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = [
    "ma_can_bo",
    "ho_ten",
    "don_vi",
    "cong_doan",
    "nam",
    "ky",
    "ngay_danh_gia",
    *CODES,
    "bang_chung",
]


def _row(cadre: str, name: str, marks: dict[str, str], evidence: str = "") -> list[object]:
    return [
        cadre,
        name,
        "Sở Nội vụ",
        "CĐ Sở Nội vụ",
        2022,
        "Cả năm",
        "20/11/2022",
        *[marks.get(code, "") for code in CODES],
        evidence,
    ]


def test_sheet_with_bad_rows_keeps_none_and_names_lines_and_columns(
    registry: ChannelRegistry, context: ChannelContext
) -> None:
    # given a sheet: a good row, a row with a wrong name and a bad mark, a row missing evidence
    data = _xlsx(
        [
            HEADER,
            _row("HN-0001", "Nguyễn Văn An", {"DD5": "x"}, "Không sâu sát cơ sở"),
            _row("HN-0002", "Trần Văn Bình", {"DD2": "?"}),
            [],
            _row("HN-0002", "Trần Thị Bình", {"DD9": "có"}),
        ]
    )
    sheet = read_sheet("cong-doan.xlsx", data)
    # when it is imported
    outcome = registry.import_rows(
        "workplace",
        context,
        "assessment-sheet",
        sheet.rows,
        sheet.line_numbers,
        received_on=RECEIVED,
    )
    # then nothing is kept and each bad row reports its sheet line and columns
    assert not outcome.accepted
    assert outcome.signals == []
    assert [(r.line, r.ok) for r in outcome.rows] == [(2, True), (3, False), (5, False)]
    assert [e.field for e in outcome.rows[1].errors] == ["DD2", "ho_ten"]
    assert [e.field for e in outcome.rows[2].errors] == ["bang_chung"]


def test_clean_sheet_gives_one_signal_per_row(
    registry: ChannelRegistry, context: ChannelContext
) -> None:
    # given a CSV with two good rows
    lines = [
        ",".join(HEADER),
        ",".join(str(c) for c in _row("HN-0001", "", {"DD4": "x"}, "Chạy danh hiệu")),
        ",".join(str(c) for c in _row("HN-0002", "Trần Thị Bình", {})),
    ]
    sheet = read_sheet("cong-doan.csv", "\n".join(lines).encode())
    # when imported
    outcome = registry.import_rows(
        "workplace",
        context,
        "assessment-sheet",
        sheet.rows,
        sheet.line_numbers,
        received_on=RECEIVED,
    )
    # then both rows are kept as signals
    assert outcome.accepted
    assert [(s.cadre_code, s.indicator_codes) for s in outcome.signals] == [
        ("HN-0001", ["DD4"]),
        ("HN-0002", []),
    ]
