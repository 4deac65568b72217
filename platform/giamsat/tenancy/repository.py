"""Reading and writing the committee tree. The tree itself is shared knowledge (no RLS)."""

from __future__ import annotations

from typing import Any

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
        depth=row["depth"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        successor_code=row["successor.code"],
        children=children,
    )


class CommitteeRepository:
    async def by_code(self, code: str) -> CommitteeView | None:
        row = await Committee.select(*_COLUMNS).where(Committee.code == code).first()
        if row is None:
            return None
        return _view(row, await self.count_children(row["id"]))

    async def by_id(self, committee_id: int) -> CommitteeView | None:
        row = await Committee.select(*_COLUMNS).where(Committee.id == committee_id).first()
        return None if row is None else _view(row, await self.count_children(committee_id))

    async def count_children(self, committee_id: int) -> int:
        return int(await Committee.count().where(Committee.parent == committee_id))

    async def children(self, committee_id: int) -> list[CommitteeView]:
        rows = await (
            Committee.select(*_COLUMNS)
            .where(Committee.parent == committee_id)
            .order_by(Committee.code)
        )
        counts = await self._child_counts([r["id"] for r in rows])
        return [_view(r, counts.get(r["id"], 0)) for r in rows]

    async def _child_counts(self, ids: list[int]) -> dict[int, int]:
        if not ids:
            return {}
        rows = await Committee.select(Committee.parent).where(Committee.parent.is_in(ids))
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
        self, query: str, *, within: str = "/", limit: int = 50
    ) -> list[CommitteeView]:
        """Diacritic-insensitive search by name or code inside the subtree ``within``."""
        folded = fold(query)
        if not folded:
            return []
        pattern = "%" + folded.replace("%", "").replace("_", "") + "%"
        rows = await (
            Committee.select(*_COLUMNS)
            .where(Committee.path.like(within + "%"))
            .where((Committee.search_name.like(pattern)) | (Committee.code == query.strip()))
            .order_by(Committee.depth)
            .order_by(Committee.code)
            .limit(limit)
        )
        return [_view(r) for r in rows]

    async def count(self) -> int:
        return int(await Committee.count())
