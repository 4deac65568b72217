"""Reading and writing the committee tree. The tree itself is shared knowledge (no RLS)."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.columns.combination import Where, WhereRaw

from giamsat.clock import today
from giamsat.db.like import contains
from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.tenancy.levels import committee_title
from giamsat.tenancy.paths import ancestor_paths
from giamsat.tenancy.schemas import CommitteeView
from giamsat.tenancy.tables import Committee
from giamsat.text import fold

_COLUMNS = (
    Committee.id,
    Committee.code,
    Committee.name,
    Committee.level,
    Committee.unit_type,
    Committee.path,
    Committee.depth,
    Committee.valid_from,
    Committee.valid_to,
    Committee.parent.code,
    Committee.parent.name,
    Committee.successor,
    Committee.successor.code,
)


def _view(row: dict[str, Any], children: int = 0) -> CommitteeView:
    return CommitteeView(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        title=committee_title(row["name"], row["level"]),
        level=row["level"],
        unit_type=row["unit_type"],
        path=row["path"],
        parent_code=row["parent.code"],
        parent_name=row["parent.name"],
        depth=row["depth"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        successor_code=row["successor.code"],
        children=children,
    )


def in_force_on(day: date) -> Where | WhereRaw:
    """Committees that exist on ``day`` (``valid_from``/``valid_to`` are both inclusive)."""
    started = Committee.valid_from.is_null() | (Committee.valid_from <= day)
    return started & (Committee.valid_to.is_null() | (Committee.valid_to >= day))  # type: ignore[return-value]


def code_on(code: str, day: date | None = None) -> Where | WhereRaw:
    """The committee a code means on ``day`` (today by default): codes are reused over time."""
    return (Committee.code == code.strip()) & in_force_on(day or today())  # type: ignore[return-value]


async def last_holder(code: str, before: date | None = None) -> dict[str, Any] | None:
    """The committee that held ``code`` most recently and has ended (for "moved to …")."""
    row: dict[str, Any] | None = await (
        Committee.select(*_COLUMNS)
        .where(
            (Committee.code == code.strip())
            & Committee.valid_to.is_not_null()
            & (Committee.valid_to < (before or today()))
        )
        .order_by(Committee.valid_to, ascending=False)
        .first()
    )
    return row


class CommitteeRepository:
    async def by_code(self, code: str, on: date | None = None) -> CommitteeView | None:
        """The committee ``code`` means on ``on`` (today by default)."""
        row = await Committee.select(*_COLUMNS).where(code_on(code, on)).first()
        if row is None:
            return None
        return _view(row, await self.count_children(row["id"]))

    async def by_id(self, committee_id: int) -> CommitteeView | None:
        row = await Committee.select(*_COLUMNS).where(Committee.id == committee_id).first()
        return None if row is None else _view(row, await self.count_children(committee_id))

    async def in_force_below(self, path: str, on: date | None = None) -> int:
        """How many committees of the subtree ``path`` exist on ``on`` (today by default)."""
        return int(
            await Committee.count().where(
                Committee.path.like(path + "%") & in_force_on(on or today())
            )
        )

    async def count_children(self, committee_id: int, on: date | None = None) -> int:
        return int(
            await Committee.count().where(
                (Committee.parent == committee_id) & in_force_on(on or today())
            )
        )

    async def children(self, committee_id: int, on: date | None = None) -> list[CommitteeView]:
        rows = await (
            Committee.select(*_COLUMNS)
            .where((Committee.parent == committee_id) & in_force_on(on or today()))
            .order_by(Committee.code)
        )
        counts = await self._child_counts([r["id"] for r in rows], on or today())
        return [_view(r, counts.get(r["id"], 0)) for r in rows]

    async def children_page(
        self, committee_id: int, request: PageRequest, on: date | None = None
    ) -> Page[CommitteeView]:
        """One page of the committees directly below, by code, with their total."""
        day = on or today()
        where = [(Committee.parent == committee_id) & in_force_on(day)]
        rows = await fetch_page(Committee, _COLUMNS, where, [(Committee.code, True)], request)
        counts = await self._child_counts([r["id"] for r in rows.items], day)
        return rows.map(lambda r: _view(r, counts.get(r["id"], 0)))

    async def _child_counts(self, ids: list[int], on: date) -> dict[int, int]:
        if not ids:
            return {}
        rows = await Committee.select(Committee.parent).where(
            Committee.parent.is_in(ids) & in_force_on(on)
        )
        counts: dict[int, int] = {}
        for r in rows:
            counts[r["parent"]] = counts.get(r["parent"], 0) + 1
        return counts

    async def ancestors(self, view: CommitteeView) -> list[CommitteeView]:
        """Root first, excluding ``view`` itself (read from the materialised path)."""
        prefixes = ancestor_paths(view.path, include_self=False)
        if not prefixes:
            return []
        rows = await Committee.select(*_COLUMNS).where(Committee.path.is_in(prefixes))
        return sorted((_view(r) for r in rows), key=lambda v: v.depth)

    async def search(
        self, query: str, *, within: str = "/", limit: int = 50, on: date | None = None
    ) -> list[CommitteeView]:
        """Diacritic-insensitive search by name or code inside the subtree ``within``, among the
        committees that exist on ``on`` (today by default)."""
        folded = fold(query)
        if not folded:
            return []
        rows = await (
            Committee.select(*_COLUMNS)
            .where(Committee.path.like(within + "%") & in_force_on(on or today()))
            .where(contains(Committee.search_name, folded) | (Committee.code == query.strip()))
            .order_by(Committee.depth)
            .order_by(Committee.code)
            .limit(limit)
        )
        return [_view(r) for r in rows]

    async def search_page(
        self, query: str, request: PageRequest, *, within: str = "/", on: date | None = None
    ) -> Page[CommitteeView]:
        """One page of :meth:`search`'s answer, with its total (none for an empty query)."""
        folded = fold(query)
        if not folded:
            return Page(items=[], limit=request.limit, offset=request.offset, total=0)
        where: list[Any] = [
            Committee.path.like(within + "%") & in_force_on(on or today()),
            contains(Committee.search_name, folded) | (Committee.code == query.strip()),
        ]
        order: list[Order] = [(Committee.depth, True), (Committee.code, True)]
        return (await fetch_page(Committee, _COLUMNS, where, order, request)).map(_view)

    async def count(self) -> int:
        return int(await Committee.count())
