"""Checks that audit details stay small, structured and free of personal data.

Audit rows are kept forever and shown to auditors of higher committees, so they name subjects by
id only. Keys that usually carry a person's identity are refused outright, and free text is
capped, because long strings are where names and addresses slip in.
"""

from __future__ import annotations

import re
from typing import Any

from giamsat.audit.errors import PersonalDataInDetails

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
#: Fragments of keys that name personal data (English and unaccented Vietnamese).
_PERSONAL = (
    "name", "ho_ten", "phone", "dien_thoai", "email", "address", "dia_chi", "cccd", "cmnd",
    "id_number", "identity", "reporter", "nguoi_phan_anh", "birth", "ngay_sinh",
)  # fmt: skip
_MAX_TEXT = 200
_MAX_DEPTH = 3


def check_details(details: dict[str, Any]) -> None:
    """Raise :class:`PersonalDataInDetails` naming the first offending key."""
    _check(details, "details", 0)


def _check(value: Any, where: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise PersonalDataInDetails(f"{where}: nested too deeply (at most {_MAX_DEPTH} levels)")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not _KEY.match(key):
                raise PersonalDataInDetails(f"{where}: key {key!r} must be snake_case")
            if any(fragment in key for fragment in _PERSONAL):
                raise PersonalDataInDetails(
                    f"{where}.{key}: personal data must not be audited (name subjects by id)"
                )
            _check(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]", depth + 1)
    elif isinstance(value, str):
        if len(value) > _MAX_TEXT:
            raise PersonalDataInDetails(f"{where}: text longer than {_MAX_TEXT} characters")
    elif value is not None and not isinstance(value, bool | int | float):
        raise PersonalDataInDetails(f"{where}: {type(value).__name__} is not a JSON value")
