from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T01:16:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "signer and recipients (closing block) of periodic report drafts and submissions"

_PARAMS = {
    "default": "{}",
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="giamsat", description=DESCRIPTION
    )
    for class_name, tablename in (
        ("ReportDraft", "report_draft"),
        ("ReportSubmission", "report_submission"),
    ):
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name="closing",
            db_column_name="closing",
            column_class_name="JSON",
            column_class=JSON,
            params=dict(_PARAMS),
            schema=None,
        )
    return manager
