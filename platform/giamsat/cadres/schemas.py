"""The cadre register's boundary shapes: view, create, update, import report."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

#: Which party committee manages the person (cán bộ thuộc diện … quản lý). ``residence`` means
#: a party member handled at the place of residence (chi bộ nơi cư trú), i.e. by the commune Front.
ManagingLevel = Literal["central", "province", "district", "commune", "residence"]
MANAGING_LEVELS: tuple[str, ...] = ("central", "province", "district", "commune", "residence")
#: Người đứng đầu, cán bộ chủ chốt, cán bộ, đảng viên.
PositionKind = Literal["head", "key_official", "cadre", "party_member"]
POSITION_KINDS: tuple[str, ...] = ("head", "key_official", "cadre", "party_member")

CadreCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=160)]


class CadreView(msgspec.Struct, frozen=True, kw_only=True):
    """A register entry as staff see it."""

    id: int
    code: str
    full_name: str
    position: str
    position_kind: str
    workplace: str
    residence_commune: str | None
    managing_level: str
    managing_committee: str | None
    party_member: bool
    active: bool
    committee: str
    #: The name of the committee that keeps the entry.
    committee_name: str = ""


class CadreNameplate(msgspec.Struct, frozen=True, kw_only=True):
    """The little a lower committee may know of a cadre an ancestor registered: enough to name
    the person in a signal (code, name, position), nothing personal beyond that. ``id`` links
    the signal to the entry so the rule pack can route it upward; ``committee`` is the registrar.
    """

    id: int
    code: str
    full_name: str
    position: str
    committee: str


class CadreCreate(msgspec.Struct, frozen=True, kw_only=True):
    """A new register entry; committee codes are looked up and must exist."""

    code: CadreCode
    full_name: Name
    position: Annotated[str, msgspec.Meta(max_length=200)] = ""
    position_kind: PositionKind = "cadre"
    workplace: Annotated[str, msgspec.Meta(max_length=255)] = ""
    residence_commune: str | None = None
    managing_level: ManagingLevel
    managing_committee: str | None = None
    party_member: bool = True


class CadreUpdate(msgspec.Struct, frozen=True, kw_only=True):
    """Changes to an entry; fields left out stay as they are."""

    full_name: Name | None = None
    position: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    position_kind: PositionKind | None = None
    workplace: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    residence_commune: str | None = None
    managing_level: ManagingLevel | None = None
    managing_committee: str | None = None
    party_member: bool | None = None
    active: bool | None = None


class RowError(msgspec.Struct, frozen=True, kw_only=True):
    """A problem in one sheet row: its line number (the header is line 1) and column."""

    line: int
    column: str
    message_vi: str
    message_en: str = ""


class ImportReport(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of a register import: all rows kept, or none and every bad row listed."""

    accepted: bool
    rows: int
    created: int = 0
    updated: int = 0
    errors: list[RowError] = []
