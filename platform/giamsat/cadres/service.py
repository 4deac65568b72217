"""The cadre register's use cases: create, update, search, import a sheet (all or nothing).

Each function opens the committee's tenant scope itself (one transaction), writes an audit entry
naming rows by id only, and raises the platform's errors with the field at fault.
"""

from __future__ import annotations

from typing import Any

import msgspec

from giamsat.audit.service import record
from giamsat.cadres.repository import CadreRepository, CadreSort, committee_codes
from giamsat.cadres.rows import (
    RowProblem,
    column_values,
    header_map,
    resolve_committees,
    sheet_row_to_create,
)
from giamsat.cadres.schemas import CadreCreate, CadreUpdate, CadreView, ImportReport, RowError
from giamsat.channels.sheets import SheetUnreadable, read_sheet
from giamsat.db.paging import Page, PageRequest
from giamsat.db.scope import tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.tenancy.context import TenantContext
from giamsat.text import nfc
from giamsat.web.i18n import N_


def _invalid(problem: RowProblem) -> InvalidInput:
    return InvalidInput(problem.template, field=problem.field, params=problem.params)


async def create_cadre(ctx: TenantContext, data: CadreCreate) -> CadreView:
    """Add a person to the committee's own register; the code must be new there."""
    async with tenant_scope(ctx.path):
        repo = CadreRepository(ctx)
        if await repo.own_by_code(data.code) is not None:
            raise Conflict(
                N_("Cadre code %(code)s is already registered."),
                field="code",
                params={"code": data.code},
            )
        try:
            values = column_values(data, await resolve_committees([data]))
        except RowProblem as problem:
            raise _invalid(problem) from None
        cadre_id = await repo.insert(values)
        await record(ctx, "cadre.created", "cadre", cadre_id, {"code": data.code})
        view = await repo.find(data.code)
    assert view is not None
    return view


async def update_cadre(ctx: TenantContext, code: str, data: CadreUpdate) -> CadreView:
    """Change an entry of the committee's own register."""
    async with tenant_scope(ctx.path):
        repo = CadreRepository(ctx)
        row = await repo.own_by_code(code)
        if row is None:
            raise NotFound(
                N_("There is no cadre with code %(code)s."), field="code", params={"code": code}
            )
        merged = await _merged(row, data)
        try:
            values = column_values(merged, await resolve_committees([merged]))
        except RowProblem as problem:
            raise _invalid(problem) from None
        if data.active is not None:
            values["active"] = data.active
        await repo.update(row["id"], values)
        changed = sorted(f for f in data.__struct_fields__ if getattr(data, f) is not None)
        await record(ctx, "cadre.updated", "cadre", row["id"], {"fields": changed})
        view = await repo.find(code)
    assert view is not None
    return view


async def _merged(row: dict[str, Any], data: CadreUpdate) -> CadreCreate:
    codes = await committee_codes([row["residence_commune"], row["managing_committee"]])
    current = CadreCreate(
        code=row["code"],
        full_name=row["full_name"],
        position=row["position"],
        position_kind=row["position_kind"],
        workplace=row["workplace"],
        residence_commune=codes.get(row["residence_commune"]),
        managing_level=row["managing_level"],
        managing_committee=codes.get(row["managing_committee"]),
        party_member=row["party_member"],
    )
    changes = {f: getattr(data, f) for f in data.__struct_fields__ if f != "active"}
    return msgspec.structs.replace(current, **{k: v for k, v in changes.items() if v is not None})


async def get_cadre(ctx: TenantContext, code: str) -> CadreView:
    """One entry of the committee's subtree by code."""
    async with tenant_scope(ctx.path):
        view = await CadreRepository(ctx).find(nfc(code))
    if view is None:
        raise NotFound(
            N_("There is no cadre with code %(code)s."), field="code", params={"code": code}
        )
    return view


async def search_cadres(
    ctx: TenantContext, query: str = "", *, limit: int = 50, offset: int = 0
) -> list[CadreView]:
    """Entries of the subtree by name without diacritics ("nguyen van an") or exact code."""
    async with tenant_scope(ctx.path):
        return await CadreRepository(ctx).search(
            query, limit=min(max(limit, 1), 500), offset=max(offset, 0)
        )


async def page_cadres(
    ctx: TenantContext,
    query: str,
    request: PageRequest,
    *,
    managing_level: str = "",
    sort: CadreSort = "name",
) -> Page[CadreView]:
    """One page of the subtree's register, filtered and ordered, with its total."""
    async with tenant_scope(ctx.path):
        return await CadreRepository(ctx).page(
            query, request, managing_level=managing_level, sort=sort
        )


async def all_cadres(
    ctx: TenantContext, query: str, *, managing_level: str = "", sort: CadreSort = "name"
) -> list[CadreView]:
    """Every entry of the filtered register (what an export of the list holds)."""
    async with tenant_scope(ctx.path):
        return await CadreRepository(ctx).everything(
            query, managing_level=managing_level, sort=sort
        )


async def import_cadres(ctx: TenantContext, filename: str, data: bytes) -> ImportReport:
    """Create or update entries from a .csv/.xlsx sheet, all or nothing.

    Every row is checked first; if any row is bad nothing is written and the report lists every
    bad row with its line number and column. Otherwise all rows are written in one transaction.
    """
    try:
        sheet = read_sheet(filename, data)
    except SheetUnreadable as exc:
        raise InvalidInput(exc.template, field="file", params=exc.params) from None
    columns = header_map(sheet.columns)
    missing = {"code", "full_name", "managing_level"} - set(columns.values())
    if missing:
        raise InvalidInput(
            N_("Missing columns: %(columns)s."),
            field="file",
            params={"columns": ", ".join(sorted(missing))},
        )
    items, errors = _parse_rows(sheet.rows, sheet.line_numbers, columns)
    committees = await resolve_committees([item for _, item in items])
    values: list[tuple[int, dict[str, Any]]] = []
    for line, item in items:
        try:
            values.append((line, column_values(item, committees)))
        except RowProblem as problem:
            errors.append(_row_error(line, problem))
    if errors:
        return ImportReport(
            accepted=False, rows=len(sheet.rows), errors=sorted(errors, key=lambda e: e.line)
        )
    return await _write_rows(ctx, [v for _, v in values])


def _parse_rows(
    rows: list[dict[str, str]], lines: list[int], columns: dict[str, str]
) -> tuple[list[tuple[int, CadreCreate]], list[RowError]]:
    items: list[tuple[int, CadreCreate]] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, row in zip(lines, rows, strict=True):
        try:
            item = sheet_row_to_create(row, columns)
        except RowProblem as problem:
            errors.append(_row_error(line, problem))
            continue
        if item.code in first_line:
            repeated = RowProblem(
                "code",
                N_("Code %(code)s repeats line %(line)s."),
                code=item.code,
                line=first_line[item.code],
            )
            errors.append(_row_error(line, repeated))
            continue
        first_line[item.code] = line
        items.append((line, item))
    return items, errors


def _row_error(line: int, problem: RowProblem) -> RowError:
    return RowError(
        line=line,
        column=problem.field,
        message_vi=problem.message_vi,
        message_en=problem.message_en,
    )


async def _write_rows(ctx: TenantContext, rows: list[dict[str, Any]]) -> ImportReport:
    created = updated = 0
    async with tenant_scope(ctx.path):
        repo = CadreRepository(ctx)
        existing = await repo.own_codes([row["code"] for row in rows])
        for row in rows:
            if row["code"] in existing:
                await repo.update(existing[row["code"]], row)
                updated += 1
            else:
                await repo.insert(row)
                created += 1
        await record(
            ctx,
            "cadre.imported",
            "cadre_register",
            ctx.committee_id,
            {"created": created, "updated": updated},
        )
    return ImportReport(accepted=True, rows=len(rows), created=created, updated=updated)
