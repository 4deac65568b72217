"""piccolo's configuration module (``PICCOLO_CONF=giamsat.piccolo_conf``).

``DB`` starts empty and is set by :func:`giamsat.db.engine.use_database`; nothing connects at
import time.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None

APP_REGISTRY = AppRegistry(apps=["giamsat.piccolo_app"])
