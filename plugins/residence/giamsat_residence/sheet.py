"""Bulk import of year-end comments (kết quả nhận xét) from a commune's sheet.

One row per working party member, header on the first row:

=========================  ========  ==========================================
column                     required  content
=========================  ========  ==========================================
ma_dang_vien               yes       party member code known to the committee
ho_ten                     no        full name; when given it must match the code
nam                        yes       year, e.g. 2022
chi_bo_noi_cu_tru          yes       party cell at residence
to_chuc_dang_noi_cong_tac  yes       workplace party organisation (recipient)
ket_qua                    yes       "Hoàn thành tốt", "Hoàn thành" or "Không hoàn thành"
nct_chua_thuc_hien         if not    duties not fulfilled, e.g. "NCT3; NCT5" (required
                           complete  when ket_qua is "Không hoàn thành")
nhan_xet                   no        comment
=========================  ========  ==========================================

Rows are validated with the year-end FormSchema; errors name the sheet column.
"""

from __future__ import annotations

import re
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
from giamsat_residence.forms import RESULTS, year_end_form
from giamsat_residence.signals import year_end_signal

FORMAT_ID = "year-end-sheet"
_COLUMNS = {
    "cadre": "ma_dang_vien",
    "year": "nam",
    "residence_party_cell": "chi_bo_noi_cu_tru",
    "workplace_party_org": "to_chuc_dang_noi_cong_tac",
    "result": "ket_qua",
    "unmet_duties": "nct_chua_thuc_hien",
    "comment": "nhan_xet",
}


def sheet_format() -> BulkFormat:
    """The column layout of the year-end comment sheet."""
    labels = {
        "ma_dang_vien": ("Mã đảng viên", "Party member code", True),
        "ho_ten": ("Họ và tên", "Full name", False),
        "nam": ("Năm", "Year", True),
        "chi_bo_noi_cu_tru": ("Chi bộ nơi cư trú", "Party cell at residence", True),
        "to_chuc_dang_noi_cong_tac": ("Tổ chức đảng nơi công tác", "Workplace party org.", True),
        "ket_qua": ("Kết quả nhận xét", "Result", True),
        "nct_chua_thuc_hien": ("Nhiệm vụ chưa thực hiện tốt", "Duties not fulfilled", False),
        "nhan_xet": ("Nhận xét", "Comment", False),
    }
    return BulkFormat(
        id=FORMAT_ID,
        label_vi="Bảng kết quả nhận xét đảng viên ở nơi cư trú",
        label_en="Year-end comments on party members at residence",
        columns=[
            BulkColumn(name=name, label_vi=vi, label_en=en, required=required)
            for name, (vi, en, required) in labels.items()
        ],
    )


def import_rows(context: ChannelContext, rows: list[dict[str, str]]) -> list[RowResult]:
    """One RowResult per row: the year-end signal, or errors by column."""
    schema = year_end_form()
    results: list[RowResult] = []
    for row in rows:
        raw: dict[str, str | list[str]] = {
            field: row.get(column, "") for field, column in _COLUMNS.items()
        }
        raw["result"] = _result_code(row.get("ket_qua", ""))
        raw["unmet_duties"] = [
            c for c in re.split(r"[;,\s]+", row.get("nct_chua_thuc_hien", "").upper()) if c
        ]
        errors = _name_mismatch(context, row)
        try:
            values = validate(schema, raw, [], context)
        except SubmissionInvalid as invalid:
            errors += [
                FieldError(_COLUMNS.get(e.field, e.field), e.message_vi, e.message_en)
                for e in invalid.errors
            ]
            values = {}
        if errors:
            results.append(RowResult(ok=False, errors=errors))
        else:
            results.append(RowResult(ok=True, signals=[year_end_signal(values, date.today())]))
    return results


def _result_code(text: str) -> str:
    folded = _fold(text)
    for code, (vi, en) in RESULTS.items():
        if folded in {code, _fold(vi), en.lower()}:
            return code
    return text


def _name_mismatch(context: ChannelContext, row: dict[str, str]) -> list[FieldError]:
    name = row.get("ho_ten", "").strip()
    cadre = context.find_cadre(row.get("ma_dang_vien", "").strip())
    if not name or cadre is None or _fold(cadre.full_name) == _fold(name):
        return []
    return [
        FieldError(
            "ho_ten",
            f"Họ tên không khớp mã đảng viên ({cadre.full_name})",
            "name does not match the member code",
        )
    ]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()
