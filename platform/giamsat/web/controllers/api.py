"""JSON API, version 1: authentication and the committee tree."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.status_codes import HTTP_200_OK

from giamsat.accounts import service
from giamsat.accounts.schemas import LoginRequest, SessionToken, UserView
from giamsat.errors import NotFound
from giamsat.settings import Settings
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.tenancy.schemas import CommitteeView
from giamsat.web.guards import current_tenant, logged_in
from giamsat.web.i18n import N_
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, paging


class Me(msgspec.Struct, frozen=True):
    committee: CommitteeView
    username: str
    role: str
    language: str


class AuthApi(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/login", status_code=HTTP_200_OK, security=[{}])
    async def login(
        self, request: Request[Any, Any, Any], settings: Settings, data: LoginRequest
    ) -> SessionToken:
        """Open a session; send the returned token as ``Authorization: Bearer …``. An account
        with two-factor login sends its current code (or a recovery code) as ``code``."""
        client = request.client.host if request.client else "unknown"
        return await service.login(
            settings, data.committee, data.username, data.password, client, data.code
        )

    @post("/logout", guards=[logged_in], status_code=HTTP_200_OK)
    async def logout(self, request: Request[Any, Any, Any]) -> dict[str, bool]:
        """End the session of the bearer token."""
        await service.logout(request.scope["state"]["session_token"])
        return {"ok": True}


class CommitteeApi(Controller):
    path = "/api/v1"
    tags = ["committees"]
    guards = [logged_in]

    @get("/me")
    async def me(self, request: Request[Any, Any, Any]) -> Me:
        """Who the token belongs to: committee, username, role and language."""
        ctx = current_tenant(request)
        committee = await _visible(ctx, ctx.committee_code)
        return Me(
            committee=committee,
            username=ctx.username or "",
            role=ctx.role or "",
            language=ctx.language,
        )

    @get("/users")
    async def users(
        self, request: Request[Any, Any, Any], limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[UserView]:
        """The accounts of the caller's committee, by username."""
        return await service.page_users(current_tenant(request), paging(limit, offset))

    @get("/committees/{committee:str}")
    async def committee(
        self, request: Request[Any, Any, Any], committee: str, on: date | None = None
    ) -> CommitteeView:
        """A committee of the caller's subtree: the one the code means on ``on`` (a date,
        today by default), since codes are reused from one register to the next."""
        return await _visible(current_tenant(request), committee, on)

    @get("/committees/{committee:str}/children")
    async def children(
        self,
        request: Request[Any, Any, Any],
        committee: str,
        on: date | None = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[CommitteeView]:
        """The committees directly below one of the caller's subtree, by code."""
        view = await _visible(current_tenant(request), committee, on)
        return await CommitteeRepository().children_page(view.id, paging(limit, offset), on)

    @get("/committees")
    async def search(
        self,
        request: Request[Any, Any, Any],
        q: str,
        on: date | None = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[CommitteeView]:
        """Search the caller's subtree by name (diacritics optional) or code, among the
        committees in force on ``on`` (today by default); the upper levels first."""
        ctx = current_tenant(request)
        return await CommitteeRepository().search_page(
            q, paging(limit, offset), within=ctx.path, on=on
        )


async def _visible(ctx: TenantContext, code: str, on: date | None = None) -> CommitteeView:
    view = await CommitteeRepository().by_code(code, on)
    if view is None or not ctx.covers(view.path):
        raise NotFound(
            N_("There is no committee with code %(code)s in your scope."), params={"code": code}
        )
    return view
