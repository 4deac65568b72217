"""Apply a reorganisation plan: one transaction per province, audited, idempotent, resumable.

Each province's plan is computed again inside its own transaction, so what is applied is exactly
what a dry run of the same data prints; a province already applied is skipped and says so, so a
run that stopped half-way is finished by running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import msgspec

from giamsat.audit.service import record
from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, InvalidInput
from giamsat.residence.succession import move_records
from giamsat.tenancy.levels import committee_title
from giamsat.tenancy.open_work import KINDS, move_open_work, repoint_cadres
from giamsat.tenancy.register import Register, UnitRow, read_register
from giamsat.tenancy.reorganisation import Ending, ProvincePlan, plan_province
from giamsat.tenancy.repository import in_force_on
from giamsat.tenancy.schemas import CommitteeView
from giamsat.tenancy.tables import Committee, CommitteeSuccession, Reorganisation
from giamsat.text import fold
from giamsat.web.i18n import N_

_BATCH = 500


class ProvinceOutcome(msgspec.Struct, frozen=True, kw_only=True):
    province: str
    applied: bool
    message: str


def by_province(units: list[UnitRow]) -> dict[str, list[UnitRow]]:
    """The register's units grouped by their province, parents first within each."""
    parent_of = {u.code: u.parent_code for u in units}
    grouped: dict[str, list[UnitRow]] = {}
    for unit in units:
        top = unit.code
        while parent_of.get(top):
            top = parent_of[top] or top
        grouped.setdefault(top, []).append(unit)
    return dict(sorted(grouped.items()))


async def preview(
    register: Register, effective_on: date, province: str | None, overrides: dict[str, str]
) -> list[ProvincePlan]:
    """The plans of every province concerned, changing nothing."""
    plans = []
    async with system_scope():
        for code, units in by_province(read_register(register.path, province)).items():
            plans.append(await plan_province(register, code, effective_on, overrides, units))
    return plans


async def apply(
    register: Register,
    effective_on: date,
    province: str | None,
    overrides: dict[str, str],
    applied_by: str,
    on_province: Callable[[ProvinceOutcome], None] | None = None,
) -> list[ProvinceOutcome]:
    """Apply the plan of each province concerned, one transaction each."""
    outcomes = []
    for code, units in by_province(read_register(register.path, province)).items():
        async with system_scope():
            plan = await plan_province(register, code, effective_on, overrides, units)
            if plan.already_applied:
                outcome = ProvinceOutcome(province=code, applied=False, message=(
                    f"{code} {plan.name}: already applied ({register.id} from "
                    f"{effective_on.isoformat()}); nothing changed"))  # fmt: skip
            else:
                if plan.refusals:
                    raise Conflict("; ".join(plan.refusals))
                await _apply_province(plan, applied_by)
                outcome = ProvinceOutcome(province=code, applied=True, message=(
                    f"{code} {plan.name}: {len(plan.ending)} ended, {len(plan.starting)} "
                    f"started, {len(plan.renaming)} renamed, {plan.moving().moving} open items "
                    f"moved, {plan.moving().accounts} accounts stopped"))  # fmt: skip
        outcomes.append(outcome)
        if on_province:
            on_province(outcome)
    return outcomes


async def _apply_province(plan: ProvincePlan, applied_by: str) -> None:
    await _start(plan)
    for renaming in plan.renaming:
        await Committee.update(
            {Committee.name: renaming.name, Committee.search_name: fold(renaming.name),
             Committee.unit_type: renaming.unit_type, Committee.register: plan.register}
        ).where(Committee.id == renaming.id)  # fmt: skip
    views = await _views([e.successor_path for e in plan.ending if e.successor_path])
    other_paths = {e.code: e.other_successors for e in plan.ending}
    codes = await _ids_by_code(plan, other_paths)
    for ending in plan.ending:
        new = views.get(ending.successor_path or "")
        await Committee.update(
            {Committee.valid_to: plan.last_day, Committee.successor: new.id if new else None}
        ).where(Committee.id == ending.id)
        if new is None:
            continue
        kind = "split" if ending.other_successors else "merge"
        targets = [new.id, *[codes[c] for c in ending.other_successors if c in codes]]
        await CommitteeSuccession.insert(*[
            CommitteeSuccession(predecessor=ending.id, successor=t, kind=kind,
                                effective_on=plan.effective_on, note=f"{plan.label}; {ending.how}")
            for t in targets
        ])  # fmt: skip
        if ending.work.moving or ending.work.accounts:
            await move_open_work(_old_view(ending), new, ending.work, plan.label)
        await move_records(kind, _old_view(ending), new)
    await repoint_cadres(
        {e.id: views[e.successor_path].id for e in plan.ending if e.successor_path in views}
    )
    summary = _summary(plan)
    await Reorganisation.insert(
        Reorganisation(register=plan.register, province=plan.province,
                       effective_on=plan.effective_on, applied_by=applied_by, summary=summary)
    )  # fmt: skip
    top = views.get(f"/{plan.province}/") or next(iter(views.values()), None)
    if top is not None:
        await record(top.id, "committee.reorganised", "committee", top.code, summary)


async def _start(plan: ProvincePlan) -> None:
    by_level: dict[str, list[Any]] = {}
    for unit in plan.starting:
        by_level.setdefault(unit.level, []).append(unit)
    for level in ("province", "district", "commune"):
        batch = by_level.get(level, [])
        if not batch:
            continue
        parents = await _ids_by_path({u.parent_path for u in batch}, plan.effective_on)
        rows = [
            Committee(code=u.code, parent=parents.get(u.parent_path), level=u.level,
                      unit_type=u.unit_type, name=u.name, search_name=fold(u.name), path=u.path,
                      depth=u.path.count("/") - 1, register=plan.register,
                      valid_from=plan.effective_on)
            for u in batch
        ]  # fmt: skip
        for start in range(0, len(rows), _BATCH):
            await Committee.insert(*rows[start : start + _BATCH])


async def _ids_by_path(paths: set[str], day: date) -> dict[str, int]:
    rows = await Committee.select(Committee.id, Committee.path).where(
        Committee.path.is_in(sorted(paths)) & in_force_on(day)
    )
    return {r["path"]: r["id"] for r in rows}


async def _ids_by_code(plan: ProvincePlan, others: dict[str, list[str]]) -> dict[str, int]:
    wanted = sorted({c for codes in others.values() for c in codes})
    if not wanted:
        return {}
    rows = await Committee.select(Committee.id, Committee.code).where(
        Committee.code.is_in(wanted) & in_force_on(plan.effective_on)
    )
    return {r["code"]: r["id"] for r in rows}


async def _views(paths: list[str]) -> dict[str, CommitteeView]:
    if not paths:
        return {}
    rows = await Committee.select(
        Committee.id, Committee.code, Committee.name, Committee.level, Committee.unit_type,
        Committee.path, Committee.depth,
    ).where(Committee.path.is_in(sorted(set(paths))))  # fmt: skip
    return {r["path"]: _view(r) for r in rows}


def _view(row: dict[str, Any]) -> CommitteeView:
    return CommitteeView(
        id=row["id"], code=row["code"], name=row["name"],
        title=committee_title(row["name"], row["level"]), level=row["level"],
        unit_type=row.get("unit_type", ""), path=row["path"], parent_code=None,
        depth=row.get("depth", 0),
    )  # fmt: skip


def _old_view(ending: Ending) -> CommitteeView:
    return _view({"id": ending.id, "code": ending.code, "name": ending.name,
                  "level": ending.level, "path": ending.path})  # fmt: skip


def _summary(plan: ProvincePlan) -> dict[str, Any]:
    moving = plan.moving()
    return {
        "register": plan.register,
        "effective_on": plan.effective_on.isoformat(),
        "ended": len(plan.ending),
        "started": len(plan.starting),
        "retitled": len(plan.renaming),
        "moved": {k: getattr(moving, k) for k in KINDS},
    }


def parse_overrides(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``OLD=NEW`` pairs naming successors (the plan's own choices)."""
    found: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InvalidInput(
                N_("A successor %(value)s must be written OLD=NEW."),
                field="successor",
                params={"value": value},
            )
        found[old.strip()] = new.strip()
    return found
