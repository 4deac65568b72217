"""The piccolo app: every table of the platform and the migrations folder."""

from __future__ import annotations

import os
from pathlib import Path

from piccolo.conf.apps import AppConfig

from giamsat.db.registry import all_tables


def migrations_dir() -> Path:
    """``GIAMSAT_MIGRATIONS_DIR``, else the repository's top-level ``migrations/``."""
    configured = os.environ.get("GIAMSAT_MIGRATIONS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "migrations"


APP_CONFIG = AppConfig(
    app_name="giamsat",
    migrations_folder_path=str(migrations_dir()),
    table_classes=list(all_tables()),
    migration_dependencies=[],
    commands=[],
)
