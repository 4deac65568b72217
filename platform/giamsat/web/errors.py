"""Map every error to HTTP in one place: JSON under /api, a readable page elsewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.exceptions import ValidationException as LitestarValidation
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from giamsat.errors import GiamsatError, NotAuthenticated
from giamsat.web.i18n import N_

#: What an error page says first, by status; the message below it says what happened.
_HEADINGS = {
    400: N_("Please check what you entered"),
    403: N_("You cannot do this here"),
    404: N_("Page not found"),
    405: N_("Page not found"),
    409: N_("This has changed in the meantime"),
    422: N_("Please check what you entered"),
    429: N_("Too many attempts"),
    500: N_("Sorry, something went wrong"),
}


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def _respond(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    extra: object = None,
    headers: dict[str, str] | None = None,
    params: dict[str, object] | None = None,
) -> Response[Any]:
    from giamsat.web.rendering import page, translator

    # pages and the API share one catalogue: the message in the user's language (the
    # Accept-Language of an API call without a session; Vietnamese by default)
    tr = translator(request)
    text = tr.gettext(message, **params) if params else tr.gettext(message)
    if _is_api(request):
        body: dict[str, object] = {"error": code, "message": text}
        if field:
            body["field"] = field
        if extra:
            body["detail"] = extra
        return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)
    if status == 401:
        return Redirect(f"/login?next={quote(request.url.path)}")
    response = page(
        request,
        "error.html",
        status_code=status,
        status=status,
        heading=tr.gettext(_HEADINGS.get(status, _HEADINGS[400])),
        message=text,
        code=code,
    )
    response.headers.update(headers or {})
    return response


def giamsat_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, GiamsatError)
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if isinstance(retry, int) else None
    return _respond(
        request,
        exc.status_code,
        exc.code,
        exc.template,
        exc.field,
        headers=headers,
        params=exc.params,
    )


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, LitestarValidation):
        return _respond(
            request,
            400,
            "invalid_request",
            N_("The request is not valid."),
            extra=exc.extra,
        )
    if isinstance(exc, NotAuthorizedException):
        return _respond(request, 401, NotAuthenticated.code, N_("Please log in."))
    if isinstance(exc, PermissionDeniedException):
        if "csrf" in exc.detail.lower():
            return _respond(request, 403, "csrf", _CSRF_MESSAGE)
        return _respond(request, 403, "permission_denied", exc.detail)
    if exc.status_code in (404, 405):
        allow = {"Allow": exc.headers["allow"]} if exc.headers and "allow" in exc.headers else None
        return _respond(
            request, exc.status_code, "not_found", N_("There is no page here."), headers=allow
        )
    return _respond(request, exc.status_code, "http_error", exc.detail)


_CSRF_MESSAGE = N_(
    "The form was out of date. Go back, reload the page and send it again; nothing was saved."
)


def stored_value_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """PostgreSQL refused a value (SQLSTATE class 22: a number out of range, a NUL in text):
    the input was bad, and the transaction was rolled back."""
    return _respond(
        request,
        400,
        "invalid_input",
        N_(
            "A value is out of range or holds a character that cannot be stored; nothing was saved."
        ),
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    request.logger.exception("unhandled error", exc_info=exc)
    return _respond(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "internal_error",
        N_("An internal error occurred; nothing was changed."),
    )


EXCEPTION_HANDLERS = {
    GiamsatError: giamsat_error_handler,
    asyncpg.exceptions.DataError: stored_value_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
