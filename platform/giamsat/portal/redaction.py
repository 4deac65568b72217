"""A logging filter that masks e-mail addresses and phone numbers in every record.

Identity values are never passed to a logger on purpose (``Identity`` does not even print); this
filter is the second wall for what slips through (an exception message quoting user input). It
formats the record once, masks it, and replaces ``msg``/``args`` with the masked text.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
#: Vietnamese numbers: 0 or +84 then 9–10 digits, with optional spaces, dots or dashes.
_PHONE = re.compile(r"(?<!\d)(\+84|0)([\s.-]?\d){8,10}(?!\d)")
MASK = "[đã ẩn]"


def mask(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by a mask."""
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, text))


class RedactPersonalData(logging.Filter):
    """Mask personal contact data in records passing through a handler or logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


def install(logger: logging.Logger | None = None) -> RedactPersonalData:
    """Attach the filter to ``logger`` (default: the root) and each of its handlers, once."""
    target = logger or logging.getLogger()
    existing = next((f for f in target.filters if isinstance(f, RedactPersonalData)), None)
    the_filter = existing or RedactPersonalData()
    if existing is None:
        target.addFilter(the_filter)
    for handler in target.handlers:
        if the_filter not in handler.filters:
            handler.addFilter(the_filter)
    return the_filter
