"""Per-request observation: request id, one structured log line, HTTP metrics.

It is app-level litestar middleware, so it runs after routing and knows the route template
(``/c/{code:str}/cases/{case_id:int}``), which keeps metric labels bounded whatever the paths.
It should be the first middleware, so that log lines written while resolving the session
already carry the request id.
"""

from __future__ import annotations

import logging
import time

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from giamsat.observability.context import (
    REQUEST_ID_HEADER,
    accept_request_id,
    committee_var,
    request_id_var,
    route_var,
)
from giamsat.observability.metrics import HTTP_IN_PROGRESS, HTTP_LATENCY, HTTP_REQUESTS

log = logging.getLogger("giamsat.http")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _committee(scope: Scope) -> str:
    tenant = scope.get("state", {}).get("tenant")
    return str(getattr(tenant, "committee_code", "") or "")


def observe_requests(app: ASGIApp) -> ASGIApp:
    """Wrap ``app``: tag the request with an id, time it, count it and log it once."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = accept_request_id(_header(scope, REQUEST_ID_HEADER.lower().encode()))
        route = str(scope.get("path_template") or "<unmatched>")
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
        finally:
            elapsed = time.perf_counter() - started
            HTTP_IN_PROGRESS.dec()
            HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            HTTP_LATENCY.labels(method=method, route=route).observe(elapsed)
            committee_token = committee_var.set(_committee(scope))
            duration_ms = round(elapsed * 1000, 2)
            extra = {"method": method, "status": status, "duration_ms": duration_ms}
            log.info("%s %s %s", method, route, status, extra=extra)
            committee_var.reset(committee_token)
            request_id_var.reset(tokens[0])
            route_var.reset(tokens[1])

    return middleware
