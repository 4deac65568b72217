"""Rendering helpers shared by page controllers: language, translations, the current user."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from giamsat.errors import GiamsatError
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import Translator, page_texts, pick_language

LANG_COOKIE = "giamsat_lang"


def request_language(request: Request[Any, Any, Any]) -> str:
    ctx = request.scope.get("state", {}).get("tenant")
    if isinstance(ctx, TenantContext):
        return ctx.language
    return pick_language(
        request.query_params.get("lang") or request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def translator(request: Request[Any, Any, Any]) -> Translator:
    """The texts of the request's language, for messages built in Python."""
    return Translator(request_language(request))


def page(
    request: Request[Any, Any, Any], name: str, status_code: int = 200, **context: Any
) -> Template:
    lang = request_language(request)
    ctx = request.scope.get("state", {}).get("tenant")
    return Template(
        name,
        context={
            **page_texts(lang),
            **context,
            "lang": lang,
            "user": ctx if isinstance(ctx, TenantContext) else None,
        },
        status_code=status_code,
    )


def error_text(request: Request[Any, Any, Any], exc: GiamsatError) -> str:
    """A refusal in the request's language, for a page that shows it beside the form."""
    return translator(request).gettext(exc.template, **exc.params)
