"""A partner organisation's officer reaches only what ``giamsat.web.visibility`` lists.

Every route of the real app is called as the district trade union's officer of Ba Đình; each
route outside the partner's list answers 404 (never 403: a refusal does not tell what exists),
and the routes on the list are not refused by the visibility guard.
"""

from __future__ import annotations

from litestar import Litestar

from giamsat.web.visibility import partner_may_reach
from tests.factories import Factory, csrf
from tests.structure.routes import RouteCall, fill

VALUES = {"code": "001", "committee": "001", "child": "00001"}


async def test_partner_officer_gets_404_outside_their_routes(
    factory: Factory, app: Litestar, routes: list[RouteCall]
) -> None:
    # given a partner officer of Ba Đình (trade union) on the pages and on the API
    page, _ = await factory.page_client("001", "partner_officer", organisation="union")
    api, _ = await factory.api_client("001", "partner_officer", organisation="union")
    hidden = [c for c in routes if not c.is_public and not partner_may_reach(c.template)]
    assert any("/cases" in c.template for c in hidden), "the walk found no case route"
    assert any("/portal" in c.template for c in hidden), "the walk found no citizens' report"
    reached: list[str] = []
    # when they call every route outside their list
    for call in hidden:
        client = api if call.is_api else page
        data = {"_csrf_token": csrf(page)} if call.is_unsafe and not call.is_api else None
        resp = await client.request(call.method, fill(call, VALUES), data=data)
        # then each answers 404
        if resp.status_code != 404:
            reached.append(f"{call} -> {resp.status_code}")
    assert reached == []


async def test_partner_officer_reaches_their_intake_and_home(factory: Factory) -> None:
    # given a partner officer of Ba Đình
    page, _ = await factory.page_client("001", "partner_officer", organisation="union")
    # when they open their home and the intake page
    home = await page.get("/c/001/")
    intake = await page.get("/c/001/intake")
    # then both answer, and another committee's space stays closed
    assert (home.status_code, intake.status_code) == (200, 200)
    assert (await page.get("/c/00001/intake")).status_code in (403, 404)
