"""Apply and create migrations (piccolo's migration manager, driven from our CLI)."""

from __future__ import annotations

from urllib.parse import urlsplit

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.commands.new import new as new_migration

from giamsat.db.engine import close_pool, current_engine, is_postgres, start_pool, use_database
from giamsat.db.registry import tenant_owned_tables
from giamsat.db.rls import grant_sql, tenant_policy_sql
from giamsat.errors import ConfigurationError


def app_role_of(database_url: str, migration_url: str) -> str | None:
    """The role the application connects as, when it differs from the migrating owner."""
    app_user = urlsplit(database_url).username
    owner = urlsplit(migration_url).username
    return app_user if app_user and app_user != owner else None


async def migrate(migration_url: str, app_role: str | None = None) -> list[str]:
    """Bring the schema up to date; on PostgreSQL (re)apply RLS policies and grants."""
    engine = use_database(migration_url)
    await start_pool(engine)
    try:
        result = await run_forwards(app_name="giamsat")
        if not result.success:
            raise ConfigurationError(f"migration failed: {result.message}")
        applied = [result.message or "ok"]
        if is_postgres(engine):
            statements = [
                stmt
                for table in tenant_owned_tables()
                for stmt in tenant_policy_sql(
                    table._meta.tablename, extra_path_columns=_extra_paths(table._meta.tablename)
                )
            ]
            statements += _area_statements()
            if app_role:
                statements += grant_sql(app_role)
            for stmt in statements:
                await current_engine().run_ddl(stmt)
            applied.append(f"row-level security on {len(tenant_owned_tables())} tables")
        return applied
    finally:
        await close_pool(engine)


def _area_statements() -> list[str]:
    """PostgreSQL-only statements the areas need after their tables exist (triggers…)."""
    from giamsat.accounts import postgres as accounts
    from giamsat.audit import postgres as audit

    return audit.postgres_statements() + accounts.postgres_statements()


def _extra_paths(tablename: str) -> tuple[str, ...]:
    """Tables whose rows are also visible to the committee they came from."""
    from giamsat.db.registry import EXTRA_VISIBILITY_PATHS

    return EXTRA_VISIBILITY_PATHS.get(tablename, ())


async def make_migration(database_url: str, description: str) -> None:
    engine = use_database(database_url)
    await start_pool(engine)
    try:
        await new_migration(app_name="giamsat", auto=True, desc=description, auto_input="y")
    finally:
        await close_pool(engine)
