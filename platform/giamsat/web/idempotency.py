"""``Idempotency-Key`` on every creating POST of the API, in one place.

A logged-in caller that sends the header gets, for a retry with the same key, path and body, the
first answer again (its status and body, with ``Idempotent-Replayed: true``) and nothing is
created twice; the same key with another body is a 422. Answers are kept in PostgreSQL (or the
SQLite file), so every replica replays the same. Intake keeps its own replay (in the same
transaction as its signals, answering 200 with ``replayed: true``): here its keys are only
checked against their first body.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from litestar.types.asgi_types import (
    HTTPRequestEvent,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
)
from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.db.scope import system_scope
from giamsat.errors import InvalidInput
from giamsat.tenancy.context import TenantContext

HEADER = b"idempotency-key"
REPLAYED = "Idempotent-Replayed"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
#: Routes that replay by themselves (see ``giamsat.intake.service``).
OWN_REPLAY = ("/api/v1/intake/",)


class IdempotentAnswer(Table, tablename="idempotent_answer"):
    """The first answer to one caller's key on one path, and the body it answered."""

    id: Serial  # created by piccolo; declared for type checkers

    scoped_key = Varchar(length=400, unique=True, index=True)
    request_hash = Varchar(length=64)
    status = Integer(default=0)
    media_type = Varchar(length=120, default="")
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [IdempotentAnswer]


def _key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == HEADER:
            return bytes(value).decode("latin-1").strip() or None
    return None


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _earlier(scoped: str) -> dict[str, Any] | None:
    async with system_scope():
        row: dict[str, Any] | None = (
            await IdempotentAnswer.select().where(IdempotentAnswer.scoped_key == scoped).first()
        )
    return row


async def _keep(scoped: str, digest: str, status: int, media_type: str, body: str) -> None:
    async with system_scope():
        if not await IdempotentAnswer.exists().where(IdempotentAnswer.scoped_key == scoped):
            await IdempotentAnswer(scoped_key=scoped, request_hash=digest, status=status,
                                   media_type=media_type, body=body).save()  # fmt: skip


async def _replay(row: dict[str, Any], send: Send) -> None:
    headers = [(b"content-type", str(row["media_type"]).encode("latin-1")),
               (REPLAYED.lower().encode(), b"true")]  # fmt: skip
    start = HTTPResponseStartEvent(
        type="http.response.start", status=int(row["status"]), headers=headers
    )
    await send(start)
    body = str(row["body"]).encode("utf-8")
    await send(HTTPResponseBodyEvent(type="http.response.body", body=body, more_body=False))


def idempotency(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` (after the tenant middleware): keep and replay keyed API POSTs."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope) if scope["type"] == ScopeType.HTTP else None
        tenant = scope.get("state", {}).get("tenant")
        path = str(scope.get("path", ""))
        if (
            key is None
            or scope.get("method") != "POST"
            or not path.startswith("/api/")
            or not isinstance(tenant, TenantContext)
        ):
            await app(scope, receive, send)
            return
        if not _KEY.match(key):
            raise InvalidInput(
                "Idempotency-Key: 8–128 ký tự A-Z a-z 0-9 . _ : - "
                "(8–128 characters of A-Z a-z 0-9 . _ : -)",
                field="Idempotency-Key",
            )
        body = await _body(receive)
        digest = hashlib.sha256(body).hexdigest()
        scoped = f"{tenant.committee_id}:{tenant.user_id}:{path}:{key}"
        earlier = await _earlier(scoped)
        if earlier is not None and earlier["request_hash"] != digest:
            raise InvalidInput(
                "Idempotency-Key đã dùng cho một yêu cầu khác (this key was used with another "
                "body; use a new key for a new request)",
                field="Idempotency-Key",
            )
        own_replay = path.startswith(OWN_REPLAY)
        if earlier is not None and not own_replay:
            await _replay(earlier, send)
            return
        answer: dict[str, Any] = {"status": 0, "media_type": "", "body": []}

        given = False

        async def replay_body() -> ReceiveMessage:
            nonlocal given
            if given:
                return await receive()
            given = True
            return HTTPRequestEvent(type="http.request", body=body, more_body=False)

        async def keep_answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = int(message["status"])
                answer["media_type"] = MutableScopeHeaders.from_message(message).get(
                    "content-type", ""
                )
            elif message["type"] == "http.response.body":
                answer["body"].append(bytes(message.get("body", b"")))
            await send(message)

        await app(scope, replay_body, keep_answer)
        if 200 <= answer["status"] < 300 and earlier is None:
            try:
                text = b"".join(answer["body"]).decode("utf-8")
            except UnicodeDecodeError:  # a file: nothing a creating POST answers with
                return
            await _keep(scoped, digest, answer["status"], answer["media_type"], text)

    return middleware
