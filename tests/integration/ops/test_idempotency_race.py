"""Two requests with one Idempotency-Key at the same moment: one runs, the other waits its turn."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from giamsat.db.scope import system_scope
from giamsat.feedback.tables import Feedback
from giamsat.tenancy.tables import Committee
from giamsat.web.idempotency import IN_FLIGHT, STALE_AFTER, IdempotentAnswer
from tests.factories import Factory

PATH = "/api/v1/feedback"


def _body() -> dict[str, str]:
    return {"recipient_kind": "party_committee", "recipient": "Quận ủy Hoàn Kiếm",
            "content": f"Góp ý {uuid.uuid4().hex}", "received_on": "2025-03-03"}  # fmt: skip


async def _count(content: str) -> int:
    async with system_scope():
        return await Feedback.count().where(Feedback.content == content)


async def _reserve(scoped: str, at: dt.datetime) -> None:
    async with system_scope():
        await IdempotentAnswer(scoped_key=scoped, request_hash="", status=IN_FLIGHT,
                               created_at=at).save()  # fmt: skip


async def _scoped_key(committee: str, user_id: int, key: str) -> str:
    """The key as the middleware files it: the caller's committee and user, the path, the key."""
    async with system_scope():
        row = await Committee.select(Committee.id).where(Committee.code == committee).first()
    assert row is not None
    return f"{row['id']}:{user_id}:{PATH}:{key}"


async def test_a_key_in_flight_answers_409_with_retry_after_and_creates_nothing(
    factory: Factory,
) -> None:
    # given an officer whose first keyed request is still being answered (its reservation is fresh)
    api, user = await factory.api_client("002")
    key, body = f"race-{uuid.uuid4().hex}", _body()
    scoped = await _scoped_key("002", user.id, key)
    await _reserve(scoped, dt.datetime.now(dt.UTC))
    # when the retry arrives with the same key
    resp = await api.post(PATH, json=body, headers={"Idempotency-Key": key})
    # then it is told to come back shortly, and nothing is written
    assert resp.status_code == 409, resp.text
    assert resp.json()["field"] == "Idempotency-Key"
    assert int(resp.headers["retry-after"]) >= 1
    assert await _count(body["content"]) == 0


async def test_a_reservation_left_by_a_dead_process_is_taken_over(factory: Factory) -> None:
    # given a reservation older than the stale limit (its process died before answering)
    api, user = await factory.api_client("002")
    key, body = f"dead-{uuid.uuid4().hex}", _body()
    scoped = await _scoped_key("002", user.id, key)
    await _reserve(scoped, dt.datetime.now(dt.UTC) - STALE_AFTER - dt.timedelta(seconds=5))
    # when the client retries with the same key
    first = await api.post(PATH, json=body, headers={"Idempotency-Key": key})
    again = await api.post(PATH, json=body, headers={"Idempotency-Key": key})
    # then the retry runs once and is replayed afterwards
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await _count(body["content"]) == 1


async def test_simultaneous_requests_with_one_key_create_one_item(factory: Factory) -> None:
    # given an officer's client that sends the same keyed request five times at once
    api, _ = await factory.api_client("002")
    key, body = f"burst-{uuid.uuid4().hex}", _body()
    # when they all arrive together
    answers = await asyncio.gather(
        *(api.post(PATH, json=body, headers={"Idempotency-Key": key}) for _ in range(5))
    )
    # then each is the first answer or a "retry shortly", and exactly one item exists
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, [a.text for a in answers]
    assert 201 in statuses
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    assert await _count(body["content"]) == 1


async def test_a_refused_request_frees_its_key_for_the_corrected_one(factory: Factory) -> None:
    # given an officer whose keyed request is refused (no content)
    api, _ = await factory.api_client("002")
    key, body = f"fix-{uuid.uuid4().hex}", _body()
    refused = await api.post(PATH, json=body | {"content": ""}, headers={"Idempotency-Key": key})
    assert 400 <= refused.status_code < 500, refused.text
    # when the corrected request is sent with the same key
    fixed = await api.post(PATH, json=body, headers={"Idempotency-Key": key})
    # then the key was freed by the refusal and the corrected request runs
    assert fixed.status_code == 201, fixed.text
    assert await _count(body["content"]) == 1
