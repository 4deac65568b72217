"""Which committee handles a case the pack routes to a level."""

from __future__ import annotations

from typing import Any

from giamsat.cases.committees import by_id
from giamsat.cases.policy import CommitteeNode
from giamsat.db.scope import system_scope
from giamsat.tenancy.paths import ancestor_paths
from giamsat.tenancy.tables import Committee


async def handling_committee(
    receiver: CommitteeNode, level: str | None, cadre: dict[str, Any]
) -> CommitteeNode:
    """The ancestor-or-self of the receiver at the routed level; the cadre's managing committee
    when it sits at that level; otherwise the receiver keeps the case."""
    if level is None or level == receiver.level:
        return receiver
    managing = cadre.get("managing_committee")
    if managing is not None:
        node = await by_id(managing)
        if node.level == level and (receiver.path.startswith(node.path)
                                    or node.path.startswith(receiver.path)):  # fmt: skip
            return node
    async with system_scope():
        found = (
            await Committee.select(Committee.id)
            .where(
                Committee.path.is_in(ancestor_paths(receiver.path, include_root=False))
                & (Committee.level == level)
            )
            .first()
        )
    return await by_id(found["id"]) if found is not None else receiver
