"""PostgreSQL row-level security: the second wall behind the repositories' own tenant filter.

Policies keep each row whose ``tenant_path`` lies in the subtree of the transaction-local
``app.tenant_path``, written as a byte-wise range on the column's index;
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


#: The transaction's path, compared byte-wise. NULLIF: once any transaction has set the variable,
#: a connection reports '' (not NULL) outside transactions; NULL matches no row.
_SCOPE = "(NULLIF(current_setting('app.tenant_path', true), '') COLLATE \"C\")"
#: The first string after every path that starts with the scope: paths end in '/', and '0'
#: is the byte after '/', so ``[scope, upper)`` is exactly "starts with scope".
_UPPER = f"(left({_SCOPE}, -1) || '0')"


def subtree_condition(column: str) -> str:
    """``column`` lies in the transaction's subtree: a range the planner can use with the
    column's index and estimate from its statistics (a ``LIKE`` on a setting can do neither)."""
    column = _ident(column)
    return f"({column} >= {_SCOPE} AND {column} < {_UPPER})"


def path_collation_sql(table: str, column: str) -> str:
    """Give a path column the byte-wise ``C`` collation (once; idempotent), so the range above and
    ``LIKE 'prefix%'`` can use its index whatever the database's default collation is."""
    table, column = _ident(table), _ident(column)
    return f"""DO $$
DECLARE kind text;
BEGIN
    SELECT format_type(a.atttypid, a.atttypmod) INTO kind FROM pg_attribute a
     WHERE a.attrelid = '{table}'::regclass AND a.attname = '{column}'
       AND a.attcollation <> 'pg_catalog."C"'::regcollation;
    IF kind IS NOT NULL THEN
        EXECUTE format('ALTER TABLE {table} ALTER COLUMN {column} TYPE %s COLLATE "C"', kind);
    END IF;
END $$"""


def tenant_policy_sql(table: str, *, extra_path_columns: tuple[str, ...] = ()) -> list[str]:
    """Statements that put ``table`` behind the tenant-path policy (idempotent)."""
    table = _ident(table)
    columns = ("tenant_path", *extra_path_columns)
    condition = " OR ".join(subtree_condition(col) for col in columns)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        # a column a policy names cannot change type: drop the policy first
        f"DROP POLICY IF EXISTS tenant_subtree ON {table}",
        *(path_collation_sql(table, col) for col in columns),
        f"CREATE POLICY tenant_subtree ON {table} USING ({condition}) "
        f"WITH CHECK {subtree_condition('tenant_path')}",
    ]


def grant_sql(role: str) -> list[str]:
    """Privileges for the application's (non-owner) role on everything in the schema."""
    role = _ident(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
