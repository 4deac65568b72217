"""Checks that audit details stay small, structured and free of personal data.

Audit rows are kept forever and shown to auditors of higher committees, so they name subjects by
id only. Keys that usually carry a person's identity are refused outright, and free text is
capped, because long strings are where names and addresses slip in.
"""

from __future__ import annotations

import re
from typing import Any

from giamsat.audit.errors import PersonalDataInDetails
from giamsat.web.i18n import N_

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
#: Fragments of keys that name personal data (English and unaccented Vietnamese).
_PERSONAL = (
    "name", "ho_ten", "phone", "dien_thoai", "email", "address", "dia_chi", "cccd", "cmnd",
    "id_number", "identity", "reporter", "nguoi_phan_anh", "birth", "ngay_sinh",
)  # fmt: skip
_MAX_TEXT = 200
#: Keys already found well-formed and impersonal (the platform's few dozen detail keys).
_GOOD_KEYS: set[str] = set()
_MAX_DEPTH = 3


def check_details(details: dict[str, Any]) -> None:
    """Raise :class:`PersonalDataInDetails` naming the first offending key."""
    _check(details, "details", 0)


def _refused(message: str, where: str, **params: object) -> PersonalDataInDetails:
    """The refusal a reader understands; ``where`` (the key path, for the developer who wrote
    the record) rides along in ``params`` and is never part of the message."""
    return PersonalDataInDetails(message, params={"where": where, **params})


def _plain(value: Any, depth: int) -> bool:
    """A value at ``depth`` that :func:`_check` would pass without looking further (a number, a
    flag, nothing, a short text), told without building its place's name."""
    if depth > _MAX_DEPTH:
        return False
    kind = type(value)
    return value is None or kind in (int, bool, float) or (kind is str and len(value) <= _MAX_TEXT)


def _check(value: Any, where: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise _refused(
            N_("The audit record of this change is nested too deeply (at most %(max)s levels)."),
            where,
            max=_MAX_DEPTH,
        )
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _GOOD_KEYS:
                if not _plain(item, depth + 1):
                    _check(item, f"{where}.{key}", depth + 1)
                continue
            if not isinstance(key, str) or not _KEY.match(key):
                raise _refused(
                    N_(
                        "The audit record of this change has a key that is not written in "
                        "lower case with underscores."
                    ),
                    f"{where}.{key}",
                )
            if any(fragment in key for fragment in _PERSONAL):
                raise _refused(
                    N_(
                        "The audit record of this change would hold personal data; it names "
                        "people and subjects by their number only."
                    ),
                    f"{where}.{key}",
                )
            if len(_GOOD_KEYS) < 10_000:
                _GOOD_KEYS.add(key)
            _check(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if not _plain(item, depth + 1):
                _check(item, f"{where}[{index}]", depth + 1)
    elif isinstance(value, str):
        if len(value) > _MAX_TEXT:
            raise _refused(
                N_(
                    "A text of this change is longer than the audit log keeps (at most %(max)s "
                    "characters); shorten it."
                ),
                where,
                max=_MAX_TEXT,
            )
    elif value is not None and not isinstance(value, bool | int | float):
        raise _refused(
            N_(
                "The audit record of this change holds a value that is neither text, a number "
                "nor yes or no."
            ),
            where,
        )
