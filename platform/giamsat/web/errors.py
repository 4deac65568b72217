"""Map every error to HTTP in one place: JSON under /api, a readable page elsewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.exceptions import ValidationException as LitestarValidation
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from giamsat.errors import GiamsatError, NotAuthenticated


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def _respond(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    extra: object = None,
) -> Response[Any]:
    if _is_api(request):
        body: dict[str, object] = {"error": code, "message": message}
        if field:
            body["field"] = field
        if extra:
            body["detail"] = extra
        return Response(body, status_code=status, media_type=MediaType.JSON)
    if status == 401:
        return Redirect(f"/login?next={quote(request.url.path)}")
    from giamsat.web.rendering import page

    return page(
        request, "error.html", status_code=status, status=status, message=message, code=code
    )


def giamsat_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, GiamsatError)
    return _respond(request, exc.status_code, exc.code, exc.message, exc.field)


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, LitestarValidation):
        return _respond(
            request,
            400,
            "invalid_request",
            "Dữ liệu không hợp lệ (invalid request)",
            extra=exc.extra,
        )
    if isinstance(exc, NotAuthorizedException):
        return _respond(request, 401, NotAuthenticated.code, "Cần đăng nhập (login required)")
    if isinstance(exc, PermissionDeniedException):
        return _respond(request, 403, "permission_denied", exc.detail)
    return _respond(request, exc.status_code, "http_error", exc.detail)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    request.logger.exception("unhandled error", exc_info=exc)
    return _respond(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "internal_error",
        "Lỗi hệ thống (internal error); nothing was changed",
    )


EXCEPTION_HANDLERS = {
    GiamsatError: giamsat_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
