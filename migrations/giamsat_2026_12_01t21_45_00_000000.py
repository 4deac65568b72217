"""Hand-written: composite indexes so that no hot query's cost grows with history.

Piccolo's columns declare single-column indexes only. Each index below serves one query that
otherwise scans a committee's or a client's whole history:

- ``audit_entry (committee, seq)``: the chain's tail, read under the chain's lock at each append;
- ``login_attempt (throttle_key, attempted_at)``: failed logins of one key inside the window;
- ``portal_attempt (client, action, at)``: a portal client's requests inside the window;
- ``job_run (job, slot_start)``: a job's latest slot on the operator's page;
- ``signal (cadre, received_on)``: the cadre's signals inside a rule's time window (facts).

The statements are the same on SQLite and PostgreSQL and can run again safely.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T21:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite indexes for the audit tail, throttling windows, job slots, signal windows"

INDEXES = {
    "audit_entry_committee_seq": 'audit_entry (committee, seq)',
    "login_attempt_key_at": 'login_attempt (throttle_key, attempted_at)',
    "portal_attempt_client_action_at": 'portal_attempt (client, action, "at")',
    "job_run_job_slot": 'job_run (job, slot_start)',
    "signal_cadre_received_on": 'signal (cadre, received_on)',
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
