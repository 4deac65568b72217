"""Guards: a logged-in user, acting in its own committee's space, with a role that may act."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from functools import cache, wraps
from typing import Any

from litestar import Controller
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from giamsat.accounts.roles import APPROVER_ROLES, STAFF_ROLES, Role
from giamsat.errors import NotAuthenticated, PermissionDenied
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_


def current_tenant(connection: ASGIConnection[Any, Any, Any, Any]) -> TenantContext:
    ctx = connection.scope.get("state", {}).get("tenant")
    if not isinstance(ctx, TenantContext):
        raise NotAuthenticated(N_("Please log in."))
    return ctx


def logged_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any user; on ``/c/{code}/…`` routes the code must be the user's own committee."""
    ctx = current_tenant(connection)
    code = connection.path_params.get("code")
    if code is not None and code != ctx.committee_code:
        raise PermissionDenied(N_("You cannot act for this committee."))


def staff(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    logged_in(connection, handler)
    if current_tenant(connection).role not in STAFF_ROLES:
        raise PermissionDenied(N_("Your role can only view this."))


def approver(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    logged_in(connection, handler)
    if current_tenant(connection).role not in APPROVER_ROLES:
        raise PermissionDenied(N_("The standing board must approve this."))


def admin(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    logged_in(connection, handler)
    if current_tenant(connection).role != Role.ADMIN:
        raise PermissionDenied(N_("Only administrators can do this."))


def second_factor_fresh(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """The session passed the second factor within ``identity_recheck_minutes`` (reporters'
    identities): otherwise pages send the person to check it again, the API answers 403."""
    from datetime import UTC, datetime

    from giamsat.accounts.two_factor import is_fresh
    from giamsat.errors import SecondFactorRequired

    logged_in(connection, handler)
    minutes = connection.app.state.settings.identity_recheck_minutes
    if not is_fresh(current_tenant(connection).second_factor_at, minutes, datetime.now(UTC)):
        raise SecondFactorRequired(
            N_(
                "Check your second factor again (within the last %(minutes)s minutes) before "
                "viewing an identity; API: log in again with your code."
            ),
            params={"minutes": minutes},
        )


def top_admin(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """An administrator of a committee at the top of the tree (national data: the calendar)."""
    admin(connection, handler)
    if current_tenant(connection).path.strip("/").count("/"):
        raise PermissionDenied(N_("Only administrators of the top committee can do this."))


def on_the_loop(guard: Guard) -> Guard:
    """``guard`` as an async function, so that litestar runs it on the event loop.

    Litestar runs a plain function guard in a worker thread: a hop to the thread pool and back
    for each guard of each request (two for a page: the partner scope and ``logged_in``), which
    costs more than the check and waits for a core on a loaded machine. The guards only read
    the request's state, so they run in place. The function itself stays as it is, for the
    handlers that call it directly."""
    if inspect.iscoroutinefunction(guard):
        return guard
    return _in_place(guard)


@cache
def _in_place(guard: Callable[..., Any]) -> Callable[..., Awaitable[None]]:
    @wraps(guard)
    async def checked(connection: ASGIConnection[Any, Any, Any, Any], handler: Any) -> None:
        guard(connection, handler)

    return checked


def guards_on_the_loop(route_handlers: Iterable[Any]) -> None:
    """Every guard of ``route_handlers`` (handlers and controllers, with the controllers'
    handlers) made :func:`on_the_loop`, before the app is built from them."""
    for item in route_handlers:
        owners: list[Any] = [item]
        if inspect.isclass(item) and issubclass(item, Controller):
            members = (getattr(item, name, None) for name in dir(item))
            owners += [m for m in members if isinstance(m, BaseRouteHandler)]
        for owner in owners:
            guards = getattr(owner, "guards", None)  # a controller's slot when it sets none
            if isinstance(guards, list | tuple) and guards:
                owner.guards = [on_the_loop(g) for g in guards]
