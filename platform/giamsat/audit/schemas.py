"""Boundary structs of the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """Who did it; ``user_id`` is None for system work (jobs, imports)."""

    user_id: int | None = None
    username: str = "system"


class AuditEntryView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    seq: int
    at: datetime
    actor_id: int | None
    actor_username: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


class ChainBreak(msgspec.Struct, frozen=True, kw_only=True):
    """The first entry of a committee's chain that does not verify, and why."""

    committee_code: str
    seq: int
    entry_id: int
    problem: str

    def describe(self) -> str:
        where = f"committee {self.committee_code} seq {self.seq} (entry {self.entry_id})"
        return f"{where}: {self.problem}"


class ChainReport(msgspec.Struct, frozen=True, kw_only=True):
    entries: int
    chains: int
    breaks: list[ChainBreak]

    @property
    def ok(self) -> bool:
        return not self.breaks
