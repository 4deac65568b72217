"""Hand-written: fill ``signal_indicator`` from the signals stored before it existed.

One row per distinct indicator code of each signal's JSON list; signals that already have rows
are skipped, so the step can run again safely. On PostgreSQL the transaction first sets the
tenant path to the root so row-level security (forced even on the owner) lets it see every signal.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T19:39:21:000000"
VERSION = "1.38.0"
DESCRIPTION = "signals: backfill signal_indicator from signal.indicator_codes"

_COLUMNS = 'INSERT INTO signal_indicator ("signal", tenant_path, code, channel, received_on) '
_NOT_YET = 'NOT EXISTS (SELECT 1 FROM signal_indicator i WHERE i."signal" = s.id)'

BACKFILL_SQLITE = (
    _COLUMNS + "SELECT DISTINCT s.id, s.tenant_path, TRIM(j.value), s.channel, s.received_on "
    "FROM signal s, json_each(CASE WHEN json_valid(s.indicator_codes) "
    "AND json_type(s.indicator_codes) = 'array' THEN s.indicator_codes ELSE '[]' END) AS j "
    f"WHERE j.type = 'text' AND TRIM(j.value) <> '' AND {_NOT_YET}"
)
BACKFILL_POSTGRES = (
    _COLUMNS + "SELECT DISTINCT s.id, s.tenant_path, TRIM(j.value #>> '{}'), s.channel, "
    "s.received_on FROM signal s CROSS JOIN LATERAL json_array_elements("
    "CASE WHEN json_typeof(s.indicator_codes::json) = 'array' "
    "THEN s.indicator_codes::json ELSE '[]'::json END) AS j(value) "
    "WHERE json_typeof(j.value) = 'string' AND TRIM(j.value #>> '{}') <> '' "
    f"AND {_NOT_YET}"
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="giamsat", description=DESCRIPTION)

    async def backfill() -> None:
        from giamsat.db.engine import current_engine, is_postgres

        engine = current_engine()
        if is_postgres(engine):
            await engine.run_ddl("SELECT set_config('app.tenant_path', '/', true)")
            await engine.run_ddl(BACKFILL_POSTGRES)
        else:
            await engine.run_ddl(BACKFILL_SQLITE)

    async def forget() -> None:
        from giamsat.db.engine import current_engine, is_postgres

        engine = current_engine()
        if is_postgres(engine):
            await engine.run_ddl("SELECT set_config('app.tenant_path', '/', true)")
        await engine.run_ddl("DELETE FROM signal_indicator")

    manager.add_raw(backfill)
    manager.add_raw_backwards(forget)
    return manager
