"""Import the official administrative registers (GSO codes and names) as the committee tree.

The CSV has one row per commune (province, district, commune columns); a district without
communes has its commune columns empty, and in the two-level register of 1 July 2025 the district
columns are empty (communes sit directly under their province). Every row is checked before
anything is written: a bad row aborts the whole import with its line number and code.
Re-importing is idempotent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import msgspec

from giamsat.errors import InvalidInput
from giamsat.tenancy.levels import CENTRAL_CODE, CENTRAL_NAME, Level
from giamsat.text import fold, nfc
from giamsat.web.i18n import N_

COLUMNS = (
    "province_code",
    "province_name",
    "province_type",
    "district_code",
    "district_name",
    "district_type",
    "commune_code",
    "commune_name",
    "commune_type",
)
_CODE_FORMS = {Level.PROVINCE: r"\d{2}", Level.DISTRICT: r"\d{3}", Level.COMMUNE: r"\d{5}"}
UNIT_TYPES: dict[Level, frozenset[str]] = {
    Level.PROVINCE: frozenset({"thành phố trung ương", "tỉnh"}),
    Level.DISTRICT: frozenset({"quận", "huyện", "thị xã", "thành phố"}),
    Level.COMMUNE: frozenset({"phường", "xã", "thị trấn", "đặc khu"}),
}
REGISTER_FOLDER = Path(__file__).resolve().parents[3] / "tenants" / "register"


class Register(msgspec.Struct, frozen=True):
    """One published register: its id, the day it took effect and its file."""

    id: str
    effective_on: date
    file_name: str

    @property
    def path(self) -> Path:
        return REGISTER_FOLDER / self.file_name


#: The registers shipped in ``tenants/register/`` (see its README for sources and counts).
REGISTERS: dict[str, Register] = {
    r.id: r
    for r in (
        Register("2023", date(2023, 1, 1), "vn-admin-units-2023.csv"),
        Register("2025-01", date(2025, 1, 1), "vn-admin-units-2025-01.csv"),
        Register("2025-07", date(2025, 7, 1), "vn-admin-units-2025-07.csv"),
    )
}


def register_named(register_id: str) -> Register:
    try:
        return REGISTERS[register_id]
    except KeyError:
        raise InvalidInput(
            N_("There is no register %(register)s: use one of %(known)s."),
            field="register",
            params={"register": register_id, "known": ", ".join(REGISTERS)},
        ) from None


class UnitRow(msgspec.Struct, frozen=True):
    """One unit of the register, parent first; ``line`` is where it was first seen."""

    code: str
    parent_code: str | None
    level: Level
    name: str
    unit_type: str
    line: int

    @property
    def search_name(self) -> str:
        return fold(self.name)


class ImportReport(msgspec.Struct):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: units of the register whose committee a recorded merge or split has ended: kept as history
    ended: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.ended

    def summary(self) -> str:
        text = (
            f"{self.total} committees: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.ended:
            text += f", {self.ended} ended by a recorded merge or split (kept as history)"
        return text


class RegisterRowError(InvalidInput):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def read_register(path: Path, province: str | None = None) -> list[UnitRow]:
    """Parse and check the register; return its units in parent-before-child order."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(
            N_("Cannot read %(file)s: %(reason)s"),
            params={"file": str(path), "reason": exc.strerror},
        ) from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != COLUMNS:
            raise RegisterRowError(1, f"header must be: {','.join(COLUMNS)}")
        units = _collect_units(enumerate(reader, start=2), province)
    if province and not units:
        raise InvalidInput(
            N_("The province %(province)s is not in %(file)s."),
            params={"province": province, "file": path.name},
        )
    return units


def _collect_units(rows: Iterable[tuple[int, list[str]]], province: str | None) -> list[UnitRow]:
    seen: dict[str, UnitRow] = {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise RegisterRowError(line, f"expected {len(COLUMNS)} columns, found {len(row)}")
        cells = [nfc(cell) for cell in row]
        if province and cells[0] != province:
            continue
        parent: str | None = None
        for offset, level in ((0, Level.PROVINCE), (3, Level.DISTRICT), (6, Level.COMMUNE)):
            code, name, unit_type = cells[offset : offset + 3]
            if not (code or name or unit_type):
                if level is Level.COMMUNE:
                    break
                if level is Level.DISTRICT and cells[6]:
                    continue  # two-level register: the commune sits under its province
                raise RegisterRowError(line, f"{cells[6] or cells[3]}: missing parent ({level})")
            unit = _check_unit(line, level, code, name, unit_type, parent)
            _remember(seen, unit, is_leaf=level is Level.COMMUNE)
            parent = code
    return sorted(seen.values(), key=lambda u: (list(Level).index(u.level), u.code))


def _check_unit(
    line: int, level: Level, code: str, name: str, unit_type: str, parent: str | None
) -> UnitRow:
    if not re.fullmatch(_CODE_FORMS[level], code):
        raise RegisterRowError(line, f"{level} code {code!r} must be {_CODE_FORMS[level]} digits")
    if not name or not unit_type:
        raise RegisterRowError(line, f"{level} {code} needs a name and a unit type")
    if unit_type not in UNIT_TYPES[level]:
        raise RegisterRowError(line, f"{level} {code}: unknown unit type {unit_type!r}")
    return UnitRow(
        code=code, parent_code=parent, level=level, name=name, unit_type=unit_type, line=line
    )


def _remember(seen: dict[str, UnitRow], unit: UnitRow, *, is_leaf: bool) -> None:
    known = seen.get(unit.code)
    if known is None:
        seen[unit.code] = unit
        return
    if is_leaf:
        raise RegisterRowError(
            unit.line, f"commune {unit.code} repeats line {known.line} (duplicate code)"
        )
    if (known.name, known.parent_code, known.level) != (unit.name, unit.parent_code, unit.level):
        raise RegisterRowError(
            unit.line, f"{unit.level} {unit.code} disagrees with line {known.line}"
        )


def central_unit() -> UnitRow:
    return UnitRow(
        code=CENTRAL_CODE,
        parent_code=None,
        level=Level.CENTRAL,
        name=CENTRAL_NAME,
        unit_type="trung ương",
        line=0,
    )


def unit_path(code: str, parent_path: str | None) -> str:
    if code == CENTRAL_CODE:
        return "/"
    return f"{parent_path or '/'}{code}/"
