"""Login, logout, password change and language switch for people (server-side sessions)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.accounts import service
from giamsat.errors import GiamsatError
from giamsat.settings import Settings
from giamsat.web.guards import current_tenant, logged_in
from giamsat.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from giamsat.web.middleware import SESSION_COOKIE
from giamsat.web.rendering import LANG_COOKIE, page
from giamsat.web.security import cookies_secure, csrf_cookie, session_csrf_token

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


class LoginForm(msgspec.Struct):
    committee: str = ""
    username: str = ""
    password: str = ""
    next: str = ""


class PasswordForm(msgspec.Struct):
    current_password: str = ""
    new_password: str = ""


def session_cookies(
    request: Request[Any, Any, Any], settings: Settings, token: str
) -> list[Cookie]:
    """The session cookie, and the CSRF cookie bound to that session."""
    secure = cookies_secure(settings.secure_cookies, request.scope)
    return [
        Cookie(
            key=SESSION_COOKIE,
            value=token,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
            max_age=settings.session_hours * 3600,
        ),
        csrf_cookie(session_csrf_token(settings.secret_key, token), secure),
    ]


def _safe_next(target: str, fallback: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else fallback


class AuthPages(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(
        self, request: Request[Any, Any, Any], committee: str = "", next: str = ""
    ) -> Template:
        return page(request, "login.html", committee=committee, next=next, error=None)

    @post("/login")
    async def login(
        self, request: Request[Any, Any, Any], settings: Settings, data: Annotated[LoginForm, Form]
    ) -> Template | Redirect:
        client = request.client.host if request.client else "unknown"
        try:
            token = await service.login(
                settings, data.committee, data.username, data.password, client
            )
        except GiamsatError as exc:
            return page(
                request,
                "login.html",
                status_code=exc.status_code,
                committee=data.committee,
                next=data.next,
                error=exc.message,
            )
        target = _safe_next(data.next, f"/c/{token.committee}/")
        return Redirect(target, cookies=session_cookies(request, settings, token.token))

    @post("/logout", guards=[logged_in])
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        await service.logout(request.scope["state"]["session_token"])
        return Redirect(
            "/login", cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/")]
        )

    @get("/c/{code:str}/password", guards=[logged_in])
    async def password_form(self, request: Request[Any, Any, Any], code: str) -> Template:
        return page(request, "password.html", error=None, saved=False)

    @post("/c/{code:str}/password", guards=[logged_in])
    async def change_password(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[PasswordForm, Form]
    ) -> Template:
        ctx = current_tenant(request)
        try:
            await service.change_password(
                ctx,
                request.scope["state"]["session_token"],
                data.current_password,
                data.new_password,
            )
        except GiamsatError as exc:
            return page(
                request,
                "password.html",
                status_code=exc.status_code,
                error=exc.message,
                saved=False,
            )
        return page(request, "password.html", error=None, saved=True)

    @get("/language")
    async def language(
        self, request: Request[Any, Any, Any], to: str = "vi", next: str = "/"
    ) -> Redirect:
        """A plain link (no form, no CSRF token) so that it works on every page, error pages
        and the API reference included; it only changes how the pages speak."""
        language = to if to in LANGUAGES else DEFAULT_LANGUAGE
        token = request.scope["state"].get("session_token")
        if token and request.scope["state"].get("tenant"):
            await service.set_language(token, language)
        return Redirect(
            _safe_next(next, "/"),
            cookies=[Cookie(key=LANG_COOKIE, value=language, path="/", samesite="lax")],
        )
