"""PostgreSQL row-level security: the second wall behind the repositories' own tenant filter.

Policies compare each row's ``tenant_path`` with the transaction-local ``app.tenant_path``;
``FORCE`` makes them bind the table owner too, so only a superuser could bypass them, and the
application never connects as one.
"""

from __future__ import annotations

import re

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def tenant_policy_sql(table: str, *, extra_path_columns: tuple[str, ...] = ()) -> list[str]:
    """Statements that put ``table`` behind the tenant-path policy (idempotent)."""
    table = _ident(table)
    # NULLIF: once any transaction has set the variable, a connection reports '' (not NULL)
    # outside transactions, and '' || '%' would match every row.
    scope = "NULLIF(current_setting('app.tenant_path', true), '') || '%'"
    condition = " OR ".join(
        f"({_ident(col)} LIKE {scope})" for col in ("tenant_path", *extra_path_columns)
    )
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_subtree ON {table}",
        f"CREATE POLICY tenant_subtree ON {table} USING ({condition}) "
        f"WITH CHECK (tenant_path LIKE {scope})",
    ]


def grant_sql(role: str) -> list[str]:
    """Privileges for the application's (non-owner) role on everything in the schema."""
    role = _ident(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
