"""Excel workbooks of report tables (bảng biểu báo cáo), one sheet per table."""

from __future__ import annotations

import io
import re
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from giamsat.documents.errors import DocumentError
from giamsat.documents.model import ColumnKind, ReportTable

NUMBER_FORMATS: dict[ColumnKind, str] = {
    ColumnKind.TEXT: "@",
    ColumnKind.INTEGER: "#,##0",
    ColumnKind.DECIMAL: "#,##0.00",
    ColumnKind.PERCENT: "0.0%",
}
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TITLE_ROW = 1
HEADER_ROW = 3


def sheet_title(table: ReportTable) -> str:
    """A legal Excel sheet name: no ``[]:*?/\\``, at most 31 characters."""
    name = unicodedata.normalize("NFC", table.sheet_name or table.key)
    name = _FORBIDDEN_IN_SHEET_NAME.sub("-", name).strip("'").strip()
    if not name:
        raise DocumentError(f"table {table.key!r}: sheet name is empty after cleaning")
    return name[:31]


def write_workbook(tables: list[ReportTable]) -> bytes:
    """The tables as an .xlsx file: title row, bold frozen header, widths, number formats."""
    if not tables:
        raise DocumentError("a workbook needs at least one table")
    titles = [sheet_title(table) for table in tables]
    clashes = sorted({t for t in titles if [x.casefold() for x in titles].count(t.casefold()) > 1})
    if clashes:
        raise DocumentError(f"two tables would share the sheet name {', '.join(clashes)}")
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table, title in zip(tables, titles, strict=True):
        _fill_sheet(workbook.create_sheet(title=title), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet: Worksheet, table: ReportTable) -> None:
    nfc = unicodedata.normalize
    sheet.cell(row=TITLE_ROW, column=1, value=nfc("NFC", table.title)).font = Font(
        bold=True, size=13
    )
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=nfc("NFC", column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width or _fitted_width(table, index - 1)
    for offset, row in enumerate(table.rows, start=1):
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            shown = nfc("NFC", value) if isinstance(value, str) else value
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=shown)
            cell.number_format = NUMBER_FORMATS[column.kind]
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top", wrap_text=column.kind == ColumnKind.TEXT)
    if table.note:
        note_row = HEADER_ROW + len(table.rows) + 2
        sheet.cell(row=note_row, column=1, value=nfc("NFC", table.note)).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _fitted_width(table: ReportTable, index: int) -> float:
    longest = max(
        [len(table.columns[index].header)] + [len(str(row[index] or "")) for row in table.rows]
    )
    return float(min(max(longest + 2, 8), 60))
