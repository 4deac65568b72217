"""Committee codes are unique within a period, not forever (GSO codes are reused by later
registers: ``00004`` is Phường Trúc Bạch in 2023 and Phường Ba Đình from 1 July 2025).

PostgreSQL drops the unique constraint with piccolo's ALTER. SQLite cannot drop a column's
UNIQUE, so there the table is rebuilt the way SQLite documents (foreign keys off, copy, drop,
rename, indexes back, foreign-key check) on its own connection, outside piccolo's transaction.
"""

import sqlite3

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-01T21:32:53:687874"
VERSION = "1.38.0"
DESCRIPTION = "committee codes are unique within a period, not forever"


class _Manager(MigrationManager):
    async def _run_alter_columns(self, backwards: bool = False) -> None:
        from giamsat.db.engine import current_engine, is_postgres

        if is_postgres(current_engine()):
            await super()._run_alter_columns(backwards=backwards)


def _rebuild_sqlite(path: str, unique: bool) -> None:
    plain, constrained = '"code" VARCHAR(16) NOT NULL', '"code" VARCHAR(16) UNIQUE NOT NULL'
    before, after = (plain, constrained) if unique else (constrained, plain)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN")
        (create,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'committee'"
        ).fetchone()
        if before not in create:
            connection.execute("ROLLBACK")
            return
        indexes = [
            row[0]
            for row in connection.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'committee' "
                "AND sql IS NOT NULL"
            )
        ]
        rebuilt = create.replace(before, after).replace(
            'CREATE TABLE "committee"', 'CREATE TABLE "committee_rebuilt"', 1
        )
        connection.execute(rebuilt)
        connection.execute('INSERT INTO "committee_rebuilt" SELECT * FROM "committee"')
        connection.execute('DROP TABLE "committee"')
        connection.execute('ALTER TABLE "committee_rebuilt" RENAME TO "committee"')
        for statement in indexes:
            connection.execute(statement)
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            connection.execute("ROLLBACK")
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
        connection.execute("COMMIT")
    finally:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.close()


async def forwards() -> MigrationManager:
    manager = _Manager(
        migration_id=ID, app_name="giamsat", description=DESCRIPTION, wrap_in_transaction=False
    )
    manager.alter_column(
        table_class_name="Committee",
        tablename="committee",
        column_name="code",
        db_column_name="code",
        params={"unique": False},
        old_params={"unique": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    def on_sqlite(unique: bool):  # type: ignore[no-untyped-def]
        async def step() -> None:
            from giamsat.db.engine import current_engine, is_postgres

            engine = current_engine()
            if not is_postgres(engine):
                _rebuild_sqlite(engine.path, unique)  # type: ignore[attr-defined]

        return step

    manager.add_raw(on_sqlite(unique=False))
    manager.add_raw_backwards(on_sqlite(unique=True))
    return manager
