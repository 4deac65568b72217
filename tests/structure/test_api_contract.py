"""What the OpenAPI document and the API's refusals tell a partner building a client."""

from __future__ import annotations

import json
import uuid

from litestar import Litestar

from giamsat.portal import ratelimit
from tests.conftest import ROOT
from tests.factories import Factory
from tests.structure.conftest import client_of


async def test_document_declares_how_to_authenticate(app: Litestar) -> None:
    # given the served OpenAPI document
    spec = (await client_of(app).get("/api/v1/schema/openapi.json")).json()
    # then it declares the bearer token and the session cookie, and asks for the token
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http", "scheme": "bearer",
        "description": "The token returned by POST /api/v1/auth/login.",
    }  # fmt: skip
    assert schemes["session"]["in"] == "cookie"
    assert spec["security"] == [{"bearer": []}]
    # and logging in needs no token
    assert spec["paths"]["/api/v1/auth/login"]["post"]["security"] == [{}]


async def test_wrong_method_names_the_allowed_ones(factory: Factory) -> None:
    # given a logged-in partner
    api, _ = await factory.api_client("002")
    # when they DELETE a route that only reads
    resp = await api.delete("/api/v1/cases")
    # then the 405 says which methods are allowed
    assert resp.status_code == 405
    assert "GET" in resp.headers["allow"]
    assert resp.json()["error"] == "not_found"


async def test_a_limit_says_when_to_retry(factory: Factory) -> None:
    # given an address that has used up its portal status lookups
    public = factory.client(login_attempts=2)
    limit = ratelimit.Limit(count=0, window_seconds=600)
    # when it is refused
    try:
        await ratelimit.hit("retry-after-test", "status", limit)
    except ratelimit.TooManyRequests as exc:
        refused = exc
    else:
        raise AssertionError("a limit of 0 let a request through")
    # then the refusal carries the window as Retry-After, through the app's error mapping
    assert refused.retry_after == 600
    # and a login refused for too many failures says when to retry
    stranger = f"nobody-{uuid.uuid4().hex[:8]}"
    for _ in range(4):
        resp = await public.post("/api/v1/auth/login",
                                 json={"committee": "002", "username": stranger,
                                       "password": "wrong-password-1"})  # fmt: skip
        if resp.status_code == 429:
            break
    assert resp.status_code == 429
    assert int(resp.headers["retry-after"]) > 0


async def test_committed_document_is_the_served_one(app: Litestar) -> None:
    # given the OpenAPI document the app serves, and docs/openapi.json in the repository
    served = (await client_of(app).get("/api/v1/schema/openapi.json")).json()
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    # then they are the same: a change to the API is a change to the document (run `make openapi`)
    assert served == committed, "the API changed: run `make openapi` and commit docs/openapi.json"


async def test_every_operation_is_described_and_refuses_in_one_shape(app: Litestar) -> None:
    # given the served document
    spec = (await client_of(app).get("/api/v1/schema/openapi.json")).json()
    operations = [(m, p, op) for p, item in spec["paths"].items() for m, op in item.items()]
    assert len(operations) > 70
    # then every operation has a description, and each refusal is the one error shape
    assert [f"{m} {p}" for m, p, op in operations if not op.get("description")] == []
    for method, path, op in operations:
        for status in ("400", "401", "403", "404", "405", "409", "422", "429"):
            ref = op["responses"][status]["$ref"]
            assert ref == f"#/components/responses/Refusal{status}", (method, path, status)
    # and files are binary strings
    export = spec["paths"]["/api/v1/reports/{period}/export.xlsx"]["get"]["responses"]["200"]
    (body,) = export["content"].values()
    assert body["schema"] == {"type": "string", "format": "binary"}


async def test_a_creating_post_with_an_idempotency_key_is_made_once(factory: Factory) -> None:
    # given an officer who records feedback with an Idempotency-Key, and retries it
    api, _ = await factory.api_client("002")
    body = {"recipient_kind": "party_committee", "recipient": "Quận ủy Hoàn Kiếm",
            "content": f"Góp ý {uuid.uuid4().hex}", "received_on": "2025-03-03"}  # fmt: skip
    key = {"Idempotency-Key": f"feedback-{uuid.uuid4().hex}"}
    first = await api.post("/api/v1/feedback", json=body, headers=key)
    again = await api.post("/api/v1/feedback", json=body, headers=key)
    # then the retry is the first answer, with its status, and one item exists
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = [f for f in (await api.get("/api/v1/feedback")).json()["items"]
              if f["content"] == body["content"]]  # fmt: skip
    assert len(listed) == 1
    # and the same key with another body is refused, creating nothing
    other = await api.post("/api/v1/feedback", json=body | {"content": "khác"}, headers=key)
    assert other.status_code == 422 and other.json()["field"] == "Idempotency-Key"
    # and another officer's same key is theirs alone
    colleague, _ = await factory.api_client("002")
    theirs = await colleague.post("/api/v1/feedback", json=body, headers=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
