"""Hand-written: ``signal (tenant_path, channel)``, a covering index for counts by channel.

A subtree's signals counted by channel (dashboards, reports, the national roll-up's
``GROUP BY tenant_path, channel``) read this index alone, and the row-level-security range on
``tenant_path`` becomes one index condition instead of a test on every row.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T22:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "signals: covering index (tenant_path, channel)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="giamsat", description=DESCRIPTION)

    async def create() -> None:
        from giamsat.db.engine import current_engine

        await current_engine().run_ddl(
            "CREATE INDEX IF NOT EXISTS signal_path_channel ON signal (tenant_path, channel)"
        )

    async def drop() -> None:
        from giamsat.db.engine import current_engine

        await current_engine().run_ddl("DROP INDEX IF EXISTS signal_path_channel")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
