"""A reorganisation: one province moves from the tree in force to a new register, on a date.

The plan is computed from the data alone, so the dry run and the apply read the same thing:
- a unit of the new register whose path already exists in force **continues** (renamed if its
  name changed: Bắc Giang's code 24 is Bắc Ninh from 1 July 2025);
- a unit with a new path **starts** on the effective date;
- every other committee of the province (and of the provinces merged into it) **ends** the day
  before, with a successor: the one the plan names, else the default row of the shipped
  successor table (``tenants/register/successors-*.csv``), else the unit with the same code in
  the new register, else (districts) the province committee.
A committee that has open work and no successor, a successor that does not exist on the
effective date, a cycle, or a date before the province's last reorganisation: refused.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

import msgspec

from giamsat.errors import Conflict, InvalidInput
from giamsat.tenancy.levels import Level
from giamsat.tenancy.open_work import OpenWork, count_open_work
from giamsat.tenancy.register import REGISTER_FOLDER, Register, UnitRow, read_register, unit_path
from giamsat.tenancy.repository import in_force_on
from giamsat.tenancy.tables import Committee, Reorganisation
from giamsat.web.i18n import N_

#: Which successor table leads into each register (from the register before it).
SUCCESSOR_TABLES = {
    "2025-01": "successors-2023-to-2025-01.csv",
    "2025-07": "successors-2025-01-to-2025-07.csv",
}


class SuccessorRow(msgspec.Struct, frozen=True):
    level: str
    from_code: str
    to_code: str
    default: bool
    derived_from: str


class Ending(msgspec.Struct, kw_only=True):
    id: int
    code: str
    name: str
    level: str
    path: str
    successor_code: str | None
    successor_path: str | None
    successor_name: str | None
    how: str
    other_successors: list[str] = []
    work: OpenWork = msgspec.field(default_factory=OpenWork)


class Starting(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    level: str
    unit_type: str
    path: str
    parent_path: str


class Renaming(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    old_name: str
    name: str
    unit_type: str


class ProvincePlan(msgspec.Struct, kw_only=True):
    """What one province's reorganisation ends, starts, renames and moves."""

    province: str
    name: str
    register: str
    effective_on: date
    already_applied: bool = False
    ending: list[Ending] = []
    starting: list[Starting] = []
    renaming: list[Renaming] = []
    continuing: int = 0
    refusals: list[str] = []

    @property
    def last_day(self) -> date:
        return self.effective_on - timedelta(days=1)

    @property
    def label(self) -> str:
        day = self.effective_on.strftime("%d/%m/%Y")
        return f"sắp xếp đơn vị hành chính theo danh mục {self.register}, từ {day}"

    def moving(self) -> OpenWork:
        total = OpenWork()
        for ending in self.ending:
            total.add(ending.work)
        return total


def read_successors(register: Register) -> dict[str, list[SuccessorRow]]:
    """The shipped successor table leading into ``register``, by the predecessor's code."""
    name = SUCCESSOR_TABLES.get(register.id)
    table: dict[str, list[SuccessorRow]] = {}
    if name is None:
        return table
    with (REGISTER_FOLDER / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["to_code"]:
                continue  # left for an administrator to name (--successor OLD=NEW)
            table.setdefault(row["from_code"], []).append(
                SuccessorRow(
                    level=row["level"],
                    from_code=row["from_code"],
                    to_code=row["to_code"],
                    default=row["default"] == "1",
                    derived_from=row["derived_from"],
                )
            )
    return table


async def plan_province(
    register: Register,
    province: str,
    effective_on: date,
    overrides: dict[str, str] | None = None,
    units: list[UnitRow] | None = None,
) -> ProvincePlan:
    """The plan for ``province`` (its code in ``register``); call inside a system scope."""
    units = units if units is not None else read_register(register.path, province)
    successors = read_successors(register)
    overrides = overrides or {}
    top = next(u for u in units if u.level is Level.PROVINCE)
    plan = ProvincePlan(
        province=province, name=top.name, register=register.id, effective_on=effective_on
    )
    await _check_dates(plan)
    if plan.already_applied:
        return plan
    old_provinces = sorted(
        {c for c, rows in successors.items() for r in rows if r.level == "province"
         and r.to_code == province} or {province}
    )  # fmt: skip
    old = await _in_force_under(old_provinces, plan.last_day)
    old_by_path = {r["path"]: r for r in old}
    province_row = next((r for r in old if r["code"] == province), None)
    root = "/" if province_row is None else province_row["path"].removesuffix(f"{province}/")
    new_paths: dict[str, str] = {}
    for unit in units:  # parents first
        parent = new_paths.get(unit.parent_code or "", root)
        path = unit_path(unit.code, parent)
        new_paths[unit.code] = path
        known = old_by_path.get(path)
        if known is None:
            plan.starting.append(Starting(code=unit.code, name=unit.name, level=unit.level.value,
                                          unit_type=unit.unit_type, path=path,
                                          parent_path=parent))  # fmt: skip
        elif (known["name"], known["unit_type"]) != (unit.name, unit.unit_type):
            plan.renaming.append(Renaming(id=known["id"], code=unit.code, old_name=known["name"],
                                          name=unit.name, unit_type=unit.unit_type))  # fmt: skip
        else:
            plan.continuing += 1
    names = {u.code: u.name for u in units}
    kept = set(new_paths.values())
    for row in old:
        if row["path"] in kept:
            continue
        plan.ending.append(_ending(row, successors, overrides, new_paths, names, province))
    await _check_successors(plan, overrides, new_paths)
    work = await count_open_work([e.id for e in plan.ending])
    for ending in plan.ending:
        ending.work = work.get(ending.id, OpenWork())
        if ending.successor_path is None and ending.work.moving:
            plan.refusals.append(
                f"{ending.name} ({ending.code}) còn {ending.work.moving} việc đang mở nhưng chưa "
                f"có đơn vị kế thừa ({ending.code} has open work and no successor: name one "
                f"with --successor {ending.code}=CODE)"
            )
    return plan


def _ending(
    row: dict[str, Any],
    successors: dict[str, list[SuccessorRow]],
    overrides: dict[str, str],
    new_paths: dict[str, str],
    names: dict[str, str],
    province: str,
) -> Ending:
    code = str(row["code"])
    rows = [r for r in successors.get(code, []) if r.level == row["level"]]
    default = next((r for r in rows if r.default), None)
    if code in overrides:
        to, how = overrides[code], "named in the plan"
    elif default is not None:
        to, how = default.to_code, default.derived_from
    elif code in new_paths:
        to, how = code, "the same code in the new register"
    elif row["level"] in (Level.DISTRICT.value, Level.PROVINCE.value):
        to, how = province, "default: the province committee"
    else:
        to, how = "", "no successor: an administrator names one"
    return Ending(
        id=row["id"],
        code=code,
        name=row["name"],
        level=row["level"],
        path=row["path"],
        successor_code=to or None,
        successor_path=new_paths.get(to),
        successor_name=names.get(to),
        how=how,
        other_successors=[r.to_code for r in rows if not r.default],
    )


async def _check_dates(plan: ProvincePlan) -> None:
    rows = await Reorganisation.select(Reorganisation.register, Reorganisation.effective_on).where(
        Reorganisation.province == plan.province
    )
    if any(r["register"] == plan.register and r["effective_on"] == plan.effective_on for r in rows):
        plan.already_applied = True
        return
    last = max((r["effective_on"] for r in rows), default=None)
    if last is not None and plan.effective_on <= last:
        raise Conflict(
            N_(
                "The effective date %(date)s must come after the province's last "
                "reorganisation, on %(last)s."
            ),
            field="effective",
            params={"date": f"{plan.effective_on:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"},
        )


async def _check_successors(
    plan: ProvincePlan, overrides: dict[str, str], new_paths: dict[str, str]
) -> None:
    ending_codes = {e.code for e in plan.ending}
    for old, new in overrides.items():
        if old not in ending_codes:
            raise InvalidInput(
                N_("Unit %(code)s does not end in this reorganisation."),
                field="successor",
                params={"code": old},
            )
        chain, seen = new, [old]
        while chain in overrides and chain not in new_paths:
            if chain in seen:
                raise InvalidInput(
                    N_("The successors go round in a circle: %(chain)s."),
                    field="successor",
                    params={"chain": " → ".join([*seen, chain])},
                )
            seen.append(chain)
            chain = overrides[chain]
        if new not in new_paths:
            raise InvalidInput(
                N_("The successor %(new)s of %(old)s does not exist on %(date)s."),
                field="successor",
                params={"new": new, "old": old, "date": f"{plan.effective_on:%d/%m/%Y}"},
            )


async def _in_force_under(provinces: list[str], day: date) -> list[dict[str, Any]]:
    tops = await Committee.select(Committee.path).where(
        Committee.code.is_in(provinces)
        & (Committee.level == Level.PROVINCE.value)
        & in_force_on(day)
    )
    rows: list[dict[str, Any]] = []
    for top in tops:
        rows += await (
            Committee.select(
                Committee.id, Committee.code, Committee.name, Committee.unit_type,
                Committee.level, Committee.path, Committee.depth,
            )
            .where(Committee.path.like(top["path"] + "%") & in_force_on(day))
            .order_by(Committee.depth)
            .order_by(Committee.path)
        )  # fmt: skip
    return rows
