"""A staff list as an Excel workbook: exactly the filtered rows, under a title block.

The sheet opens with the issuing committee, the list's title, the filters it was made with and
the day it was made (on the official Hà Nội day, ``giamsat.clock``), then a bold, frozen header
row and the rows. Dates are date cells shown ``dd/mm/yyyy``, counts are numbers with thousands
grouped; every value is a human label (no stored code reaches the sheet). The sheet is named in
the reader's language with its diacritics ("Vụ việc").
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
DATE_FORMAT = "dd/mm/yyyy"
INTEGER_FORMAT = "#,##0"

Cell = str | int | dt.date | None


class SheetColumn(msgspec.Struct, frozen=True, kw_only=True):
    header: str
    kind: Literal["text", "date", "integer"] = "text"
    width: float = 18


class ListSheet(msgspec.Struct, frozen=True, kw_only=True):
    """What the workbook holds: the title block's lines, the columns and the rows."""

    sheet_name: str
    issuer: str
    title: str
    #: One line each: the filters, the period (when the list has one).
    conditions: list[str]
    made_on: str
    columns: list[SheetColumn]
    rows: Sequence[Sequence[Cell]]
    note: str = ""


def sheet_name(name: str) -> str:
    """A legal Excel sheet name with its diacritics: no ``[]:*?/\\``, at most 31 characters."""
    cleaned = _FORBIDDEN_IN_SHEET_NAME.sub("-", unicodedata.normalize("NFC", name)).strip("'")
    return cleaned.strip()[:31] or "Sheet"


def _nfc(value: Cell) -> Cell:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def write_list(sheet: ListSheet) -> bytes:
    """The workbook's bytes (.xlsx)."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet_name(sheet.sheet_name)
    last = get_column_letter(len(sheet.columns))
    block = [
        (sheet.issuer, Font(bold=True, size=12)),
        (sheet.title.upper(), Font(bold=True, size=14)),
        *((line, Font(italic=True)) for line in sheet.conditions),
        (sheet.made_on, Font(italic=True)),
    ]
    for row, (text, font) in enumerate(block, start=1):
        cell = ws.cell(row=row, column=1, value=_nfc(text))
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if row <= 2 else "left")
        ws.merge_cells(f"A{row}:{last}{row}")
    header_row = len(block) + 2
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header_row, column=index, value=_nfc(column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for offset, values in enumerate(sheet.rows, start=1):
        for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True), start=1):
            cell = ws.cell(row=header_row + offset, column=index, value=_nfc(value))
            cell.border = _BOX
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif column.kind == "integer":
                cell.number_format = INTEGER_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="top")
            else:
                cell.number_format = "@"
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    if sheet.note:
        note = ws.cell(row=header_row + len(sheet.rows) + 2, column=1, value=_nfc(sheet.note))
        note.font = Font(italic=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
