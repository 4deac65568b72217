"""Per-request observation: request id, one structured log line, HTTP metrics.

It is app-level litestar middleware, so it runs after routing and knows the route template
(``/c/{code:str}/cases/{case_id:int}``), which keeps metric labels bounded whatever the paths.
It should be the first middleware, so that log lines written while resolving the session
already carry the request id.

A request that fails with an exception is counted under the status its error maps to (a CSRF
refusal is a 403, not a 500); client errors are logged at INFO without a traceback, server errors
at ERROR (their traceback is written once, by the app's unhandled-error handler). Requests no
route matched never reach route middleware: :func:`count_unmatched`, a ``before_send`` hook of
the app, logs and counts them under the one label ``<unmatched>``.
"""

from __future__ import annotations

import logging
import time

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from giamsat.errors import GiamsatError
from giamsat.observability.context import (
    REQUEST_ID_HEADER,
    accept_request_id,
    committee_var,
    request_id_var,
    route_var,
)
from giamsat.observability.metrics import HTTP_IN_PROGRESS, HTTP_LATENCY, HTTP_REQUESTS

log = logging.getLogger("giamsat.http")
UNMATCHED = "<unmatched>"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _committee(scope: Scope) -> str:
    tenant = scope.get("state", {}).get("tenant")
    return str(getattr(tenant, "committee_code", "") or "")


def status_of(exc: BaseException) -> int:
    """The status the app's exception handlers answer ``exc`` with."""
    if isinstance(exc, HTTPException | GiamsatError):
        return int(exc.status_code)
    return 500


def _log_request(method: str, route: str, status: int, duration_ms: float | None) -> None:
    extra: dict[str, object] = {"method": method, "status": status}
    if duration_ms is not None:
        extra["duration_ms"] = duration_ms
    level = logging.ERROR if status >= 500 else logging.INFO
    log.log(level, "%s %s %s", method, route, status, extra=extra)


async def count_unmatched(message: Message, scope: Scope) -> None:
    """``before_send`` hook: a response to a request that no route matched is logged and
    counted once, under ``<unmatched>`` (never the raw path, which would be unbounded)."""
    if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
        return
    if scope.get("path_template"):
        return
    method, status = str(scope.get("method", "GET")), int(message["status"])
    HTTP_REQUESTS.labels(method=method, route=UNMATCHED, status=str(status)).inc()
    _log_request(method, UNMATCHED, status, None)


def observe_requests(app: ASGIApp) -> ASGIApp:
    """Wrap ``app``: tag the request with an id, time it, count it and log it once."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = accept_request_id(_header(scope, REQUEST_ID_HEADER.lower().encode()))
        route = str(scope.get("path_template") or UNMATCHED)
        method = str(scope.get("method", "GET"))
        scope.setdefault("state", {})["request_id"] = request_id  # type: ignore[typeddict-item]
        tokens = (request_id_var.set(request_id), route_var.set(route))
        status = 500  # what the client gets if the app fails before starting a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        started = time.perf_counter()
        HTTP_IN_PROGRESS.inc()
        try:
            await app(scope, receive, send_with_id)
        except BaseException as exc:
            status = status_of(exc)  # the app's exception handlers answer it outside this one
            raise
        finally:
            elapsed = time.perf_counter() - started
            HTTP_IN_PROGRESS.dec()
            HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            HTTP_LATENCY.labels(method=method, route=route).observe(elapsed)
            committee_token = committee_var.set(_committee(scope))
            _log_request(method, route, status, round(elapsed * 1000, 2))
            committee_var.reset(committee_token)
            request_id_var.reset(tokens[0])
            route_var.reset(tokens[1])

    return middleware
