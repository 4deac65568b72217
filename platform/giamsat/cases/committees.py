"""Looking up committees as the case workflow needs them (the tree is shared, no RLS)."""

from __future__ import annotations

from datetime import date
from typing import Any

from giamsat.cases.policy import CommitteeNode
from giamsat.errors import InvalidInput, NotFound
from giamsat.tenancy.repository import code_on, in_force_on
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_

_COLUMNS = (
    Committee.id,
    Committee.code,
    Committee.name,
    Committee.level,
    Committee.path,
    Committee.parent,
)


def _node(row: dict[str, Any]) -> CommitteeNode:
    return CommitteeNode(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        level=row["level"],
        path=row["path"],
        parent_id=row["parent"],
    )


async def by_code(code: str, *, field: str = "committee") -> CommitteeNode:
    row = await Committee.select(*_COLUMNS).where(code_on(code)).first()
    if row is None:
        raise InvalidInput(
            N_("There is no committee with code %(code)s."), field=field, params={"code": code}
        )
    return _node(row)


async def by_id(committee_id: int) -> CommitteeNode:
    row = await Committee.select(*_COLUMNS).where(Committee.id == committee_id).first()
    if row is None:
        raise NotFound(N_("This committee does not exist."))
    return _node(row)


async def by_path(path: str) -> CommitteeNode:
    row = await Committee.select(*_COLUMNS).where(Committee.path == path).first()
    if row is None:
        raise NotFound(N_("This committee does not exist."))
    return _node(row)


async def neighbours(node: CommitteeNode, on: date) -> list[CommitteeNode]:
    """The parent and the children of ``node`` in force on ``on``: where a case may be handed."""
    near = (Committee.parent == node.id) | (Committee.id == (node.parent_id or 0))
    rows = await Committee.select(*_COLUMNS).where(near & in_force_on(on)).order_by(Committee.code)
    return [_node(r) for r in rows]


def common_scope(*paths: str) -> str:
    """The deepest path covering every one of ``paths`` (segment-wise common prefix)."""
    split = [[p for p in path.split("/") if p] for path in paths]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/" + "".join(f"{p}/" for p in common)
