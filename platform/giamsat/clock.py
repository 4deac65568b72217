"""Today's date in Việt Nam: the one clock lookups by date read (tests freeze it with
time-machine, which moves ``datetime.now`` for every thread)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> dt.date:
    """The calendar day in Hà Nội now."""
    return dt.datetime.now(dt.UTC).astimezone(VIETNAM).date()
