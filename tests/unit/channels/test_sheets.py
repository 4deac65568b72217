"""Sheets are read from CSV and .xlsx with the line numbers users see."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from giamsat.channels import SubmissionInvalid
from giamsat.channels.sheets import read_sheet


def test_csv_with_semicolons_bom_and_blank_lines() -> None:
    # given a CSV saved by Excel in a Vietnamese locale: BOM, ";" and a blank line
    data = "\ufeffma_can_bo;nam\nHN-0001;2022\n;\nHN-0002;2021\n".encode()
    # when it is read
    sheet = read_sheet("tong-hop.csv", data)
    # then the blank line is skipped but line numbers still match the file
    assert sheet.columns == ["ma_can_bo", "nam"]
    assert sheet.rows == [
        {"ma_can_bo": "HN-0001", "nam": "2022"},
        {"ma_can_bo": "HN-0002", "nam": "2021"},
    ]
    assert sheet.line_numbers == [2, 4]


def test_xlsx_cells_become_text() -> None:
    # given a workbook with a number and a date cell
    book = Workbook()
    book.active.append(["ma_can_bo", "nam", "ngay_danh_gia"])
    book.active.append(["HN-0001", 2022, datetime(2022, 11, 20)])
    buffer = io.BytesIO()
    book.save(buffer)
    # when it is read
    sheet = read_sheet("Tong hop.XLSX", buffer.getvalue())
    # then cells are the text a user would type
    assert sheet.rows == [{"ma_can_bo": "HN-0001", "nam": "2022", "ngay_danh_gia": "2022-11-20"}]


@pytest.mark.parametrize(
    ("name", "data", "english", "vietnamese"),
    [
        ("a.pdf", b"x", "Only .csv or .xlsx files are accepted.", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("a.csv", "a,b\n".encode("utf-16"), "must be saved as UTF-8", "mã hóa UTF-8"),
        ("a.csv", b"a,a\n1,2\n", "Columns with the same name: a.", "Cột trùng tên: a."),
        ("a.xlsx", b"not a zip", "The Excel file cannot be read.", "Không đọc được tệp Excel."),
    ],
)
def test_bad_files_are_refused_with_a_message(
    name: str, data: bytes, english: str, vietnamese: str
) -> None:
    # when a bad file is read
    with pytest.raises(SubmissionInvalid) as invalid:
        read_sheet(name, data)
    # then the error is about the file and says why, in each language
    assert invalid.value.errors[0].field == "file"
    assert english in invalid.value.errors[0].message_en
    assert vietnamese in invalid.value.errors[0].message_vi
