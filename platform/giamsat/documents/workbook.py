"""Excel workbooks of report tables (bảng biểu báo cáo), one sheet per table.

With a :class:`WorkbookHeading` every sheet opens with a title block (issuing body, the
report's title and period, date of issue) above its table, so a printed or forwarded sheet
still says whose figures it holds. Figures stay numbers with number formats (Excel shows
them in its reader's locale: 1.234 in Vietnamese) and are right-aligned; a withheld figure
is its wording, right-aligned in the same column.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from giamsat.documents.errors import DocumentError
from giamsat.documents.model import ColumnKind, ReportTable, Withheld
from giamsat.documents.vndate import place_and_date
from giamsat.web.i18n import N_

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
"""Rows of the table title and column headers on a sheet without a heading."""


class WorkbookHeading(msgspec.Struct, frozen=True, kw_only=True):
    """The title block above every sheet's table."""

    issuing_body: str
    title: str
    period: str
    place: str
    issued_on: date

    def lines(self) -> list[tuple[str, Font]]:
        return [
            (self.issuing_body.upper(), Font(bold=True, size=12)),
            (self.title.upper(), Font(bold=True, size=13)),
            (self.period, Font(bold=True, size=12)),
            (place_and_date(self.place, self.issued_on), Font(italic=True, size=11)),
        ]


def sheet_title(table: ReportTable) -> str:
    """A legal Excel sheet name: no ``[]:*?/\\``, at most 31 characters."""
    name = unicodedata.normalize("NFC", table.sheet_name or table.key)
    name = _FORBIDDEN_IN_SHEET_NAME.sub("-", name).strip("'").strip()
    if not name:
        raise DocumentError(
            N_("The table “%(table)s” has no usable sheet name."), params={"table": table.title}
        )
    return name[:31]


def write_workbook(tables: list[ReportTable], heading: WorkbookHeading | None = None) -> bytes:
    """The tables as an .xlsx file: title row, bold frozen header, widths, number formats."""
    if not tables:
        raise DocumentError(N_("A workbook needs at least one table."))
    titles = [sheet_title(table) for table in tables]
    clashes = sorted({t for t in titles if [x.casefold() for x in titles].count(t.casefold()) > 1})
    if clashes:
        raise DocumentError(
            N_("Two tables would share the sheet name %(names)s."),
            params={"names": ", ".join(clashes)},
        )
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table, title in zip(tables, titles, strict=True):
        _fill_sheet(workbook.create_sheet(title=title), table, heading)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet: Worksheet, table: ReportTable, heading: WorkbookHeading | None) -> None:
    nfc = unicodedata.normalize
    offset = 0
    if heading is not None:
        for line, (text, font) in enumerate(heading.lines(), start=1):
            sheet.cell(row=line, column=1, value=nfc("NFC", text)).font = font
        offset = len(heading.lines()) + 1
    title_row, header_row = TITLE_ROW + offset, HEADER_ROW + offset
    sheet.cell(row=title_row, column=1, value=nfc("NFC", table.title)).font = Font(
        bold=True, size=13
    )
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=nfc("NFC", column.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width or _fitted_width(table, index - 1)
    for number, row in enumerate(table.rows, start=1):
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            withheld = isinstance(value, Withheld)
            shown = value.text if isinstance(value, Withheld) else value
            shown = nfc("NFC", shown) if isinstance(shown, str) else shown
            cell = sheet.cell(row=header_row + number, column=index, value=shown)
            numeric = column.kind != ColumnKind.TEXT or isinstance(value, int | float)
            cell.number_format = "@" if withheld else NUMBER_FORMATS[column.kind]
            cell.border = _BOX
            cell.alignment = Alignment(
                horizontal="right" if numeric else "left",
                vertical="top",
                wrap_text=not numeric,
            )
    if table.note:
        note_row = header_row + len(table.rows) + 2
        sheet.cell(row=note_row, column=1, value=nfc("NFC", table.note)).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _fitted_width(table: ReportTable, index: int) -> float:
    longest = max(
        [len(table.columns[index].header)] + [len(_text(row[index])) for row in table.rows]
    )
    return float(min(max(longest + 2, 8), 60))


def _text(value: object) -> str:
    if isinstance(value, Withheld):
        return value.text
    return "" if value is None else str(value)
