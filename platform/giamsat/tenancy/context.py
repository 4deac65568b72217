"""Who is asking, for which committee: passed explicitly to every repository and service."""

from __future__ import annotations

import msgspec


class TenantContext(msgspec.Struct, frozen=True, kw_only=True):
    """The committee whose space a request runs in, and the user (if any) behind it."""

    committee_id: int
    committee_code: str
    committee_name: str
    committee_level: str
    path: str
    user_id: int | None = None
    username: str | None = None
    full_name: str = ""
    role: str | None = None
    language: str = "vi"
    csrf_token: str = ""

    def covers(self, path: str) -> bool:
        """True when ``path`` is this committee or below it."""
        return path.startswith(self.path)
