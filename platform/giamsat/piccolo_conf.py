"""piccolo's configuration module (``PICCOLO_CONF=giamsat.piccolo_conf``).

``DB`` starts empty and is set by :func:`giamsat.db.engine.use_database`; nothing connects at
import time. ``APP_REGISTRY`` is built on first access: building it imports every table module,
and table modules may import the database helpers that import this module.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine

DB: Engine[Any] | None = None


def __getattr__(name: str) -> Any:
    if name == "APP_REGISTRY":
        from piccolo.conf.apps import AppRegistry

        registry = AppRegistry(apps=["giamsat.piccolo_app"])
        globals()["APP_REGISTRY"] = registry
        return registry
    raise AttributeError(name)
