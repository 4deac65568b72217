"""Browser-facing protections: security headers, cookie flags and a session-bound CSRF token.

- Every response carries a strict Content-Security-Policy (no inline script or style, no
  framing), ``nosniff``, a Referrer-Policy and a Permissions-Policy; HSTS when the request came
  over TLS (the scheme is the proxy's ``X-Forwarded-Proto`` only from a trusted proxy).
- Cookies are ``Secure`` unless the operator turns it off, or the request is plain http to a
  loopback host (the demo on 127.0.0.1), where a browser would refuse them.
- The CSRF token of a logged-in person is derived from their session (an HMAC of the session
  token): a token planted in the browser by someone else, or taken from another session, is
  refused. Anonymous forms (login, portal) keep litestar's signed double-submit token.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import lru_cache
from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.datastructures.cookie import Cookie
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware, generate_csrf_hash, generate_csrf_token
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

CSRF_COOKIE = "giamsat_csrf"
CSRF_EXCLUDE = ["/api/", "/health/", "/metrics"]

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))  # fmt: skip
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
HSTS = "max-age=31536000; includeSubDomains"
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
}


def _host(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"host":
            raw = bytes(value).decode("latin-1")
            if raw.startswith("["):
                return raw[1 : raw.find("]")]
            return raw.rsplit(":", 1)[0] if raw.count(":") == 1 else raw
    server = scope.get("server")
    return str(server[0]) if server else ""


def is_loopback_http(scope: Scope) -> bool:
    """Plain http to localhost or a loopback address: the demo on this machine."""
    if scope.get("scheme", "http") != "http":
        return False
    host = _host(scope).lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cookies_secure(secure_setting: bool, scope: Scope) -> bool:
    return secure_setting and not is_loopback_http(scope)


async def add_security_headers(message: Message, scope: Scope) -> None:
    """``before_send`` hook: the headers go on every http response, routed or not."""
    if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if scope.get("scheme") == "https":
        headers["strict-transport-security"] = HSTS


def session_csrf_token(secret: str, session_token: str) -> str:
    """The CSRF token of one session, in litestar's format (64 hex characters + their HMAC)."""
    bound = hmac.new(secret.encode(), f"csrf|{session_token}".encode(), hashlib.sha256).hexdigest()
    return bound + generate_csrf_hash(token=bound, secret=secret)


class SessionCsrfMiddleware(CSRFMiddleware):
    """litestar's CSRF check with the token of a logged-in request tied to its session.

    It runs after :func:`giamsat.web.middleware.tenant_middleware`, which leaves the session
    token (and the live session's context) in the scope state.
    """

    def __init__(self, app: ASGIApp, config: CSRFConfig, secure_setting: bool) -> None:
        super().__init__(app, config)
        self.secure_setting = secure_setting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or should_bypass_middleware(
            scope=scope,
            scopes=self.scopes,
            exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.get("state", {})  # type: ignore[assignment]
        session = state.get("session_token") if state.get("tenant") is not None else None
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        cookie = request.cookies.get(self.config.cookie_name)
        if request.method in self.config.safe_methods:
            if session:
                token = session_csrf_token(self.config.secret, session)
            elif cookie and self._decode_csrf_token(cookie) is not None:
                token = cookie
            else:
                token = generate_csrf_token(secret=self.config.secret)
            ScopeState.from_scope(scope).csrf_token = token
            secure = cookies_secure(self.secure_setting, scope)
            await self.app(
                scope, receive, send if cookie == token else _adding(send, token, secure)
            )
            return
        offered = request.headers.get(self.config.header_name)
        if not offered and request.content_type[0] in {
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        }:
            offered = (await request.form()).get("_csrf_token")
        if not isinstance(offered, str):
            ok = False
        elif session:
            ok = hmac.compare_digest(offered, session_csrf_token(self.config.secret, session))
        else:
            ok = cookie is not None and self._csrf_tokens_match(offered, cookie)
        if not ok or not isinstance(offered, str):
            raise PermissionDeniedException("CSRF token verification failed")
        ScopeState.from_scope(scope).csrf_token = offered
        await self.app(scope, receive, send)


def _adding(send: Send, token: str, secure: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableScopeHeaders.from_message(message).add("set-cookie", _csrf_header(token, secure))
        await send(message)

    return wrapped


@lru_cache(maxsize=1024)
def _csrf_header(token: str, secure: bool) -> str:
    # a session's pages all carry its one token: its header is built once (litestar's Cookie
    # goes through dataclasses.asdict and http.cookies, ~0.1 ms a response)
    return csrf_cookie(token, secure).to_header(header="")


def csrf_cookie(token: str, secure: bool) -> Cookie:
    """The CSRF cookie a page handler sets when it opens a session (login)."""
    return Cookie(key=CSRF_COOKIE, value=token, path="/", samesite="lax", secure=secure)
