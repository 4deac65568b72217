"""A mail is written in its recipient's language: the account remembers the language its user
last chose (``app_user.language``), and ``mail_outbox.language`` replaces the English title that
used to follow the Vietnamese one in every mail (``title_en``).

Mails still waiting when this runs are sent in Vietnamese, the title they already carry in
``subject``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "mail in the recipient's language (app_user.language, mail_outbox.language)"

_PARAMS = {
    "length": 2,
    "default": "vi",
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="giamsat", description=DESCRIPTION)
    for class_name, tablename in (("User", "app_user"), ("MailOutbox", "mail_outbox")):
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name="language",
            db_column_name="language",
            column_class_name="Varchar",
            column_class=Varchar,
            params=dict(_PARAMS),
            schema=None,
        )
    manager.drop_column(
        table_class_name="MailOutbox",
        tablename="mail_outbox",
        column_name="title_en",
        db_column_name="title_en",
        schema=None,
    )
    return manager
