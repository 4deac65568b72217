"""Turning register input (a form, an API body, a sheet row) into checked column values.

Shared by single creates and sheet imports so that both accept exactly the same things and word
their errors the same way. Vietnamese headers and values are matched without diacritics
("Cấp quản lý" = "cap quan ly"), English ones too.
"""

from __future__ import annotations

from typing import Any

import msgspec

from giamsat.cadres.repository import committee_ids
from giamsat.cadres.schemas import MANAGING_LEVELS, POSITION_KINDS, CadreCreate
from giamsat.tenancy.levels import LEVEL_LABELS, Level
from giamsat.text import fold, nfc
from giamsat.web.i18n import N_, Word, in_both

#: Sheet column (folded, spaces as ``_``) → CadreCreate field.
COLUMN_ALIASES: dict[str, str] = {
    "ma": "code",
    "ma_can_bo": "code",
    "code": "code",
    "ho_ten": "full_name",
    "ho_va_ten": "full_name",
    "full_name": "full_name",
    "chuc_vu": "position",
    "position": "position",
    "loai": "position_kind",
    "doi_tuong": "position_kind",
    "position_kind": "position_kind",
    "noi_cong_tac": "workplace",
    "co_quan": "workplace",
    "workplace": "workplace",
    "xa_cu_tru": "residence_commune",
    "noi_cu_tru": "residence_commune",
    "residence_commune": "residence_commune",
    "cap_quan_ly": "managing_level",
    "managing_level": "managing_level",
    "don_vi_quan_ly": "managing_committee",
    "managing_committee": "managing_committee",
    "dang_vien": "party_member",
    "party_member": "party_member",
}
_LEVEL_WORDS: dict[str, str] = {
    "trung uong": "central",
    "tw": "central",
    "tinh": "province",
    "thanh pho": "province",
    "tinh/thanh pho": "province",
    "quan": "district",
    "huyen": "district",
    "thi xa": "district",
    "quan/huyen": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
    "xa/phuong": "commune",
    "noi cu tru": "residence",
    "cu tru": "residence",
    "chi bo noi cu tru": "residence",
}
_KIND_WORDS: dict[str, str] = {
    "nguoi dung dau": "head",
    "can bo chu chot": "key_official",
    "can bo": "cadre",
    "dang vien": "party_member",
}
_YES = {"co", "x", "1", "true", "yes", "dang vien", "la dang vien"}
_NO = {"khong", "0", "false", "no"}
#: A committee level that may manage each managing level's cadres.
_COMMITTEE_LEVEL_FOR = {
    "central": "central",
    "province": "province",
    "district": "district",
    "commune": "commune",
    "residence": "commune",
}


class RowProblem(Exception):
    """One bad value: the field at fault and the message, an English catalogue id with its
    ``params`` (raised as the platform's error), also worded in both languages for a sheet's
    list of bad rows."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.message_vi, self.message_en = in_both(message, **params)
        super().__init__(f"{field}: {self.message_en}")
        self.field = field
        self.template = message
        self.params = params


def header_map(columns: list[str]) -> dict[str, str]:
    """Map each sheet column to its field; unknown columns are left out."""
    mapped: dict[str, str] = {}
    for column in columns:
        key = fold(column).replace(" ", "_")
        if key in COLUMN_ALIASES:
            mapped[column] = COLUMN_ALIASES[key]
    return mapped


def sheet_row_to_create(row: dict[str, str], columns: dict[str, str]) -> CadreCreate:
    """Build a CadreCreate from one sheet row; raise RowProblem naming the first bad column."""
    raw: dict[str, Any] = {field: nfc(row.get(column, "")) for column, field in columns.items()}
    raw = {key: value for key, value in raw.items() if value != ""}
    if "managing_level" in raw:
        raw["managing_level"] = _choice(
            raw["managing_level"], MANAGING_LEVELS, _LEVEL_WORDS, "managing_level"
        )
    if "position_kind" in raw:
        raw["position_kind"] = _choice(
            raw["position_kind"], POSITION_KINDS, _KIND_WORDS, "position_kind"
        )
    if "party_member" in raw:
        raw["party_member"] = _yes_no(raw["party_member"])
    return to_create(raw)


def to_create(raw: dict[str, Any]) -> CadreCreate:
    """Convert a dict to CadreCreate, turning msgspec's error into a RowProblem."""
    try:
        return msgspec.convert(raw, CadreCreate)
    except msgspec.ValidationError as exc:
        field = _field_of(str(exc))
        raise RowProblem(
            field, N_("The value is not valid: %(problem)s"), problem=str(exc)
        ) from None


def _field_of(message: str) -> str:
    if "`$." in message:
        return message.split("`$.", 1)[1].split("`", 1)[0].split("[", 1)[0]
    if "missing required field `" in message:
        return message.split("missing required field `", 1)[1].split("`", 1)[0]
    return ""


def _choice(value: str, allowed: tuple[str, ...], words: dict[str, str], field: str) -> str:
    folded = fold(value)
    if folded in allowed:
        return folded
    if folded in words:
        return words[folded]
    raise RowProblem(
        field,
        N_("The value “%(value)s” is not valid; use one of: %(allowed)s."),
        value=value,
        allowed=", ".join(allowed),
    )


def _yes_no(value: str) -> bool:
    folded = fold(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise RowProblem("party_member", N_("“%(value)s”: write yes or no."), value=value)


async def resolve_committees(items: list[CadreCreate]) -> dict[str, tuple[int, str]]:
    """Look up every committee code the items name."""
    codes = {c for item in items for c in (item.residence_commune, item.managing_committee) if c}
    return await committee_ids(codes)


def column_values(item: CadreCreate, committees: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """Table values for ``item``; raise RowProblem for an unknown or mismatched committee."""
    values: dict[str, Any] = {
        "code": item.code,
        "full_name": nfc(item.full_name),
        "search_name": fold(item.full_name)[:160],
        "position": nfc(item.position),
        "position_kind": item.position_kind,
        "workplace": nfc(item.workplace),
        "managing_level": item.managing_level,
        "party_member": item.party_member,
        "residence_commune": None,
        "managing_committee": None,
    }
    if item.residence_commune:
        committee_id, level = _known(committees, item.residence_commune, "residence_commune")
        if level != "commune":
            raise RowProblem(
                "residence_commune",
                N_("%(code)s is not a commune."),
                code=item.residence_commune,
            )
        values["residence_commune"] = committee_id
    if item.managing_committee:
        committee_id, level = _known(committees, item.managing_committee, "managing_committee")
        wanted = _COMMITTEE_LEVEL_FOR[item.managing_level]
        if level != wanted:
            raise RowProblem(
                "managing_committee",
                N_("Committee %(code)s is not of the managing level (%(wanted)s)."),
                code=item.managing_committee,
                wanted=Word(LEVEL_LABELS[Level(wanted)]),
            )
        values["managing_committee"] = committee_id
    return values


def _known(committees: dict[str, tuple[int, str]], code: str, field: str) -> tuple[int, str]:
    if code not in committees:
        raise RowProblem(field, N_("There is no committee with code %(code)s."), code=code)
    return committees[code]
