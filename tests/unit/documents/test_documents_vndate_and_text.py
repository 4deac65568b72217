"""Date wording per ND30 and Unicode normalisation of everything printed."""

from __future__ import annotations

import unicodedata
from datetime import date

import msgspec
import pytest
from documents_reading import ReadBack, read_back

from giamsat.documents import DelegationFacts, DocumentIssue, build_report_outline, render_docx
from giamsat.documents.layout import recipient_lines
from giamsat.documents.vndate import long_date, place_and_date, short_date, weekday


@pytest.mark.parametrize(
    ("value", "long", "short"),
    [
        (date(2022, 3, 5), "ngày 05 tháng 3 năm 2022", "05/3/2022"),
        (date(2022, 2, 15), "ngày 15 tháng 02 năm 2022", "15/02/2022"),
        (date(2022, 1, 1), "ngày 01 tháng 01 năm 2022", "01/01/2022"),
        (date(2022, 12, 31), "ngày 31 tháng 12 năm 2022", "31/12/2022"),
    ],
)
def test_days_below_ten_and_months_one_two_take_a_leading_zero(
    value: date, long: str, short: str
) -> None:
    assert long_date(value) == long
    assert short_date(value) == short
    assert place_and_date("Hà Nội", value) == f"Hà Nội, {long}"


def test_weekday_names() -> None:
    # 2022-08-08 was a Monday; the week runs Thứ Hai … Chủ nhật
    names = [weekday(date(2022, 8, 8 + offset)) for offset in range(7)]
    assert names[0] == "Thứ Hai"
    assert names[-1] == "Chủ nhật"
    assert len(set(names)) == 7


def test_recipient_lines_are_punctuated_once() -> None:
    lines = recipient_lines(["- Như trên;", "Thường trực Quận ủy.", "Lưu: VT"])
    assert lines == ["- Như trên;", "- Thường trực Quận ủy;", "- Lưu: VT."]


def test_decomposed_input_is_printed_in_nfc(facts: DelegationFacts) -> None:
    # given a supervised body typed in decomposed Unicode (as some keyboards send it)
    name = "Phường Hàng Trống"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    changed = msgspec.structs.replace(
        facts, supervised=msgspec.structs.replace(facts.supervised, name=decomposed)
    )
    # when the outline is rendered and reopened
    read = read_back(
        render_docx(build_report_outline(changed, DocumentIssue(issued_on=date(2022, 7, 5))))
    )
    # then the text is composed (NFC), so search and comparison find it
    assert name in read.body_text
    assert name in "\n".join(ReadBack.texts(read.closing_left))
    assert decomposed not in read.body_text
