"""Hand-written: make ``report_submission.submission_key`` unique (backfilling older rows).

SQLite cannot ``ALTER TABLE … ADD COLUMN … UNIQUE``, so the column is added plain by the previous
migration and the uniqueness comes from this index, on both backends.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T19:01:50:000000"
VERSION = "1.38.0"
DESCRIPTION = "reports: unique submission key (committee:period:kind:version)"

BACKFILL = (
    "UPDATE report_submission SET submission_key = CAST(committee AS TEXT) || ':' || period_id "
    "|| ':' || kind || ':' || CAST(version AS TEXT) WHERE submission_key IS NULL"
)
UNIQUE_INDEX = (
    "CREATE UNIQUE INDEX IF NOT EXISTS report_submission_key_unique "
    "ON report_submission (submission_key)"
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="giamsat", description=DESCRIPTION)

    async def unique_key() -> None:
        from giamsat.db.engine import current_engine

        engine = current_engine()
        await engine.run_ddl(BACKFILL)
        await engine.run_ddl(UNIQUE_INDEX)

    async def drop_unique_key() -> None:
        from giamsat.db.engine import current_engine

        await current_engine().run_ddl("DROP INDEX IF EXISTS report_submission_key_unique")

    manager.add_raw(unique_key)
    manager.add_raw_backwards(drop_unique_key)
    return manager
