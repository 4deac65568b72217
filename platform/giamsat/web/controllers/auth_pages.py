"""Login, logout, password change and language switch for people (server-side sessions)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.accounts import service, two_factor
from giamsat.errors import GiamsatError, NotAuthenticated
from giamsat.settings import Settings
from giamsat.web.guards import current_tenant, logged_in
from giamsat.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from giamsat.web.middleware import SESSION_COOKIE
from giamsat.web.rendering import LANG_COOKIE, error_text, page
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


class CodeForm(msgspec.Struct):
    code: str = ""
    next: str = ""


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address (a trusted proxy's ``X-Forwarded-For`` already applied)."""
    return request.client.host if request.client else "unknown"


def session_cookies(
    request: Request[Any, Any, Any], settings: Settings, token: str, *, pending: bool = False
) -> list[Cookie]:
    """The session cookie and, for a session in force, the CSRF cookie bound to it."""
    secure = cookies_secure(settings.secure_cookies, request.scope)
    session = Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
        max_age=600 if pending else settings.session_hours * 3600,
    )
    if pending:
        return [session]
    return [session, csrf_cookie(session_csrf_token(settings.secret_key, token), secure)]


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
        client = client_address(request)
        try:
            result = await service.login_page(
                settings,
                data.committee,
                data.username,
                data.password,
                client,
                language=request.cookies.get(LANG_COOKIE, ""),
            )
        except GiamsatError as exc:
            return page(
                request,
                "login.html",
                status_code=exc.status_code,
                committee=data.committee,
                next=data.next,
                error=error_text(request, exc),
            )
        token = result.session
        target = _safe_next(data.next, f"/c/{token.committee}/")
        if result.stage:
            step = "/login/second-factor" if result.stage == "verify" else "/login/two-factor-setup"
            return Redirect(
                f"{step}?{urlencode({'next': target})}",
                cookies=session_cookies(request, settings, token.token, pending=True),
            )
        return Redirect(target, cookies=session_cookies(request, settings, token.token))

    @get("/login/second-factor")
    async def second_factor_form(
        self, request: Request[Any, Any, Any], next: str = ""
    ) -> Template | Redirect:
        if await service.pending(request.scope["state"]["session_token"]) is None:
            return Redirect("/login")
        return self._code_page(request, next)

    def _code_page(
        self,
        request: Request[Any, Any, Any],
        next: str,
        error: str | None = None,
        status: int = 200,
    ) -> Template:
        return page(
            request,
            "accounts/second_factor.html",
            status_code=status,
            action="/login/second-factor",
            next=next,
            error=error,
            recheck=False,
        )

    @post("/login/second-factor")
    async def second_factor(
        self, request: Request[Any, Any, Any], settings: Settings, data: Annotated[CodeForm, Form]
    ) -> Template | Redirect:
        token = request.scope["state"]["session_token"]
        try:
            session = await service.finish_second_factor(
                settings, token, data.code, client_address(request)
            )
        except NotAuthenticated:
            return Redirect("/login")
        except GiamsatError as exc:
            return self._code_page(request, data.next, error_text(request, exc), exc.status_code)
        target = _safe_next(data.next, f"/c/{session.committee}/")
        return Redirect(target, cookies=session_cookies(request, settings, session.token))

    @get("/login/two-factor-setup")
    async def setup_form(
        self, request: Request[Any, Any, Any], next: str = ""
    ) -> Template | Redirect:
        waiting = await service.pending(request.scope["state"]["session_token"])
        if waiting is None or waiting.stage != "enrol":
            return Redirect("/login")
        return await self._setup_page(request, waiting.user_id, next)

    async def _setup_page(
        self,
        request: Request[Any, Any, Any],
        user_id: int,
        next: str,
        error: str | None = None,
        status: int = 200,
    ) -> Template:
        enrolment = await two_factor.begin_enrolment(user_id)
        return page(request, "accounts/two_factor_setup.html", status_code=status,
                    action="/login/two-factor-setup", enrolment=enrolment, next=next,
                    error=error, required=True)  # fmt: skip

    @post("/login/two-factor-setup")
    async def setup(
        self, request: Request[Any, Any, Any], settings: Settings, data: Annotated[CodeForm, Form]
    ) -> Template | Redirect:
        token = request.scope["state"]["session_token"]
        waiting = await service.pending(token)
        if waiting is None or waiting.stage != "enrol":
            return Redirect("/login")
        try:
            session, codes = await service.finish_enrolment(
                settings, token, data.code, client_address(request)
            )
        except GiamsatError as exc:
            return await self._setup_page(
                request, waiting.user_id, data.next, error_text(request, exc), exc.status_code
            )
        response = page(request, "accounts/recovery_codes.html", codes=codes,
                        next=_safe_next(data.next, f"/c/{session.committee}/"))  # fmt: skip
        for cookie in session_cookies(request, settings, session.token):
            response.set_cookie(cookie)
        return response

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
                error=error_text(request, exc),
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
