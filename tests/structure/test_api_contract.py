"""What the OpenAPI document and the API's refusals tell a partner building a client."""

from __future__ import annotations

import uuid

from litestar import Litestar

from giamsat.portal import ratelimit
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
