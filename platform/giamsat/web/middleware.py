"""Tenant resolution: every request learns which committee and user it acts for, here.

It runs before routing's guards (litestar guards cannot use dependency injection), reading the
session cookie (pages) or a bearer token (API), and leaves a :class:`TenantContext` (or None) in
``scope["state"]["tenant"]``.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from giamsat.accounts.service import resolve_session

SESSION_COOKIE = "giamsat_session"


def _token(scope: Scope) -> str:
    headers = dict(scope.get("headers", []))
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if str(scope.get("path", "")).startswith("/api/"):
        return ""  # the API takes bearer tokens only, so a cookie can never be ridden (CSRF)
    raw = headers.get(b"cookie", b"").decode("latin-1")
    cookie = SimpleCookie()
    try:
        cookie.load(raw)
    except Exception:
        return ""
    morsel = cookie.get(SESSION_COOKIE)
    return morsel.value if morsel else ""


def tenant_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            token = _token(scope)
            state = scope.setdefault("state", {})  # type: ignore[typeddict-item]
            state["session_token"] = token
            state["tenant"] = await resolve_session(token) if token else None
        await app(scope, receive, send)

    return middleware
