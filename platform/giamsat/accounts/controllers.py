"""Account management pages for a committee's administrator."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.accounts import management, service, two_factor
from giamsat.accounts.roles import Role
from giamsat.accounts.service import list_users
from giamsat.errors import GiamsatError, SecondFactorRequired
from giamsat.settings import Settings
from giamsat.web.guards import admin, current_tenant, logged_in
from giamsat.web.i18n import N_
from giamsat.web.rendering import error_text, page

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
        roles = [r.value for r in Role]
        return page(
            request,
            "accounts/users.html",
            status_code=status,
            users=users,
            roles=roles,
            **{"error": None, "created": None, "reset": None, "two_factor_reset": False, **extra},
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
            return await self._render(request, exc.status_code, error=error_text(request, exc))
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
            return await self._render(request, exc.status_code, error=error_text(request, exc))
        return await self._render(request)

    @post("/{user_id:int}/password")
    async def reset(self, request: Request[Any, Any, Any], code: str, user_id: int) -> Template:
        try:
            password = await management.reset_password(current_tenant(request), user_id)
        except GiamsatError as exc:
            return await self._render(request, exc.status_code, error=error_text(request, exc))
        return await self._render(request, reset={"user_id": user_id, "password": password})

    @post("/{user_id:int}/two-factor")
    async def reset_two_factor(
        self, request: Request[Any, Any, Any], code: str, user_id: int
    ) -> Template:
        try:
            await management.reset_two_factor(current_tenant(request), user_id)
        except GiamsatError as exc:
            return await self._render(request, exc.status_code, error=error_text(request, exc))
        return await self._render(request, two_factor_reset=True)


class CodeForm(msgspec.Struct):
    code: str = ""
    next: str = ""


def _next_within(code: str, target: str) -> str:
    own = f"/c/{code}/"
    return target if target.startswith(own) else own


class TwoFactorPages(Controller):
    """A logged-in person's own second factor: turn it on, and check it again when asked."""

    path = "/c/{code:str}/two-factor"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str, next: str = "") -> Template:
        ctx = current_tenant(request)
        assert ctx.user_id is not None
        left = await two_factor.recovery_codes_left(ctx.user_id)
        try:
            enrolment = await two_factor.begin_enrolment(ctx.user_id)
        except GiamsatError:  # already on
            return page(request, "accounts/two_factor.html", left=left)
        return self._setup(request, enrolment, next)

    def _setup(
        self,
        request: Request[Any, Any, Any],
        enrolment: two_factor.Enrolment,
        next: str,
        error: str | None = None,
        status: int = 200,
    ) -> Template:
        ctx = current_tenant(request)
        return page(request, "accounts/two_factor_setup.html", status_code=status,
                    action=f"/c/{ctx.committee_code}/two-factor/", enrolment=enrolment,
                    next=next, error=error, required=False)  # fmt: skip

    @post("/")
    async def enrol(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[CodeForm, Form]
    ) -> Template:
        ctx = current_tenant(request)
        assert ctx.user_id is not None
        try:
            codes = await service.enrol_signed_in(
                ctx, request.scope["state"]["session_token"], data.code
            )
        except GiamsatError as exc:
            enrolment = await two_factor.begin_enrolment(ctx.user_id)
            return self._setup(
                request, enrolment, data.next, error_text(request, exc), exc.status_code
            )
        return page(request, "accounts/recovery_codes.html", codes=codes,
                    next=_next_within(code, data.next))  # fmt: skip

    @get("/check")
    async def check_form(
        self, request: Request[Any, Any, Any], code: str, next: str = ""
    ) -> Template | Redirect:
        ctx = current_tenant(request)
        assert ctx.user_id is not None
        if not await two_factor.is_enrolled(ctx.user_id):
            return Redirect(f"/c/{code}/two-factor/?{urlencode({'next': next})}")
        return self._check(request, next)

    def _check(
        self,
        request: Request[Any, Any, Any],
        next: str,
        error: str | None = None,
        status: int = 200,
    ) -> Template:
        ctx = current_tenant(request)
        return page(request, "accounts/second_factor.html", status_code=status,
                    action=f"/c/{ctx.committee_code}/two-factor/check", next=next, error=error,
                    recheck=True)  # fmt: skip

    @post("/check")
    async def check(
        self,
        request: Request[Any, Any, Any],
        code: str,
        settings: Settings,
        data: Annotated[CodeForm, Form],
    ) -> Template | Redirect:
        ctx = current_tenant(request)
        try:
            await service.check_again(
                settings,
                ctx,
                request.scope["state"]["session_token"],
                data.code,
                request.client.host if request.client else "unknown",
            )
        except GiamsatError as exc:
            return self._check(request, data.next, error_text(request, exc), exc.status_code)
        return Redirect(_next_within(code, data.next))


def second_factor_required(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Pages: send the person to check the second factor, then back to where they were (the
    report page an identity is opened from). The API keeps the JSON 403."""
    from giamsat.web.errors import giamsat_error_handler

    ctx = request.scope.get("state", {}).get("tenant")
    if request.url.path.startswith("/api/") or ctx is None:
        return giamsat_error_handler(request, exc)
    referer = urlsplit(request.headers.get("referer", ""))
    back = referer.path if referer.netloc in ("", request.url.netloc) else ""
    back = _next_within(ctx.committee_code, back)
    return Redirect(f"/c/{ctx.committee_code}/two-factor/check?{urlencode({'next': back})}")


ROUTES = [AccountPages, TwoFactorPages]
NAV = [
    ("/c/{code}/users/", N_("Accounts"), ("admin",)),
    ("/c/{code}/two-factor/", N_("Two-factor login")),
]
EXCEPTION_HANDLERS = {SecondFactorRequired: second_factor_required}
