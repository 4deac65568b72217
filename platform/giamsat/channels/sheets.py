"""Reading the CSV and Excel sheets partner organisations keep, for bulk import.

The platform parses the uploaded file once, here, so plugins only ever see rows as
``dict[str, str]`` (column name → cell text) and never touch file formats. The header
is the first row; blank rows are skipped but line numbers are kept, so an error
points at the line the user sees in Excel.
"""

from __future__ import annotations

import contextlib
import csv
import io
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

import msgspec

from giamsat.channels.errors import SubmissionInvalid
from giamsat.channels.structs import FieldError, SignalDraft
from giamsat.web.i18n import N_, in_both

MAX_SHEET_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000


class Sheet(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed sheet: header columns, data rows and each row's line number."""

    columns: list[str]
    rows: list[dict[str, str]]
    line_numbers: list[int]


class RowReport(msgspec.Struct, frozen=True, kw_only=True):
    """One row's outcome, with its line number in the sheet (the header is line 1)."""

    line: int
    ok: bool
    errors: list[FieldError] = []


class BulkOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """A bulk import's result: accepted only when every row is ok; then the signals."""

    accepted: bool
    rows: list[RowReport]
    signals: list[SignalDraft]

    @property
    def bad_rows(self) -> list[RowReport]:
        """The rows that failed, for the error page."""
        return [row for row in self.rows if not row.ok]


def read_sheet(filename: str, data: bytes) -> Sheet:
    """Return the sheet in a .csv (UTF-8, optional BOM) or .xlsx file (first worksheet).

    Raises SubmissionInvalid with a message for an unknown extension, a file too
    large, bad encoding, a missing or duplicated header, or too many rows.
    """
    if len(data) > MAX_SHEET_BYTES:
        raise _invalid(
            N_("The file is larger than %(megabytes)s MB."),
            megabytes=MAX_SHEET_BYTES // (1024 * 1024),
        )
    lower = filename.lower()
    if lower.endswith(".csv"):
        return _to_sheet(_csv_lines(data), clean=str.strip)  # the text is NFC already
    if lower.endswith(".xlsx"):
        return _to_sheet(_xlsx_lines(data))
    raise _invalid(N_("Only .csv or .xlsx files are accepted."))


def _csv_lines(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid(N_("A CSV file must be saved as UTF-8.")) from exc
    # NFC once for the whole text: the same as cell by cell, the separators, quotes and line
    # ends being ASCII characters that compose with nothing
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # Excel in a Vietnamese locale saves CSV with ";"; sniff among the usual three.
    dialect: type[csv.Dialect] = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_lines(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported lazily: heavy, only needed here

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise _invalid(N_("The Excel file cannot be read.")) from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_sheet(table: list[list[str]], clean: Callable[[str], str] | None = None) -> Sheet:
    """The sheet of ``table``, each cell through ``clean`` (by default NFC and stripped)."""
    clean = clean or _clean
    if not table:
        raise _invalid(N_("The file is empty."))
    header = [clean(cell) for cell in table[0]]
    while header and not header[-1]:
        header.pop()
    if not header or any(not name for name in header):
        raise _invalid(N_("A column of the header row has no name."))
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise _invalid(
            N_("Columns with the same name: %(columns)s."), columns=", ".join(duplicates)
        )
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for index, cells in enumerate(table[1:], start=2):
        values = [clean(cell) for cell in cells]
        if not any(values):
            continue
        padded = values + [""] * (len(header) - len(values))
        rows.append(dict(zip(header, padded, strict=False)))
        lines.append(index)
    if len(rows) > MAX_ROWS:
        raise _invalid(N_("The file has more than %(rows)s rows."), rows=MAX_ROWS)
    return Sheet(columns=header, rows=rows, line_numbers=lines)


def _clean(cell: str) -> str:
    return unicodedata.normalize("NFC", cell).strip()


class SheetUnreadable(SubmissionInvalid):
    """The file is not a sheet the platform reads; ``template`` and ``params`` are the message
    (an English catalogue id), for a caller that raises it as its own error."""

    def __init__(self, message: str, params: dict[str, object]) -> None:
        super().__init__([FieldError("file", *in_both(message, **params))])
        self.template = message
        self.params = params


def _invalid(message: str, **params: object) -> SheetUnreadable:
    return SheetUnreadable(message, params)
