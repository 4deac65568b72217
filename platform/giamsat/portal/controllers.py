"""The public portal (``/portal``, no login) and the committee's portal pages and API.

Public pages are Vietnamese first. The receipt code appears in exactly one response: the page
returned by the submission itself (never a GET URL, so it is not in history or server logs).
"""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from giamsat.channels import ChannelRegistry, SubmissionInvalid
from giamsat.channels.forms import render_fields
from giamsat.db.scope import system_scope
from giamsat.errors import GiamsatError
from giamsat.intake.attachments import MAX_REQUEST_BYTES
from giamsat.intake.context import bare_context
from giamsat.intake.web import flatten, read_form
from giamsat.portal import ratelimit, service, staff
from giamsat.portal.identity import Identity
from giamsat.portal.schemas import (
    DisclosureCreate,
    DisclosureView,
    MessageCreate,
    PortalReportView,
    PortalSubmission,
)
from giamsat.settings import Settings
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.web.guards import approver, current_tenant, logged_in, second_factor_fresh
from giamsat.web.guards import staff as staff_guard
from giamsat.web.i18n import N_
from giamsat.web.list_pages import list_request, pagination
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, paging
from giamsat.web.rendering import error_text, page, request_language

_IDENTITY_FIELDS = ("name", "phone", "address", "email")


def client_of(request: Request[Any, Any, Any], settings: Settings) -> str:
    host = request.client.host if request.client else "unknown"
    return ratelimit.client_key(host, settings.secret_key)


async def _form_page(
    request: Request[Any, Any, Any],
    registry: ChannelRegistry,
    code: str,
    values: dict[str, Any] | None = None,
    errors: list[Any] | None = None,
    message: str = "",
    status: int = 200,
) -> Template:
    ctx = await service.committee_context(code)
    schema = registry.form(service.CHANNEL, bare_context(ctx), service.FORM)
    return page(
        request,
        "portal/report.html",
        status_code=status,
        committee=ctx,
        # a report is about a cadre unless the reporter chooses an organisation
        fields=render_fields(
            schema,
            values or {"subject_kind": "cadre"},
            errors or [],
            request_language(request),
        ),
        values=values or {},
        message=message,
        token=secrets.token_urlsafe(24),
    )


class PortalPages(Controller):
    path = "/portal"
    include_in_schema = False

    @get("/")
    async def choose(self, request: Request[Any, Any, Any], q: str = "") -> Template:
        async with system_scope():
            found = await CommitteeRepository().search(q, limit=30) if q.strip() else []
        return page(request, "portal/choose.html", q=q, found=found)

    @get("/{committee:str}/report")
    async def report_form(
        self, request: Request[Any, Any, Any], committee: str, channel_registry: ChannelRegistry
    ) -> Template:
        return await _form_page(request, channel_registry, committee)

    @post("/{committee:str}/report", request_max_body_size=MAX_REQUEST_BYTES)
    async def submit(
        self,
        request: Request[Any, Any, Any],
        committee: str,
        settings: Settings,
        channel_registry: ChannelRegistry,
    ) -> Template:
        raw, uploads = await read_form(request)
        values = {k: v for k, v in flatten(raw).items() if isinstance(v, str)}
        anonymous = values.pop("anonymous", "") == "on" or not any(
            values.get(f, "").strip() for f in _IDENTITY_FIELDS
        )
        identity = Identity(**{f: values.pop(f, "").strip()[:200] for f in _IDENTITY_FIELDS})
        submission = PortalSubmission(
            committee=committee,
            subject_kind="organisation"
            if values.get("subject_kind") == "organisation"
            else "cadre",
            values=values,
            anonymous=anonymous,
            identity=None if anonymous else identity,
            token=values.pop("token", None),
        )
        try:
            receipt = await service.submit_report(
                channel_registry,
                submission,
                client=client_of(request, settings),
                identity_key=settings.identity_key,
                uploads=uploads,
                limits=ratelimit.limits_from(settings),
            )
        except SubmissionInvalid as exc:
            return await _form_page(
                request, channel_registry, committee, values, exc.errors, status=422
            )
        except GiamsatError as exc:
            if exc.status_code in (404, 429):
                raise
            return await _form_page(
                request,
                channel_registry,
                committee,
                values,
                message=error_text(request, exc),
                status=exc.status_code,
            )
        return page(request, "portal/receipt.html", status_code=201, receipt=receipt)

    @get("/status")
    async def status_form(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "portal/status.html", status=None, code="", error="")

    @post("/status")
    async def status(self, request: Request[Any, Any, Any], settings: Settings) -> Template:
        form = await request.form()
        code = str(form.get("code", ""))
        body = str(form.get("body", ""))
        client = client_of(request, settings)
        limits = ratelimit.limits_from(settings)
        try:
            if body.strip():
                report = await service.post_reporter_message(
                    code, body, client=client, limits=limits
                )
            else:
                report = await service.read_status(code, client=client, limits=limits)
        except GiamsatError as exc:
            if exc.status_code == 429:
                raise
            return page(
                request,
                "portal/status.html",
                status_code=exc.status_code,
                status=None,
                code="",
                error=error_text(request, exc),
            )
        return page(request, "portal/status.html", status=report, code=code, error="")


class StaffPortalPages(Controller):
    path = "/c/{code:str}/portal"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        asked = list_request(request)
        listed = await staff.page_reports(current_tenant(request), asked.page)
        return page(
            request,
            "portal/staff_index.html",
            reports=listed.items,
            pagination=pagination(asked.query, listed),
        )

    @get("/{signal:int}")
    async def detail(self, request: Request[Any, Any, Any], signal: int) -> Template:
        report = await staff.report_detail(current_tenant(request), signal)
        return page(request, "portal/staff_detail.html", report=report, identity=None)

    @post("/{signal:int}/reply", guards=[staff_guard])
    async def reply(self, request: Request[Any, Any, Any], signal: int) -> Redirect:
        form = await request.form()
        ctx = current_tenant(request)
        await staff.reply(ctx, signal, str(form.get("body", "")))
        return Redirect(f"/c/{ctx.committee_code}/portal/{signal}")

    @post("/{signal:int}/disclosures", guards=[staff_guard])
    async def ask(self, request: Request[Any, Any, Any], signal: int) -> Redirect:
        form = await request.form()
        ctx = current_tenant(request)
        await staff.request_disclosure(ctx, signal, str(form.get("reason", "")))
        return Redirect(f"/c/{ctx.committee_code}/portal/{signal}")

    @post("/disclosures/{request_id:int}/approve", guards=[approver])
    async def approve(self, request: Request[Any, Any, Any], request_id: int) -> Redirect:
        return await self._decide(request, request_id, approve=True)

    @post("/disclosures/{request_id:int}/refuse", guards=[approver])
    async def refuse(self, request: Request[Any, Any, Any], request_id: int) -> Redirect:
        return await self._decide(request, request_id, approve=False)

    async def _decide(
        self, request: Request[Any, Any, Any], request_id: int, *, approve: bool
    ) -> Redirect:
        ctx = current_tenant(request)
        view = await staff.decide_disclosure(ctx, request_id, approve=approve)
        return Redirect(f"/c/{ctx.committee_code}/portal/{view.signal_id}")

    @post("/disclosures/{request_id:int}/view", guards=[staff_guard, second_factor_fresh])
    async def view(
        self, request: Request[Any, Any, Any], request_id: int, settings: Settings
    ) -> Template:
        """Show the identity once, on this response only (the request must be approved)."""
        ctx = current_tenant(request)
        identity = await staff.view_identity(ctx, request_id, identity_key=settings.identity_key)
        report = await staff.report_detail(ctx, await staff.signal_of_request(ctx, request_id))
        return page(request, "portal/staff_detail.html", report=report, identity=identity)


class StaffPortalApi(Controller):
    path = "/api/v1/portal"
    tags = ["portal"]
    guards = [logged_in]

    @get("/reports")
    async def reports(
        self, request: Request[Any, Any, Any], limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[PortalReportView]:
        """The committee's portal reports, newest first (never the reporter's identity)."""
        return await staff.page_reports(current_tenant(request), paging(limit, offset))

    @get("/reports/{signal:int}")
    async def report(self, request: Request[Any, Any, Any], signal: int) -> PortalReportView:
        """One citizens' report of the committee with its messages; the identity is never
        included."""
        return await staff.report_detail(current_tenant(request), signal)

    @post("/reports/{signal:int}/messages", guards=[staff_guard], status_code=201)
    async def reply(
        self, request: Request[Any, Any, Any], signal: int, data: MessageCreate
    ) -> PortalReportView:
        """Reply to the reporter; they read it with their receipt code."""
        return await staff.reply(current_tenant(request), signal, data.body)

    @post("/reports/{signal:int}/disclosures", guards=[staff_guard], status_code=201)
    async def ask(
        self, request: Request[Any, Any, Any], signal: int, data: DisclosureCreate
    ) -> DisclosureView:
        """Ask to see the reporter's identity, with a reason; a second approver must agree."""
        return await staff.request_disclosure(current_tenant(request), signal, data.reason)

    @post("/disclosures/{request_id:int}/approve", guards=[approver], status_code=200)
    async def approve(self, request: Request[Any, Any, Any], request_id: int) -> DisclosureView:
        """Approve a request to see a reporter's identity (a second approver of the standing
        board)."""
        return await staff.decide_disclosure(current_tenant(request), request_id, approve=True)

    @post("/disclosures/{request_id:int}/refuse", guards=[approver], status_code=200)
    async def refuse(self, request: Request[Any, Any, Any], request_id: int) -> DisclosureView:
        """Refuse a request to see a reporter's identity."""
        return await staff.decide_disclosure(current_tenant(request), request_id, approve=False)

    @get("/disclosures/{request_id:int}/identity", guards=[staff_guard, second_factor_fresh])
    async def identity(
        self, request: Request[Any, Any, Any], request_id: int, settings: Settings
    ) -> Identity:
        """The identity, to the requester of an approved, unexpired request (audited)."""
        return await staff.view_identity(
            current_tenant(request), request_id, identity_key=settings.identity_key
        )


ROUTES = [PortalPages, StaffPortalPages, StaffPortalApi]
NAV = [("/c/{code}/portal/", N_("Citizens' reports"))]
