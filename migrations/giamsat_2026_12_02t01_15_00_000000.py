"""Hand-written: a covering index for the roll-up's indicator figures.

``signal_indicator (tenant_path, code, received_on)`` holds everything the per-indicator figure
reads (path, code, date), in the order it groups by: the national roll-up counts a million
indicator rows with an index-only scan and a streaming group per (committee, code), instead of
hashing them into ~200,000 groups (which spilled to disk). Row-level security's path range is
its index condition.

The statement is the same on SQLite and PostgreSQL and can run again safely.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T01:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "covering index for the roll-up's per-indicator figures"

INDEXES = {
    "signal_indicator_path_code_day": "signal_indicator (tenant_path, code, received_on)",
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="giamsat", description=DESCRIPTION)

    async def create() -> None:
        from giamsat.db.engine import current_engine

        for name, target in INDEXES.items():
            await current_engine().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop() -> None:
        from giamsat.db.engine import current_engine

        for name in INDEXES:
            await current_engine().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
