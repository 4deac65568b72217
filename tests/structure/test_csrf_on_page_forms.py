"""Every page form (non-API POST/PUT/PATCH/DELETE) refuses a request without its CSRF token."""

from __future__ import annotations

from litestar import Litestar

from giamsat.db.registry import all_tables
from giamsat.db.scope import system_scope
from tests.factories import Factory, csrf
from tests.structure.routes import RouteCall, fill

OWN = "00037"  # Phường Phúc Tân: the logged-in user's own committee


async def _row_counts() -> dict[str, int]:
    async with system_scope():
        return {t._meta.tablename: await t.count() for t in all_tables()}


async def test_page_forms_without_csrf_token_are_refused_and_change_nothing(
    factory: Factory, app: Litestar, routes: list[RouteCall]
) -> None:
    # given an administrator of Phúc Tân logged in through the login page (every role guard
    # would let them through), and every page route that changes something
    forms = [c for c in routes if c.is_unsafe and not c.is_api]
    assert any(c.template.startswith("/c/") for c in forms), "the walk found no page forms"
    client, _ = await factory.page_client(OWN, "admin")
    before = await _row_counts()
    accepted: list[str] = []
    # when each form is posted for the user's own committee without the _csrf_token field
    for call in forms:
        values = {"code": OWN, "committee": OWN}
        resp = await client.request(call.method, fill(call, values), data={"note": "csrf"})
        if resp.status_code != 403:
            accepted.append(f"{call} -> {resp.status_code}")
    # then every one is refused with 403, and no table gained or lost a row
    assert accepted == []
    assert await _row_counts() == before
    # and the same client, sending its token, is let through (the 403s were the missing token)
    assert (await client.get(f"/c/{OWN}")).status_code == 200
    with_token = await client.post("/logout", data={"_csrf_token": csrf(client)})
    assert with_token.status_code in (302, 303), with_token.text
