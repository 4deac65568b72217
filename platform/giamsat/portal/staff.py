"""The committee's side of the portal: read reports, reply, and disclose an identity on approval.

Disclosure (tiết lộ danh tính) takes three people-steps, each audited: a staff member asks with a
reason; a second person with an approver role (standing board or admin) approves; only then may
the requester read the identity, for a limited time. Nothing here returns the identity except
:func:`view_identity`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.columns import Column

from giamsat.accounts.roles import APPROVER_ROLES, STAFF_ROLES
from giamsat.audit.service import record
from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.db.scope import tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from giamsat.portal.identity import Identity, unseal
from giamsat.portal.schemas import DisclosureView, PortalReportView
from giamsat.portal.service import messages_of
from giamsat.portal.tables import DisclosureRequest, PortalMessage, PortalReport
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

#: How long an approved request lets its requester read the identity.
DISCLOSURE_WINDOW = timedelta(hours=1)

_COLUMNS = (
    PortalReport.id,
    PortalReport.signal,
    PortalReport.subject_kind,
    PortalReport.identity_sealed,
    PortalReport.signal.kind,
    PortalReport.signal.subject_text,
    PortalReport.signal.body,
    PortalReport.signal.status,
    PortalReport.signal.received_on,
    PortalReport.signal.anonymous,
)


def _view(row: dict[str, Any], **extra: Any) -> PortalReportView:
    return PortalReportView(
        signal_id=row["signal"],
        kind=row["signal.kind"],
        subject_kind=row["subject_kind"],
        subject=row["signal.subject_text"],
        summary=row["signal.body"][:300],
        status=row["signal.status"],
        received_on=row["signal.received_on"],
        anonymous=row["signal.anonymous"],
        has_identity=row["identity_sealed"] is not None,
        **extra,
    )


def _require_staff(ctx: TenantContext) -> None:
    if ctx.role not in STAFF_ROLES:
        raise PermissionDenied(N_("Your role can only view this."))


async def list_reports(ctx: TenantContext, *, limit: int = 100) -> list[PortalReportView]:
    """The committee's own portal reports, newest first."""
    async with tenant_scope(ctx.path):
        rows = (
            await PortalReport.select(*_COLUMNS)
            .where(PortalReport.committee == ctx.committee_id)
            .order_by(PortalReport.id, ascending=False)
            .limit(limit)
        )
    return [_view(row) for row in rows]


async def page_reports(ctx: TenantContext, request: PageRequest) -> Page[PortalReportView]:
    """One page of the committee's own portal reports, newest first, with their total."""
    where = [PortalReport.committee == ctx.committee_id]
    order: list[Order] = [(PortalReport.id, False)]
    async with tenant_scope(ctx.path):
        rows = await fetch_page(PortalReport, _COLUMNS, where, order, request)
    return rows.map(_view)


async def _own_report(ctx: TenantContext, signal_id: int) -> dict[str, Any]:
    row = (
        await PortalReport.select(*_COLUMNS)
        .where((PortalReport.signal == signal_id) & (PortalReport.committee == ctx.committee_id))
        .first()
    )
    if row is None:
        raise NotFound(
            N_("There is no portal report number %(number)s."),
            field="signal",
            params={"number": signal_id},
        )
    return dict(row)


async def report_detail(ctx: TenantContext, signal_id: int) -> PortalReportView:
    """One report with its thread and disclosure requests (never the identity)."""
    async with tenant_scope(ctx.path):
        row = await _own_report(ctx, signal_id)
        thread = await messages_of(row["id"])
        requests = await _disclosures(row["id"], signal_id)
    return _view(row, messages=thread, disclosures=requests)


async def _disclosures(report_id: int, signal_id: int) -> list[DisclosureView]:
    rows = (
        await DisclosureRequest.select()
        .where(DisclosureRequest.report == report_id)
        .order_by(DisclosureRequest.id)
    )
    return [_disclosure_view(r, signal_id) for r in rows]


def _disclosure_view(row: dict[str, Any], signal_id: int) -> DisclosureView:
    return DisclosureView(
        id=row["id"],
        signal_id=signal_id,
        requested_by=row["requested_by"],
        reason=row["reason"],
        status=row["status"],
        decided_by=row["decided_by"],
        expires_at=row["expires_at"],
        views=row["views"],
    )


async def reply(ctx: TenantContext, signal_id: int, body: str) -> PortalReportView:
    """Post the committee's message to the reporter's thread."""
    _require_staff(ctx)
    text = body.strip()
    if not text or len(text) > 5000:
        raise InvalidInput(N_("The message must be 1 to 5000 characters."), field="body")
    async with tenant_scope(ctx.path):
        row = await _own_report(ctx, signal_id)
        await PortalMessage(
            report=row["id"], tenant_path=ctx.path, author="staff", user_id=ctx.user_id, body=text
        ).save()
        await record(ctx, "portal.staff_reply", "signal", signal_id, {"length": len(text)})
    return await report_detail(ctx, signal_id)


async def request_disclosure(ctx: TenantContext, signal_id: int, reason: str) -> DisclosureView:
    """Ask to see the reporter's identity; a second person must approve."""
    _require_staff(ctx)
    text = reason.strip()
    if len(text) < 10:
        raise InvalidInput(N_("Give the reason (at least 10 characters)."), field="reason")
    async with tenant_scope(ctx.path):
        row = await _own_report(ctx, signal_id)
        if row["identity_sealed"] is None:
            raise Conflict(N_("This report is anonymous: there is no identity."), field="signal")
        request = DisclosureRequest(
            report=row["id"], tenant_path=ctx.path, requested_by=ctx.user_id, reason=text[:1000]
        )
        await request.save()
        await record(
            ctx,
            "identity.disclosure_requested",
            "identity_disclosure",
            request.id,
            {"signal_id": signal_id},
        )
        saved = await DisclosureRequest.select().where(DisclosureRequest.id == request.id).first()
    assert saved is not None
    return _disclosure_view(saved, signal_id)


async def _own_request(
    ctx: TenantContext, request_id: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    request = await DisclosureRequest.select().where(DisclosureRequest.id == request_id).first()
    report = None
    if request is not None:
        report = (
            await PortalReport.select()
            .where(
                (PortalReport.id == request["report"])
                & (PortalReport.committee == ctx.committee_id)
            )
            .first()
        )
    if request is None or report is None:
        raise NotFound(
            N_("There is no request number %(number)s."),
            field="request",
            params={"number": request_id},
        )
    return dict(request), dict(report)


async def decide_disclosure(
    ctx: TenantContext, request_id: int, *, approve: bool
) -> DisclosureView:
    """Approve or refuse a request: an approver role, and never the requester."""
    if ctx.role not in APPROVER_ROLES:
        raise PermissionDenied(N_("The standing board must approve this."))
    async with tenant_scope(ctx.path):
        request, report = await _own_request(ctx, request_id)
        if request["requested_by"] == ctx.user_id:
            raise PermissionDenied(N_("The requester cannot approve their own request."))
        if request["status"] != "pending":
            raise Conflict(N_("This request has already been decided."))
        now = datetime.now(UTC)
        values: dict[Column | str, Any] = {
            DisclosureRequest.status: "approved" if approve else "refused",
            DisclosureRequest.decided_by: ctx.user_id,
            DisclosureRequest.decided_at: now,
            DisclosureRequest.expires_at: now + DISCLOSURE_WINDOW if approve else None,
        }
        await DisclosureRequest.update(values).where(DisclosureRequest.id == request_id)
        await record(
            ctx,
            "identity.disclosure_" + ("approved" if approve else "refused"),
            "identity_disclosure",
            request_id,
            {"signal_id": report["signal"]},
        )
        saved = await DisclosureRequest.select().where(DisclosureRequest.id == request_id).first()
    assert saved is not None
    return _disclosure_view(saved, report["signal"])


async def view_identity(ctx: TenantContext, request_id: int, *, identity_key: str) -> Identity:
    """The identity, for the requester of an approved, unexpired request; each view audited."""
    async with tenant_scope(ctx.path):
        request, report = await _own_request(ctx, request_id)
        if request["requested_by"] != ctx.user_id:
            raise PermissionDenied(N_("Only the requester may view this."))
        expires = request["expires_at"]
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if request["status"] != "approved" or expires is None or expires < datetime.now(UTC):
            raise PermissionDenied(N_("The request is not approved, or it has expired."))
        identity = unseal(
            identity_key,
            report["identity_sealed"],
            committee_id=report["committee"],
            signal_id=report["signal"],
        )
        await DisclosureRequest.update({DisclosureRequest.views: request["views"] + 1}).where(
            DisclosureRequest.id == request_id
        )
        await record(
            ctx,
            "identity.viewed",
            "identity_disclosure",
            request_id,
            {"signal_id": report["signal"]},
        )
    return identity


async def signal_of_request(ctx: TenantContext, request_id: int) -> int:
    """The signal a disclosure request is about."""
    async with tenant_scope(ctx.path):
        _, report = await _own_request(ctx, request_id)
    return int(report["signal"])
