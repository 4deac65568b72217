"""Hand-written: an index in the case list's default order.

The case list (page and API) shows open cases first, then by due date, those without one last
(``giamsat.cases.repository._ORDERS["due_on"]``). Without an index in that order a committee
that sees many cases (the city sees all of them) sorts every visible case for each page of 50:
a scan of the table and a top-N sort per request. With it, the planner reads the index in order
and stops after the page (row-level security's range a filter on the rows it reads); a commune
that sees few cases is still read through its path index and sorted, as before.

The expression is the list's ``ORDER BY`` as the repository writes it (the open statuses in
``giamsat.cases.statuses.OPEN_STATUSES``, sorted): if that set changes, this index no longer
matches and a new migration must replace it. The statement is the same on SQLite and PostgreSQL
and can run again safely.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T05:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index in the case list's default order (open first, by due date)"

_OPEN = "'awaiting_answer', 'follow_up', 'forwarded', 'received', 'reported', 'verifying'"
INDEXES = {
    "supervision_case_list_order": (
        "supervision_case ((CASE WHEN status IN (" + _OPEN + ") THEN 0 ELSE 1 END), "
        "(due_on IS NULL), due_on, id)"
    ),
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
