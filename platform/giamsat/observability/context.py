"""What the current request is, for log lines written anywhere beneath it.

Context variables follow the request's task (and tasks it starts), so a service deep down logs
with the request id without being handed it.
"""

from __future__ import annotations

import contextvars
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "giamsat_request_id", default=""
)
committee_var: contextvars.ContextVar[str] = contextvars.ContextVar("giamsat_committee", default="")
route_var: contextvars.ContextVar[str] = contextvars.ContextVar("giamsat_route", default="")

REQUEST_ID_HEADER = "X-Request-ID"
#: A caller's id is kept only when it is short and plain, so it cannot smuggle text into logs.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(offered: str | None) -> str:
    """The caller's ``X-Request-ID`` when acceptable (a proxy's, to correlate), else a new one."""
    if offered and _ACCEPTABLE_ID.match(offered):
        return offered
    return new_request_id()
