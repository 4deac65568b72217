"""Refuse input no handler should ever see, in one place, with a clear 4xx.

- an integer path parameter (an id) outside PostgreSQL's ``integer`` range names no row: 404,
  as for any id that does not exist (on PostgreSQL it would otherwise fail the query);
- NUL and other control characters (C0 but tab, newline and carriage return; DEL; C1) in the path,
  the query string, a JSON body or a form body: 400 naming the place;
- a JSON body nested deeper than :data:`MAX_DEPTH`: 400.

Multipart bodies (uploads) are left to their readers: a file may hold any byte.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send
from litestar.types.asgi_types import HTTPRequestEvent

from giamsat.errors import InvalidInput, NotFound
from giamsat.web.i18n import N_

MAX_ID = 2**31 - 1
MAX_DEPTH = 32
MAX_BODY = 10 * 1024 * 1024
#: C0 controls but tab, newline and carriage return; DEL; C1 controls (U+0080–U+009F in UTF-8).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
#: The same written as JSON escapes (``\u0000``, ``\u009c`` …).
_CONTROL_ESCAPE = re.compile(rb"\\u00(?:[01][0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")
_FORM = b"application/x-www-form-urlencoded"
_JSON = b"json"


def _check_ids(scope: Scope) -> None:
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            raise NotFound(N_("There is nothing with this number here."), field=name)


def _check_text(raw: bytes, where: str) -> None:
    if _CONTROL.search(raw) or _CONTROL_ESCAPE.search(raw):
        raise InvalidInput(N_("Control characters are not allowed."), field=where)


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in ``raw``, strings skipped."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _content_type(scope: Scope) -> bytes:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-type":
            return bytes(value).lower()
    return b""


def _check_body(kind: bytes, body: bytes) -> None:
    if _JSON in kind:
        _check_text(body, "body")
        brackets = body.count(b"[") + body.count(b"{")
        if brackets > MAX_DEPTH and json_depth(body) > MAX_DEPTH:
            raise InvalidInput(
                N_("The JSON is nested deeper than %(levels)s levels."),
                field="body",
                params={"levels": MAX_DEPTH},
            )
    elif kind.startswith(_FORM):
        _check_text(unquote_to_bytes(body.replace(b"+", b" ")), "form")


def input_guard(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        _check_ids(scope)
        _check_text(str(scope.get("path", "")).encode("utf-8", "surrogateescape"), "path")
        _check_text(unquote_to_bytes(bytes(scope.get("query_string", b""))), "query")
        kind = _content_type(scope)
        if not (_JSON in kind or kind.startswith(_FORM)):
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                raise InvalidInput(N_("The request body is too large."), field="body")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        _check_body(kind, body)
        replayed = False

        async def replay() -> ReceiveMessage:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return HTTPRequestEvent(type="http.request", body=body, more_body=False)

        await app(scope, replay, send)

    return middleware
