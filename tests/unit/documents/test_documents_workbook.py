"""Excel workbooks of report tables, reopened with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from giamsat.documents import Column, ColumnKind, DocumentError, ReportTable, write_workbook
from giamsat.documents.samples import rollup_table
from giamsat.documents.workbook import HEADER_ROW, NUMBER_FORMATS, TITLE_ROW


def test_one_sheet_per_table_with_headers_figures_and_formats() -> None:
    # given the district roll-up table and a second, narrower one
    districts = rollup_table()
    summary = ReportTable(
        key="tong_hop",
        title="TỔNG HỢP",
        columns=[Column(header="Chỉ tiêu"), Column(header="Giá trị", kind=ColumnKind.DECIMAL)],
        rows=[["Bình quân kiến nghị mỗi cuộc", 1.5]],
    )
    # when written and reopened
    book = load_workbook(io.BytesIO(write_workbook([districts, summary])))
    # then there is one sheet per table, named from sheet_name or key
    assert book.sheetnames == [districts.sheet_name, summary.key]
    sheet = book[districts.sheet_name or ""]
    # and the title, then the bold Vietnamese headers
    assert sheet.cell(TITLE_ROW, 1).value == districts.title
    headers = [sheet.cell(HEADER_ROW, i + 1) for i in range(len(districts.columns))]
    assert [c.value for c in headers] == [c.header for c in districts.columns]
    assert all(c.font.bold for c in headers)
    # and every figure as given, with the column's number format
    for offset, row in enumerate(districts.rows, start=1):
        cells = [sheet.cell(HEADER_ROW + offset, i + 1) for i in range(len(row))]
        assert [c.value for c in cells] == row
        formats = [c.number_format for c in cells]
        assert formats == [NUMBER_FORMATS[col.kind] for col in districts.columns]
    # and the header is frozen and the widths are set
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.column_dimensions["B"].width == districts.columns[1].width
    # and the note sits under the table
    assert sheet.cell(HEADER_ROW + len(districts.rows) + 2, 1).value == districts.note


def test_column_without_width_is_fitted_to_its_longest_value() -> None:
    table = ReportTable(
        key="t",
        title="T",
        columns=[Column(header="Đơn vị")],
        rows=[["Ủy ban MTTQ Việt Nam huyện Sóc Sơn"]],
    )
    sheet = load_workbook(io.BytesIO(write_workbook([table])))["t"]
    assert sheet.column_dimensions["A"].width >= len(table.rows[0][0] or "")


def test_sheet_names_are_cleaned_and_clashes_refused() -> None:
    # given a key with characters Excel forbids and an over-long name
    table = ReportTable(
        key="a/b:c" + "x" * 40, title="T", columns=[Column(header="A")], rows=[["1"]]
    )
    # when written
    name = load_workbook(io.BytesIO(write_workbook([table]))).sheetnames[0]
    # then the name is legal
    assert len(name) == 31
    assert not set("/:[]*?\\") & set(name)
    # and two tables that would share a sheet are refused
    twin = ReportTable(key="A", title="T", columns=[Column(header="A")], rows=[])
    other = ReportTable(key="a", title="T", columns=[Column(header="A")], rows=[])
    with pytest.raises(DocumentError, match="share the sheet name"):
        write_workbook([twin, other])


def test_empty_workbook_is_refused() -> None:
    with pytest.raises(DocumentError, match="at least one table"):
        write_workbook([])
