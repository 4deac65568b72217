"""Boundary structs of the committee tree."""

from __future__ import annotations

from datetime import date

import msgspec


class CommitteeRef(msgspec.Struct, frozen=True):
    code: str
    name: str
    level: str


class CommitteeView(msgspec.Struct, frozen=True, kw_only=True):
    """A committee as staff, the API and the CLI see it."""

    id: int
    code: str
    name: str
    title: str
    level: str
    unit_type: str
    path: str
    parent_code: str | None
    parent_name: str | None = None
    depth: int
    valid_from: date | None = None
    valid_to: date | None = None
    successor_code: str | None = None
    children: int = 0

    def in_force_on(self, day: date) -> bool:
        """``valid_from`` and ``valid_to`` are the first and last day, both inclusive."""
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_to is None or self.valid_to >= day)

    def ref(self) -> CommitteeRef:
        return CommitteeRef(code=self.code, name=self.name, level=self.level)


class SuccessionRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Merge (several → one) or split (one → several) with an effective date."""

    kind: str
    predecessors: list[str]
    successors: list[str]
    effective_on: date
    note: str = ""
