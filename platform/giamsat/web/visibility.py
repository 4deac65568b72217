"""Who sees what beyond the committee boundary: the one place the visibility rules are written.

Every logged-in user acts only in their own committee's space (``guards.logged_in``) and every
repository is bound to it. Within that space one role sees much less: a partner organisation's
officer (``partner_officer``, e.g. the district trade union's) works only through the channels
that name their organisation (``ChannelInfo.submitter_roles``) and reads only their
organisation's submissions with the outcome of each signal (where it went, the case's level,
status and due date). Every other route of the committee's space answers 404 to them: citizens'
reports, cases, cadres, delegations, plans, reports, channel settings. A refusal does not say
whether the thing exists.

:func:`partner_scope` applies :data:`PARTNER_ROUTES` to every route of the app (an app-level
guard); ``tests/structure/test_visibility.py`` walks every route of the real app as a partner
officer and proves the rule holds.
"""

from __future__ import annotations

import re
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from giamsat.accounts.roles import Role
from giamsat.errors import NotFound
from giamsat.web.i18n import N_

_TYPED = re.compile(r"\{(\w+):\w+\}")

#: Route templates (litestar's, as registered) a partner officer may reach, by prefix. Routes
#: anyone may call (login, the portal, health, static files, the API's documentation) are not
#: listed: they hold no committee data and are reachable without an account.
PARTNER_ROUTES: tuple[str, ...] = (
    "/c/{code}/intake",  # the forms and sheets of their channels
    "/c/{code}/submissions",  # their organisation's submissions and each signal's outcome
    "/c/{code}/password",
    "/api/v1/intake/",
    "/api/v1/submissions",
    "/api/v1/me",
    "/api/v1/auth/",
)
#: Pages reached exactly: the root redirect and the committee's home (its name and place in the
#: tree, no case or report).
PARTNER_EXACT = frozenset({"/", "/c/{code}"})
#: Routes outside any committee's data, reachable by anyone (also listed in the structure tests).
OPEN_ROUTES: tuple[str, ...] = (
    "/login",
    "/logout",
    "/language",
    "/health/",
    "/metrics",
    "/static/",
    "/portal",
    "/api/v1/docs",
    "/api/v1/schema",
)


def partner_may_reach(template: str) -> bool:
    """Whether a partner officer may call the route registered as ``template`` (with or without
    the parameters' types: ``/c/{code:str}/intake`` or ``/c/{code}/intake``)."""
    template = _TYPED.sub(r"{\1}", template).rstrip("/") or "/"
    return template in PARTNER_EXACT or template.startswith(PARTNER_ROUTES + OPEN_ROUTES)


def may_reach(role: str | None, template: str) -> bool:
    """Whether a user of ``role`` may reach the route (for navigation links)."""
    return role != Role.PARTNER_OFFICER or partner_may_reach(template)


def partner_scope(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """App-level guard: a partner officer gets 404 outside :data:`PARTNER_ROUTES`."""
    ctx = connection.scope.get("state", {}).get("tenant")
    if getattr(ctx, "role", None) != Role.PARTNER_OFFICER:
        return
    template = str(connection.scope.get("path_template") or connection.url.path)
    if not partner_may_reach(template):
        raise NotFound(N_("There is no page here."))
