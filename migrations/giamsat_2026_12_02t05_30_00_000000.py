"""Hand-written: covering indexes for the roll-up's signal figures.

- ``signal (tenant_path, channel, received_on)`` replaces ``signal (tenant_path, channel)``: a
  subtree's signals of a period counted by channel (the national roll-up, dashboards) are an
  index-only scan grouped in index order, with the row-level-security range as its index
  condition, instead of a heap scan testing the policy on every row;
- the residence assessments alone, ``(tenant_path, received_on)`` with their ``facts``: the
  residence comment figures read only those rows (PostgreSQL keeps ``facts`` in the index, so
  the scan never visits the table; SQLite has no ``INCLUDE``).

The statements can run again safely.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T05:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "signals: covering indexes for channel counts and residence comments by period"

_ASSESSMENTS = "WHERE channel = 'residence' AND kind = 'assessment'"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="giamsat", description=DESCRIPTION)

    async def create() -> None:
        from giamsat.db.engine import current_engine, is_postgres

        engine = current_engine()
        include = " INCLUDE (facts)" if is_postgres(engine) else ""
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS signal_path_channel_day "
            "ON signal (tenant_path, channel, received_on)"
        )
        await engine.run_ddl("DROP INDEX IF EXISTS signal_path_channel")
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS signal_assessment_path_day "
            f"ON signal (tenant_path, received_on){include} {_ASSESSMENTS}"
        )

    async def drop() -> None:
        from giamsat.db.engine import current_engine

        engine = current_engine()
        await engine.run_ddl("DROP INDEX IF EXISTS signal_assessment_path_day")
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS signal_path_channel ON signal (tenant_path, channel)"
        )
        await engine.run_ddl("DROP INDEX IF EXISTS signal_path_channel_day")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
