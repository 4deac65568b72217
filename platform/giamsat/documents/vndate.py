"""Vietnamese date wording as Nghị định 30/2020/NĐ-CP prescribes it.

ND30 (Phụ lục I, mục II.5): days below 10 and months 1 and 2 take a leading zero
("ngày 05 tháng 02 năm 2022"), other months do not ("ngày 15 tháng 3 năm 2022").
"""

from __future__ import annotations

from datetime import date


def _day(value: date) -> str:
    return f"{value.day:02d}"


def _month(value: date) -> str:
    return f"{value.month:02d}" if value.month < 3 else str(value.month)


def long_date(value: date) -> str:
    """``ngày 05 tháng 3 năm 2022``: the wording used in the place-and-date line."""
    return f"ngày {_day(value)} tháng {_month(value)} năm {value.year}"


def short_date(value: date) -> str:
    """``05/3/2022``: the compact form used inside body text and tables."""
    return f"{_day(value)}/{_month(value)}/{value.year}"


def place_and_date(place: str, value: date) -> str:
    """``Hà Nội, ngày 05 tháng 3 năm 2022``: the header line under the national motto."""
    return f"{place}, {long_date(value)}"


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip


def english_place_and_date(place: str, value: date) -> str:
    """``Hà Nội, 5 March 2022``: the same line for a document set in English."""
    return f"{place}, {value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday(value: date) -> str:
    """Vietnamese weekday name (``Thứ Hai`` … ``Chủ nhật``) for working schedules."""
    return _WEEKDAYS[value.weekday()]
