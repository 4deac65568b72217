"""Structured logs: one JSON object per line, personal data removed, request id attached.

:func:`configure_logging` is called once by the app factory (and by ``giamsat serve`` through
it); calling it again only changes the level. It installs a log-record factory that redacts the
message of every record (so nothing unredacted reaches any handler, including test capture) and
a JSON handler on the root logger. uvicorn's own loggers are routed through the same handler;
its access log is silenced because :mod:`.middleware` writes one richer line per request and
uvicorn's would carry client addresses.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from litestar.logging.config import LoggingConfig

from giamsat.observability.context import committee_var, request_id_var, route_var
from giamsat.observability.redaction import redact_text, redact_value

#: Attributes every LogRecord has; anything else came in through ``extra=`` and is logged.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "giamsat-json"
_original_factory = logging.getLogRecordFactory()


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _original_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not lose the record
        message = f"{record.msg!r} {record.args!r}"
    record.msg, record.args = redact_text(message), None
    return record


class RedactingFilter(logging.Filter):
    """For handlers outside our configuration (e.g. a test's): scrubs message and extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact_text(record.getMessage()), None
        for key in set(vars(record)) - _STANDARD_ATTRS:
            setattr(record, key, redact_value(key, getattr(record, key)))
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, committee, route, then any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_text(record.getMessage()),
        }
        context = {"request_id": request_id_var.get(), "committee": committee_var.get(),
                   "route": route_var.get()}  # fmt: skip
        entry.update({k: v for k, v in context.items() if v})
        for key in sorted(set(vars(record)) - _STANDARD_ATTRS):
            entry[key] = redact_value(key, getattr(record, key))
        if record.exc_info:
            entry["exception"] = redact_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send every log record through one redacting JSON handler at ``level``."""
    if logging.getLogRecordFactory() is not _redacting_factory:
        logging.setLogRecordFactory(_redacting_factory)
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.setLevel(logging.WARNING)


def litestar_logging() -> LoggingConfig:
    """litestar's logging settings that leave the root logger (our JSON handler) alone.

    By default litestar replaces the root logger's handlers with its own queue handler; here its
    ``litestar`` logger only propagates to ours. litestar's own exception logging is off: it
    would write every 403/404/422 at ERROR with a traceback. Client errors are logged by the
    request line (INFO); unhandled errors by the app's 500 handler, with their traceback.
    """
    return LoggingConfig(
        configure_root_logger=False,
        loggers={"litestar": {"level": "INFO", "handlers": [], "propagate": True}},
        log_exceptions="never",
    )
