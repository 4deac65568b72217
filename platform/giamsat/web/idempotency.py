"""``Idempotency-Key`` on every creating POST of the API, in one place.

A logged-in caller that sends the header gets, for a retry with the same key, path and body, the
first answer again (its status and body, with ``Idempotent-Replayed: true``) and nothing is
created twice; the same key with another body is a 422. Answers are kept in PostgreSQL (or the
SQLite file), so every replica replays the same. Intake keeps its own replay (in the same
transaction as its signals, answering 200 with ``replayed: true``): here its keys are only
checked against their first body.

Two requests with the same key at once cannot both run: the first reserves the key (a row with
status 0, inserted before the handler runs), and the second is told 409 with ``Retry-After``
while the first is in flight. A reservation left by a process that died is taken over after
``STALE_AFTER``; an answer that is not a success frees the key for a corrected retry.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from litestar.types.asgi_types import (
    HTTPRequestEvent,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
)
from piccolo.columns import Column, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, InvalidInput
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

HEADER = b"idempotency-key"
REPLAYED = "Idempotent-Replayed"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
#: Routes that replay by themselves (see ``giamsat.intake.service``).
OWN_REPLAY = ("/api/v1/intake/",)
#: The status of a reservation whose first request is still running.
IN_FLIGHT = 0
#: A reservation older than this was left by a process that died: the next retry takes it over.
STALE_AFTER = timedelta(minutes=5)


class KeyInFlight(Conflict):
    """The first request with this key is still being answered."""

    retry_after = 2


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


async def _claim(scoped: str, digest: str) -> dict[str, Any] | None:
    """Reserve ``scoped`` for this request: ``None`` when reserved, else the row that holds it."""
    for _ in range(2):
        async with system_scope():
            made = await (
                IdempotentAnswer.insert(
                    IdempotentAnswer(scoped_key=scoped, request_hash=digest, status=IN_FLIGHT)
                )
                .on_conflict(target=IdempotentAnswer.scoped_key, action="DO NOTHING")
                .returning(IdempotentAnswer.id)
            )
        if made:
            return None
        earlier = await _earlier(scoped)
        if earlier is None:  # freed between the two statements: try once more
            continue
        stale = datetime.now(UTC) - STALE_AFTER
        if earlier["status"] != IN_FLIGHT or _aware(earlier["created_at"]) > stale:
            return earlier
        await _free(scoped, before=stale)
    return await _earlier(scoped)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _free(scoped: str, *, before: datetime | None = None) -> None:
    """Drop the in-flight reservation of ``scoped`` (only one older than ``before``, if given)."""
    where = (IdempotentAnswer.scoped_key == scoped) & (IdempotentAnswer.status == IN_FLIGHT)
    if before is not None:
        where &= IdempotentAnswer.created_at < before
    async with system_scope():
        await IdempotentAnswer.delete().where(where)


async def _keep(scoped: str, status: int, media_type: str, body: str) -> None:
    async with system_scope():
        answer: dict[Column | str, Any] = {
            IdempotentAnswer.status: status,
            IdempotentAnswer.media_type: media_type,
            IdempotentAnswer.body: body,
        }
        mine = (IdempotentAnswer.scoped_key == scoped) & (IdempotentAnswer.status == IN_FLIGHT)
        await IdempotentAnswer.update(answer).where(mine)


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
                N_("Idempotency-Key: 8–128 characters of A-Z a-z 0-9 . _ : -"),
                field="Idempotency-Key",
            )
        body = await _body(receive)
        digest = hashlib.sha256(body).hexdigest()
        scoped = f"{tenant.committee_id}:{tenant.user_id}:{path}:{key}"
        earlier = await _claim(scoped, digest)
        if earlier is not None and earlier["status"] == IN_FLIGHT:
            raise KeyInFlight(
                N_(
                    "The first request with this Idempotency-Key is still being answered; "
                    "send it again shortly."
                ),
                field="Idempotency-Key",
            )
        if earlier is not None and earlier["request_hash"] != digest:
            raise InvalidInput(
                N_(
                    "This Idempotency-Key was used with another body; use a new key for a new "
                    "request."
                ),
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

        if earlier is not None:  # intake, replaying by itself
            await app(scope, replay_body, keep_answer)
            return
        try:
            await app(scope, replay_body, keep_answer)
        except BaseException:
            await _free(scoped)
            raise
        text = None
        if 200 <= answer["status"] < 300:
            try:
                text = b"".join(answer["body"]).decode("utf-8")
            except UnicodeDecodeError:  # a file: nothing a creating POST answers with
                text = None
        if text is None:
            await _free(scoped)
        else:
            await _keep(scoped, answer["status"], answer["media_type"], text)

    return middleware
