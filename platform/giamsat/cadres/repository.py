"""Reading and writing the cadre register, always within one committee's subtree.

Every method takes the :class:`TenantContext` and filters by its path; PostgreSQL's row-level
security repeats that filter underneath. Callers open the tenant scope (one transaction).
"""

from __future__ import annotations

from typing import Any, Literal, cast

from piccolo.columns import Column
from piccolo.custom_types import Combinable

from giamsat.cadres.schemas import CadreNameplate, CadreView
from giamsat.cadres.tables import Cadre
from giamsat.clock import today
from giamsat.db import bulk
from giamsat.db.like import contains
from giamsat.db.paging import Order, Page, PageRequest, fetch_all, fetch_page
from giamsat.db.scope import system_scope
from giamsat.db.subtree import path_within, subtree_bounds
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.paths import ancestor_paths
from giamsat.tenancy.repository import in_force_on
from giamsat.tenancy.tables import Committee
from giamsat.text import fold

_COLUMNS = (
    Cadre.id,
    Cadre.code,
    Cadre.full_name,
    Cadre.position,
    Cadre.position_kind,
    Cadre.workplace,
    Cadre.residence_commune.code,
    Cadre.managing_level,
    Cadre.managing_committee.code,
    Cadre.party_member,
    Cadre.active,
    Cadre.committee.code,
    Cadre.committee.name,
)
#: How the register can be ordered: a column, ``-`` first for descending.
CadreSort = Literal["name", "-name", "code", "-code", "level", "-level"]
_ORDERS: dict[str, list[Order]] = {
    "name": [(Cadre.search_name, True), (Cadre.id, True)],
    "-name": [(Cadre.search_name, False), (Cadre.id, False)],
    "code": [(Cadre.code, True), (Cadre.id, True)],
    "-code": [(Cadre.code, False), (Cadre.id, False)],
    "level": [(Cadre.managing_level, True), (Cadre.search_name, True), (Cadre.id, True)],
    "-level": [(Cadre.managing_level, False), (Cadre.search_name, True), (Cadre.id, True)],
}


def _view(row: dict[str, Any]) -> CadreView:
    return CadreView(
        id=row["id"],
        code=row["code"],
        full_name=row["full_name"],
        position=row["position"],
        position_kind=row["position_kind"],
        workplace=row["workplace"],
        residence_commune=row["residence_commune.code"],
        managing_level=row["managing_level"],
        managing_committee=row["managing_committee.code"],
        party_member=row["party_member"],
        active=row["active"],
        committee=row["committee.code"],
        committee_name=row["committee.name"],
    )


#: Codes per :meth:`CadreRepository.find_many` query (SQLite binds each one).
_MANY = 5000
_FIND_MANY = (
    "SELECT c.id, c.code, c.full_name, c.position, c.position_kind, c.workplace, "
    "r.code AS residence_commune, c.managing_level, m.code AS managing_committee, "
    "c.party_member, c.active, o.code AS committee, o.name AS committee_name "
    "FROM cadre c JOIN committee o ON o.id = c.committee "
    "LEFT JOIN committee r ON r.id = c.residence_commune "
    "LEFT JOIN committee m ON m.id = c.managing_committee WHERE "
)


def _raw_view(row: dict[str, Any]) -> CadreView:
    """A :data:`_FIND_MANY` row (SQLite hands back booleans as integers)."""
    return CadreView(
        id=row["id"], code=row["code"], full_name=row["full_name"], position=row["position"],
        position_kind=row["position_kind"], workplace=row["workplace"],
        residence_commune=row["residence_commune"], managing_level=row["managing_level"],
        managing_committee=row["managing_committee"], party_member=bool(row["party_member"]),
        active=bool(row["active"]), committee=row["committee"],
        committee_name=row["committee_name"],
    )  # fmt: skip


class CadreRepository:
    """The register as one committee (and its subtree) sees it."""

    def __init__(self, ctx: TenantContext) -> None:
        self.ctx = ctx

    def _visible(self) -> Any:
        return path_within(Cadre.tenant_path, self.ctx.path)

    async def own_by_code(self, code: str) -> dict[str, Any] | None:
        """The raw row of the committee's own entry with this code (for updates)."""
        row: dict[str, Any] | None = (
            await Cadre.select()
            .where(Cadre.committee == self.ctx.committee_id)
            .where(Cadre.code == code)
            .first()
        )
        return row

    async def visible(self, cadre_id: int) -> bool:
        """Whether cadre ``cadre_id`` is in the committee's subtree (a body's reference)."""
        return bool(
            await Cadre.exists().where((Cadre._meta.primary_key == cadre_id) & self._visible())
        )

    async def own_codes(self, codes: list[str]) -> dict[str, int]:
        """Map each of ``codes`` already in the committee's own register to its row id."""
        found: dict[str, int] = {}
        for start in range(0, len(codes), 500):
            rows = await (
                Cadre.select(Cadre.id, Cadre.code)
                .where(Cadre.committee == self.ctx.committee_id)
                .where(Cadre.code.is_in(codes[start : start + 500]))
            )
            found.update({row["code"]: row["id"] for row in rows})
        return found

    async def find(self, code: str) -> CadreView | None:
        """An entry of the subtree by code, the committee's own entry first."""
        rows = await (
            Cadre.select(*_COLUMNS)
            .where(self._visible())
            .where(Cadre.code == code)
            .order_by(Cadre.id)
        )
        own = [r for r in rows if r["committee.code"] == self.ctx.committee_code]
        chosen = (own or rows)[:1]
        return _view(chosen[0]) if chosen else None

    async def find_many(self, codes: list[str]) -> dict[str, CadreView]:
        """Entries of the subtree for any of ``codes`` (own entries win over the subtree's): one
        set-based query per :data:`_MANY` codes (a 10,000-row sheet names 10,000 cadres)."""
        result: dict[str, CadreView] = {}
        for start in range(0, len(codes), _MANY):
            chunk = codes[start : start + _MANY]
            rows = await bulk.fetch_any(
                _FIND_MANY + bulk.ids_condition("c.code", chunk, "text")
                + " AND c.tenant_path >= $2 AND c.tenant_path < $3 ORDER BY c.id",
                chunk, *subtree_bounds(self.ctx.path),
            )  # fmt: skip
            for row in rows:
                view = _raw_view(row)
                if view.code not in result or view.committee == self.ctx.committee_code:
                    result[view.code] = view
        return result

    async def find_ancestor_registered_nameplates(
        self, codes: list[str]
    ) -> dict[str, CadreNameplate]:
        """Nameplates (code, name, position) of entries that the committee's ANCESTORS registered.

        A commune receiving a signal about a district- or city-managed cadre must be able to name
        that person, though the entry is kept above it. Only the committee's own ancestors are
        read (never a sibling's subtree), only these columns, and the nearest registrar wins.
        The read crosses the tenant boundary upward on purpose, so it runs in the system scope.
        """
        paths = ancestor_paths(self.ctx.path, include_self=False, include_root=False)
        if not codes or not paths:
            return {}
        result: dict[str, CadreNameplate] = {}
        async with system_scope():
            for start in range(0, len(codes), 500):
                rows = await (
                    Cadre.select(
                        Cadre.id,
                        Cadre.code,
                        Cadre.full_name,
                        Cadre.position,
                        Cadre.tenant_path,
                        Cadre.committee.code,
                    )
                    .where(Cadre.tenant_path.is_in(paths))
                    .where(Cadre.code.is_in(codes[start : start + 500]))
                    .order_by(Cadre.id)
                )
                nearest_first = sorted(rows, key=lambda r: -len(r["tenant_path"]))
                for row in nearest_first:
                    result.setdefault(
                        row["code"],
                        CadreNameplate(
                            id=row["id"],
                            code=row["code"],
                            full_name=row["full_name"],
                            position=row["position"],
                            committee=row["committee.code"],
                        ),
                    )
        return result

    def conditions(self, query: str, managing_level: str = "") -> list[Combinable]:
        """The subtree, and entries whose name (diacritics ignored) contains ``query`` or whose
        code is it; of one managing level when given."""
        where: list[Combinable] = [self._visible()]
        folded = fold(query)
        if folded:
            where.append(contains(Cadre.search_name, folded) | (Cadre.code == query.strip()))
        if managing_level:
            where.append(Cadre.managing_level == managing_level)
        return where

    async def page(
        self,
        query: str,
        request: PageRequest,
        *,
        managing_level: str = "",
        sort: CadreSort = "name",
    ) -> Page[CadreView]:
        where = self.conditions(query, managing_level)
        return (await fetch_page(Cadre, _COLUMNS, where, _ORDERS[sort], request)).map(_view)

    async def everything(
        self, query: str, *, managing_level: str = "", sort: CadreSort = "name"
    ) -> list[CadreView]:
        """Every entry :meth:`page` pages through (an export of the list)."""
        where = self.conditions(query, managing_level)
        return [_view(r) for r in await fetch_all(Cadre, _COLUMNS, where, _ORDERS[sort])]

    async def search(self, query: str, *, limit: int = 50, offset: int = 0) -> list[CadreView]:
        """Entries whose name (diacritics ignored) contains ``query``, or whose code is it."""
        return (await self.page(query, PageRequest(limit=limit, offset=offset))).items

    async def insert(self, values: dict[str, Any]) -> int:
        row = Cadre(committee=self.ctx.committee_id, tenant_path=self.ctx.path, **values)
        await row.save()
        return int(row.id)

    async def update(self, cadre_id: int, values: dict[str, Any]) -> None:
        if values:
            # piccolo accepts column names as keys; its annotation is invariant
            changes = cast("dict[Column | str, Any]", values)
            await (
                Cadre.update(changes)
                .where(Cadre.id == cadre_id)
                .where(Cadre.committee == self.ctx.committee_id)
            )


async def committee_ids(codes: set[str]) -> dict[str, tuple[int, str]]:
    """Map committee codes to (id, level) of the committee each code means today (codes are
    reused over time: 00004 was Phường Trúc Bạch until 30 June 2025), or else of its latest
    holder; the tree is shared knowledge (no tenant filter)."""
    if not codes:
        return {}
    rows = await Committee.select(Committee.id, Committee.code, Committee.level).where(
        Committee.code.is_in(sorted(codes)) & in_force_on(today())
    )
    found = {row["code"]: (row["id"], row["level"]) for row in rows}
    ended = (
        await Committee.select(Committee.id, Committee.code, Committee.level)
        .where(Committee.code.is_in(sorted(codes - set(found))))
        .order_by(Committee.valid_to)
        if codes - set(found)
        else []
    )
    for row in ended:  # the latest holder last, so it wins
        found[row["code"]] = (row["id"], row["level"])
    return found


async def committee_codes(ids: list[int | None]) -> dict[int, str]:
    """Map committee ids to codes (None entries ignored)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await Committee.select(Committee.id, Committee.code).where(Committee.id.is_in(wanted))
    return {row["id"]: row["code"] for row in rows}
