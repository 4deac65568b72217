"""Account management pages for a committee's administrator."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from giamsat.accounts import management
from giamsat.accounts.roles import ROLE_LABELS, Role
from giamsat.accounts.service import list_users
from giamsat.errors import GiamsatError
from giamsat.web.guards import admin, current_tenant
from giamsat.web.rendering import page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


class AccountForm(msgspec.Struct):
    username: str = ""
    role: str = ""
    full_name: str = ""
    email: str = ""


class AccountPages(Controller):
    path = "/c/{code:str}/users"
    include_in_schema = False
    guards = [admin]

    async def _render(
        self, request: Request[Any, Any, Any], status: int = 200, **extra: Any
    ) -> Template:
        users = await list_users(current_tenant(request))
        roles = [(r.value, *ROLE_LABELS[r]) for r in Role]
        return page(
            request,
            "accounts/users.html",
            status_code=status,
            users=users,
            roles=roles,
            **{"error": None, "created": None, "reset": None, **extra},
        )

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        return await self._render(request)

    @post("/")
    async def create(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[AccountForm, Form]
    ) -> Template:
        try:
            made = await management.add_account(
                current_tenant(request), data.username, data.role, data.full_name, data.email
            )
        except GiamsatError as exc:
            return await self._render(request, exc.status_code, error=exc.message)
        return await self._render(request, 201, created=made)

    @post("/{user_id:int}/active")
    async def toggle(
        self,
        request: Request[Any, Any, Any],
        code: str,
        user_id: int,
        data: Annotated[dict[str, str], Form],
    ) -> Template:
        try:
            await management.set_active(current_tenant(request), user_id, data.get("active") == "1")
        except GiamsatError as exc:
            return await self._render(request, exc.status_code, error=exc.message)
        return await self._render(request)

    @post("/{user_id:int}/password")
    async def reset(self, request: Request[Any, Any, Any], code: str, user_id: int) -> Template:
        try:
            password = await management.reset_password(current_tenant(request), user_id)
        except GiamsatError as exc:
            return await self._render(request, exc.status_code, error=exc.message)
        return await self._render(request, reset={"user_id": user_id, "password": password})


ROUTES = [AccountPages]
NAV = [("/c/{code}/users/", "Tài khoản", "Accounts", ("admin",))]
