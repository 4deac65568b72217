"""Bulk import of the assessment sheets trade unions keep (CSV or .xlsx).

One row per assessed cadre, header on the first row, these columns (Vietnamese
names as unions type them; order does not matter, extra columns are ignored):

====================  ========  =============================================
column                required  content
====================  ========  =============================================
ma_can_bo             yes       cadre code (mã cán bộ) known to the committee
ho_ten                no        full name; when given it must match the code
don_vi                yes       workplace (cơ quan, đơn vị)
cong_doan             yes       supervising union (công đoàn cơ sở)
nam                   yes       year, e.g. 2022
ky                    yes       "6 tháng đầu năm", "Cả năm" or "Đột xuất"
ngay_danh_gia         yes       date, dd/mm/yyyy or yyyy-mm-dd
DD1 … DD9, DD-CV      no        "x", "có" or "1" when observed; empty, "không" or "0" if not
bang_chung            if any    evidence for the manifestations marked observed
nhan_xet              no        overall comment
====================  ========  =============================================

A row is validated exactly like the assessment form (the same FormSchema), and
errors are reported under the column name the union sees.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from giamsat.channels import (
    BulkColumn,
    BulkFormat,
    ChannelContext,
    FieldError,
    RowResult,
    SubmissionInvalid,
)
from giamsat.channels.forms import validate
from giamsat_workplace.forms import ABSENT, PERIODS, PRESENT, assessment_form, field_name
from giamsat_workplace.indicators import MANIFESTATIONS
from giamsat_workplace.signals import assessment_signal

FORMAT_ID = "assessment-sheet"
_YES = {"x", "có", "co", "1", "yes"}
_NO = {"", "không", "khong", "0", "no"}
_PLAIN = {
    "cadre": "ma_can_bo",
    "unit": "don_vi",
    "union": "cong_doan",
    "year": "nam",
    "period": "ky",
    "assessed_on": "ngay_danh_gia",
    "conclusion": "nhan_xet",
}


def sheet_format() -> BulkFormat:
    """The column layout of the union assessment sheet."""
    columns = [
        BulkColumn(name="ma_can_bo", label_vi="Mã cán bộ", label_en="Cadre code", required=True),
        BulkColumn(name="ho_ten", label_vi="Họ và tên", label_en="Full name"),
        BulkColumn(name="don_vi", label_vi="Cơ quan, đơn vị", label_en="Workplace", required=True),
        BulkColumn(name="cong_doan", label_vi="Công đoàn", label_en="Trade union", required=True),
        BulkColumn(name="nam", label_vi="Năm", label_en="Year", required=True),
        BulkColumn(
            name="ky",
            label_vi="Kỳ đánh giá",
            label_en="Period",
            required=True,
            help_vi="6 tháng đầu năm / Cả năm / Đột xuất",
        ),
        BulkColumn(
            name="ngay_danh_gia",
            label_vi="Ngày đánh giá",
            label_en="Assessed on",
            required=True,
            help_vi="dd/mm/yyyy",
        ),
    ]
    columns += [
        BulkColumn(name=code, label_vi=code, label_en=code, help_vi="x = có biểu hiện")
        for code, _ in MANIFESTATIONS
    ]
    columns += [
        BulkColumn(name="bang_chung", label_vi="Biểu hiện, chứng cứ", label_en="Evidence"),
        BulkColumn(name="nhan_xet", label_vi="Nhận xét", label_en="Comment"),
    ]
    return BulkFormat(
        id=FORMAT_ID,
        label_vi="Bảng tổng hợp giám sát ở nơi làm việc",
        label_en="Workplace supervision sheet",
        columns=columns,
    )


def import_rows(context: ChannelContext, rows: list[dict[str, str]]) -> list[RowResult]:
    """One RowResult per row: the assessment signal, or errors by column."""
    schema = assessment_form()
    results: list[RowResult] = []
    for row in rows:
        raw, errors = _raw_form(row)
        errors += _name_mismatch(context, row)
        try:
            values = validate(schema, raw, [], context)
        except SubmissionInvalid as invalid:
            errors += [_to_column(error) for error in invalid.errors]
            values = {}
        if errors:
            results.append(RowResult(ok=False, errors=_first_per_column(errors)))
            continue
        signal = assessment_signal(values, date.today(), "bulk import")
        results.append(RowResult(ok=True, signals=[signal]))
    return results


def _first_per_column(errors: list[FieldError]) -> list[FieldError]:
    """One error per column: an empty bang_chung is reported once, not once per code."""
    first: dict[str, FieldError] = {}
    for error in errors:
        first.setdefault(error.field, error)
    return list(first.values())


def _raw_form(row: dict[str, str]) -> tuple[dict[str, str], list[FieldError]]:
    raw = {field: row.get(column, "") for field, column in _PLAIN.items()}
    raw["period"] = _period_code(raw["period"])
    errors: list[FieldError] = []
    evidence = row.get("bang_chung", "")
    for code, _ in MANIFESTATIONS:
        cell = _fold(row.get(code, ""))
        if cell in _YES:
            raw[field_name(code)] = PRESENT
            raw[f"{field_name(code)}_evidence"] = evidence
        elif cell in _NO:
            raw[field_name(code)] = ABSENT
        else:
            errors.append(
                FieldError(
                    code,
                    f"Giá trị “{row[code]}” không hợp lệ (x hoặc để trống)",
                    "use x or leave empty",
                )
            )
    return raw, errors


def _period_code(text: str) -> str:
    folded = _fold(text)
    for code, (vi, en) in PERIODS.items():
        if folded in {code, _fold(vi), en}:
            return code
    return text


def _name_mismatch(context: ChannelContext, row: dict[str, str]) -> list[FieldError]:
    name = row.get("ho_ten", "").strip()
    cadre = context.find_cadre(row.get("ma_can_bo", "").strip())
    if not name or cadre is None or _fold(cadre.full_name) == _fold(name):
        return []
    return [
        FieldError(
            "ho_ten",
            f"Họ tên không khớp mã cán bộ ({cadre.full_name})",
            "name does not match the cadre code",
        )
    ]


def _to_column(error: FieldError) -> FieldError:
    column = _PLAIN.get(error.field)
    if column is None:
        code = next((c for c, _ in MANIFESTATIONS if error.field.startswith(field_name(c))), "")
        column = "bang_chung" if error.field.endswith("_evidence") else code or error.field
    return FieldError(column, error.message_vi, error.message_en)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()
