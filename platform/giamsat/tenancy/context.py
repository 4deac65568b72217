"""Who is asking, for which committee: passed explicitly to every repository and service."""

from __future__ import annotations

from datetime import date, datetime

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
    #: A partner officer's organisation code; empty for the committee's own staff.
    organisation: str = ""
    language: str = "vi"
    csrf_token: str = ""
    #: When the session last passed the second factor (None: never).
    second_factor_at: datetime | None = None

    def covers(self, path: str) -> bool:
        """True when ``path`` is this committee or below it."""
        return path.startswith(self.path)


async def context_for_committee(
    code: str,
    *,
    username: str | None = None,
    role: str | None = None,
    active_only: bool = False,
    on: date | None = None,
) -> TenantContext:
    """The space of the committee ``code`` means on ``on`` (today by default), with no
    logged-in user behind it (operator commands, the demo, the public portal)."""
    from giamsat.db.scope import system_scope
    from giamsat.errors import NotFound
    from giamsat.tenancy.repository import code_on
    from giamsat.tenancy.tables import Committee
    from giamsat.web.i18n import N_

    async with system_scope():
        row = await Committee.select().where(code_on(code, on)).first()
    if row is None:
        raise NotFound(
            N_("There is no committee with code %(code)s."),
            field="committee",
            params={"code": code},
        )
    return TenantContext(
        committee_id=row["id"],
        committee_code=row["code"],
        committee_name=row["name"],
        committee_level=row["level"],
        path=row["path"],
        username=username,
        role=role,
    )
