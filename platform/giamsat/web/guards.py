"""Guards: a logged-in user, acting in its own committee's space, with a role that may act."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from giamsat.accounts.roles import APPROVER_ROLES, STAFF_ROLES, Role
from giamsat.errors import NotAuthenticated, PermissionDenied
from giamsat.tenancy.context import TenantContext


def current_tenant(connection: ASGIConnection[Any, Any, Any, Any]) -> TenantContext:
    ctx = connection.scope.get("state", {}).get("tenant")
    if not isinstance(ctx, TenantContext):
        raise NotAuthenticated("Cần đăng nhập (login required)")
    return ctx


def logged_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any user; on ``/c/{code}/…`` routes the code must be the user's own committee."""
    ctx = current_tenant(connection)
    code = connection.path_params.get("code")
    if code is not None and code != ctx.committee_code:
        raise PermissionDenied(
            "Bạn không có quyền truy cập đơn vị này (you cannot act for this committee)"
        )


def staff(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    logged_in(connection, handler)
    if current_tenant(connection).role not in STAFF_ROLES:
        raise PermissionDenied("Vai trò của bạn chỉ được xem (your role is read-only here)")


def approver(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    logged_in(connection, handler)
    if current_tenant(connection).role not in APPROVER_ROLES:
        raise PermissionDenied("Cần Ban Thường trực phê duyệt (standing board approval required)")


def admin(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    logged_in(connection, handler)
    if current_tenant(connection).role != Role.ADMIN:
        raise PermissionDenied("Chỉ quản trị viên (administrators only)")


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
            f"Cần xác thực hai lớp lại (trong {minutes} phút gần nhất) trước khi xem danh tính "
            f"(check your second factor again, within the last {minutes} minutes, before "
            "viewing an identity; API: log in again with your code)"
        )


def top_admin(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """An administrator of a committee at the top of the tree (national data: the calendar)."""
    admin(connection, handler)
    if current_tenant(connection).path.strip("/").count("/"):
        raise PermissionDenied(
            "Chỉ quản trị viên của Ủy ban cấp cao nhất (only administrators of the top committee)"
        )
