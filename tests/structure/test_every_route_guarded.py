"""Every route except a short public allow-list refuses an anonymous caller, on both backends."""

from __future__ import annotations

import inspect

from litestar import Litestar

from tests.structure.conftest import client_of
from tests.structure.routes import RouteCall, fill

#: Plausible path values: Ba Đình's code for every committee-like parameter.
VALUES = {"code": "001", "committee": "001", "child": "00001"}


def _refused(call: RouteCall, status: int, location: str) -> bool:
    if call.is_api:
        return status == 401
    if 300 <= status < 400:
        return location.startswith("/login")
    return status in (401, 403)


async def test_every_non_public_route_refuses_anonymous_callers(
    app: Litestar, routes: list[RouteCall]
) -> None:
    # given the app's real routes, less the public allow-list, and an anonymous visitor who
    # holds a CSRF cookie (so that it is the guard, not the CSRF check, that has to refuse)
    guarded = [c for c in routes if not c.is_public]
    assert len({c.handler.split(".")[1] for c in guarded}) > 5, "the walk found too few areas"
    anonymous = client_of(app)
    await anonymous.get("/login")
    token = anonymous.cookies.get("giamsat_csrf", "")
    assert token, "the login page set no CSRF cookie"
    let_through: list[str] = []
    # when each route is called with plausible path values and no credentials
    for call in guarded:
        data = {"_csrf_token": token} if call.is_unsafe and not call.is_api else None
        resp = await anonymous.request(call.method, fill(call, VALUES), data=data)
        # then it is refused: 401 on the API, a login redirect or 401/403 on pages
        location = resp.headers.get("location", "")
        if not _refused(call, resp.status_code, location):
            let_through.append(f"{call} -> {resp.status_code} {location}")
    assert let_through == []


async def test_every_guard_runs_on_the_event_loop(app: Litestar) -> None:
    # given every route handler of the app, with the guards of its app, controller and its own
    handlers = [h for route in app.routes for h in getattr(route, "route_handlers", [])]
    guarded = [h for h in handlers if h.resolve_guards()]
    assert len(guarded) > 100, "the walk found too few guarded handlers"
    # when litestar resolves their guards, as it does for a request
    # then each is a coroutine function, run in place: none is sent to a worker thread and back
    # (what litestar does with a plain function guard, for every request)
    threaded = [
        f"{h.handler_name}: {getattr(g, 'func', g)!r}"
        for h in guarded
        for g in h.resolve_guards()
        if not inspect.iscoroutinefunction(g)
    ]
    assert threaded == []
