"""Changes to the committee tree: register imports, merges and splits. Nothing is ever deleted."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from giamsat.clock import today
from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.tenancy.levels import CENTRAL_CODE, Level
from giamsat.tenancy.register import ImportReport, UnitRow, central_unit, unit_path
from giamsat.tenancy.repository import CommitteeRepository, in_force_on, last_holder
from giamsat.tenancy.schemas import CommitteeView, SuccessionRequest
from giamsat.tenancy.tables import Committee, CommitteeSuccession, Reorganisation
from giamsat.web.i18n import N_

_BATCH = 500


async def import_units(
    units: list[UnitRow], *, with_central: bool, register: str = "2023"
) -> ImportReport:
    """Create or update the committees of ``units`` (parents first) in one transaction.

    This builds a tree where there is none (or refreshes it); moving a province from one
    register to the next is a reorganisation (:mod:`giamsat.tenancy.reorganisation`), so a
    province that has been reorganised is refused here, and so is a code already used by
    another committee in force today. A unit whose committee a recorded merge or split has
    ended (``giamsat tenants merge``/``split``) stays ended: it is counted as history, never
    created again.
    """
    if with_central:
        units = [central_unit(), *units]
    report = ImportReport()
    async with system_scope():
        provinces = sorted({u.code for u in units if u.level is Level.PROVINCE})
        moved = await Reorganisation.select(Reorganisation.province).where(
            Reorganisation.province.is_in(provinces or [""])
        )
        if moved:
            province = moved[0]["province"]
            raise Conflict(
                N_(
                    "The province %(province)s has been reorganised: its tree follows the register "
                    "named by `giamsat tenants reorganise`, not an import."
                ),
                params={"province": next(u.name for u in units if u.code == province)},
            )
        existing = await _known_by_code(today())
        for level in Level:
            batch = [u for u in units if u.level is level]
            if batch:
                await _import_level(batch, existing, report, register)
    return report


_IMPORT_COLUMNS = (
    Committee.id,
    Committee.code,
    Committee.name,
    Committee.unit_type,
    Committee.parent,
    Committee.path,
    Committee.level,
    Committee.valid_to,
)


async def _known_by_code(day: date) -> dict[str, dict[str, Any]]:
    """Each code's committee: the one in force on ``day``, else the last one to have ended."""
    rows = await Committee.select(*_IMPORT_COLUMNS).where(
        in_force_on(day) | (Committee.valid_to < day)  # type: ignore[operator]
    )
    known: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["valid_to"] is None, r["valid_to"] or day)):
        row["ended"] = row["valid_to"] is not None and row["valid_to"] < day
        if not row["ended"] or known.get(row["code"], {}).get("ended", True):
            known[row["code"]] = row
    return known


async def _import_level(
    batch: list[UnitRow], existing: dict[str, dict[str, Any]], report: ImportReport, register: str
) -> None:
    new_rows: list[Committee] = []
    for unit in batch:
        parent = existing.get(unit.parent_code) if unit.parent_code else existing.get(CENTRAL_CODE)
        if unit.parent_code and parent is None:
            raise InvalidInput(
                N_("Line %(line)s: the parent %(parent)s of %(name)s is unknown."),
                params={"line": unit.line, "parent": unit.parent_code, "name": unit.name},
            )
        parent_id = parent["id"] if parent and unit.code != CENTRAL_CODE else None
        path = unit_path(unit.code, parent["path"] if parent else None)
        known = existing.get(unit.code)
        if known is not None and known["ended"]:
            if known["path"] == path:  # a recorded merge or split ended it: history
                report.ended += 1
                continue
            known = None  # the code ended elsewhere: this unit is another committee
        if known is None:
            new_rows.append(
                Committee(
                    code=unit.code,
                    parent=parent_id,
                    level=unit.level.value,
                    unit_type=unit.unit_type,
                    name=unit.name,
                    search_name=unit.search_name,
                    path=path,
                    depth=path.count("/") - 1,
                    register=register,
                    valid_from=None,
                )
            )
            continue
        if known["path"] != path or known["level"] != unit.level.value:
            raise Conflict(
                N_("Line %(line)s: %(name)s already exists elsewhere in the tree."),
                params={"line": unit.line, "name": known["name"]},
            )
        changes = _differences(known, unit, parent_id)
        if changes:
            await Committee.update(changes).where(Committee.id == known["id"])
            report.updated += 1
        else:
            report.unchanged += 1
    for start in range(0, len(new_rows), _BATCH):
        await Committee.insert(*new_rows[start : start + _BATCH])
    report.created += len(new_rows)
    if new_rows:
        fresh = await Committee.select(*_IMPORT_COLUMNS).where(
            Committee.path.is_in([r.path for r in new_rows])
        )
        existing.update({r["code"]: r | {"ended": False} for r in fresh})


def _differences(known: dict[str, Any], unit: UnitRow, parent_id: int | None) -> dict[Any, Any]:
    changes: dict[Any, Any] = {}
    if known["name"] != unit.name:
        changes[Committee.name] = unit.name
        changes[Committee.search_name] = unit.search_name
    if known["unit_type"] != unit.unit_type:
        changes[Committee.unit_type] = unit.unit_type
    if known["parent"] != parent_id:
        changes[Committee.parent] = parent_id
    return changes


async def record_succession(request: SuccessionRequest) -> list[CommitteeView]:
    """Merge or split: predecessors end the day before ``effective_on``; history stays."""
    _check_shape(request)
    repo = CommitteeRepository()
    async with system_scope():
        olds = [await _require(repo, code, request.effective_on) for code in request.predecessors]
        news = [await _require(repo, code, request.effective_on) for code in request.successors]
        for old in olds:
            if old.valid_to is not None:
                raise Conflict(
                    N_("%(committee)s already ended on %(date)s."),
                    params={"committee": old.name, "date": f"{old.valid_to:%d/%m/%Y}"},
                )
            if old.code in {n.code for n in news}:
                raise InvalidInput(
                    N_("%(committee)s cannot succeed itself."), params={"committee": old.name}
                )
        last_day = request.effective_on - timedelta(days=1)
        for old in olds:
            successor_id = news[0].id if request.kind == "merge" else None
            await Committee.update(
                {Committee.valid_to: last_day, Committee.successor: successor_id}
            ).where(Committee.id == old.id)
            for new in news:
                await CommitteeSuccession.insert(
                    CommitteeSuccession(
                        predecessor=old.id,
                        successor=new.id,
                        kind=request.kind,
                        effective_on=request.effective_on,
                        note=request.note,
                    )
                )
        await _start(news, request.effective_on)
        for old in olds:
            # a split hands open work to the first successor named; the others start empty
            for step in SUCCESSION_STEPS:
                await _resolve(step)(request.kind, old, news[0])
        return [v for v in [await repo.by_code(c, last_day) for c in request.predecessors] if v]


#: What else moves when a committee ends ("module:function", called inside the transaction
#: with the kind, the predecessor and the successor that takes over its open work).
SUCCESSION_STEPS: tuple[str, ...] = (
    "giamsat.cases.succession:move_open_cases",
    "giamsat.residence.succession:move_records",
)


def _resolve(name: str) -> Callable[[str, CommitteeView, CommitteeView], Awaitable[object]]:
    module, function = name.split(":")
    step: Callable[[str, CommitteeView, CommitteeView], Awaitable[object]] = getattr(
        importlib.import_module(module), function
    )
    return step


async def _start(news: list[CommitteeView], effective_on: date) -> None:
    for new in news:
        if new.valid_from is None or new.valid_from > effective_on:
            await Committee.update({Committee.valid_from: effective_on}).where(
                Committee.id == new.id
            )


def _check_shape(request: SuccessionRequest) -> None:
    if request.kind == "merge" and (len(request.successors) != 1 or not request.predecessors):
        raise InvalidInput("a merge names one or more committees and exactly one successor")
    if request.kind == "split" and (len(request.predecessors) != 1 or len(request.successors) < 2):
        raise InvalidInput("a split names one committee and two or more successors")
    if request.kind not in {"merge", "split"}:
        raise InvalidInput(N_("A succession is either a merge or a split."))


async def _require(repo: CommitteeRepository, code: str, on: date | None = None) -> CommitteeView:
    view = await repo.by_code(code, on)
    if view is None and (ended := await last_holder(code)) is not None:
        raise Conflict(
            N_("%(committee)s already ended on %(date)s."),
            params={"committee": ended["name"], "date": f"{ended['valid_to']:%d/%m/%Y}"},
        )
    if view is None:
        raise NotFound(N_("There is no committee with code %(code)s."), params={"code": code})
    return view


async def create_committee(
    code: str, name: str, unit_type: str, parent_code: str, level: Level
) -> CommitteeView:
    """Add a committee under ``parent_code`` (e.g. the new unit a merge creates)."""
    repo = CommitteeRepository()
    async with system_scope():
        if taken := await repo.by_code(code):
            raise Conflict(
                N_("The code %(code)s is already used by %(committee)s."),
                params={"code": code, "committee": taken.name},
            )
        parent = await _require(repo, parent_code)
        unit = UnitRow(
            code=code, parent_code=parent_code, level=level, name=name, unit_type=unit_type, line=0
        )
        path = unit_path(code, parent.path)
        await Committee.insert(
            Committee(
                code=code,
                parent=parent.id,
                level=level.value,
                unit_type=unit_type,
                name=name,
                search_name=unit.search_name,
                path=path,
                depth=path.count("/") - 1,
            )
        )
        created = await repo.by_code(code)
    assert created is not None
    return created
