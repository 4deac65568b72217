"""What a city's staff read when a pack is refused: schema problems in plain words.

msgspec reports ``Expected `int`, got `str` - at `$.year``` or ``Invalid RFC3339 encoded date``;
staff who write a yearly plan need "năm phải là số" and "ngày phải viết dạng 2024-11-20".
Each function returns the message in Vietnamese and in English.
"""

from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")

_TYPES_VI = {
    "int": "một số nguyên",
    "str": "một đoạn chữ",
    "bool": "true hoặc false",
    "array": "một danh sách",
    "object": "một mục có các trường",
    "float": "một số",
    "null": "để trống",
    "date": "một ngày (năm-tháng-ngày)",
}


def date_problem(value: object) -> tuple[str, str]:
    """Explain why ``value`` is not a date the pack accepts."""
    text = str(value)
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return (
                f"'{text}' không phải là một ngày có thật; ngày phải viết dạng năm-tháng-ngày, "
                "ví dụ 2024-11-20",
                f"'{text}' is not a real date; write dates as year-month-day, e.g. 2024-11-20",
            )
        return (
            f"ngày phải viết dạng {iso} (năm-tháng-ngày), không phải {text}",
            f"write the date as {iso} (year-month-day), not {text}",
        )
    ymd = _YMD.match(text)
    if ymd:
        year, month, day = (int(g) for g in ymd.groups())
        if not 1 <= month <= 12:
            return (
                f"'{text}' không phải là một ngày có thật: không có tháng {month}",
                f"'{text}' is not a real date: there is no month {month}",
            )
        return (
            f"'{text}' không phải là một ngày có thật: tháng {month} không có ngày {day}",
            f"'{text}' is not a real date: month {month} has no day {day}",
        )
    return (
        f"'{text}' không phải là một ngày; ngày phải viết dạng năm-tháng-ngày, ví dụ 2024-11-20",
        f"'{text}' is not a date; write dates as year-month-day, e.g. 2024-11-20",
    )


_EXPECTED = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`")
_MISSING = re.compile(r"^Object missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]+)`")
_INVALID_ENUM = re.compile(r"^Invalid enum value (.+)$")


def _type_vi(name: str) -> str:
    parts = [p.strip() for p in name.split("|")]
    return " hoặc ".join(_TYPES_VI.get(p, p) for p in parts)


def schema_problem(message: str, value: object) -> tuple[str, str]:
    """Plain Vietnamese and English for a msgspec validation message (its path removed)."""
    if "RFC3339" in message and "date" in message:
        return date_problem(value)
    if found := _EXPECTED.match(message):
        wanted, got = found.groups()
        return (
            f"phải là {_type_vi(wanted)}, ở đây là {_type_vi(got)}",
            f"must be {wanted}, found {got}",
        )
    if found := _MISSING.match(message):
        return (
            f"thiếu mục bắt buộc '{found.group(1)}'",
            f"required field `{found.group(1)}` is missing",
        )
    if found := _UNKNOWN.match(message):
        return (
            f"mục '{found.group(1)}' không có trong định dạng gói quy tắc (viết sai tên?)",
            f"unknown field `{found.group(1)}` (a misspelt name?)",
        )
    if found := _INVALID_ENUM.match(message):
        return (
            f"giá trị {found.group(1)} không nằm trong các giá trị cho phép",
            f"{found.group(1)} is not one of the allowed values",
        )
    return (f"sai định dạng: {message}", message)
