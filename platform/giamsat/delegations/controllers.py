"""Delegation pages and API, with the five documents as .docx downloads."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from giamsat.db.scope import tenant_scope
from giamsat.delegations import costs, service
from giamsat.delegations.documents import DOCUMENT_NAMES, export_document
from giamsat.delegations.downloads import DOCX, DocumentFile
from giamsat.delegations.plan_pages import DelegationPlanPages
from giamsat.delegations.repository import page_delegations, view
from giamsat.delegations.schemas import (
    Answer,
    Decision,
    DelegationPlan,
    DelegationSummary,
    DelegationView,
    DocumentName,
    Letter,
    Minutes,
    Notice,
    NoticeSetting,
    ReportReceived,
    Results,
)
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import approver, current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.list_pages import list_request, pagination
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, paging
from giamsat.web.rendering import page


def _download(file: DocumentFile) -> Response[bytes]:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": content_disposition(file.name, file.ascii_name)},
    )


class DelegationApi(Controller):
    path = "/api/v1/delegations"
    tags = ["delegations"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[DelegationSummary]:
        """The delegations of the caller's committee and subtree, newest first."""
        ctx = current_tenant(request)
        async with tenant_scope(ctx.path):
            return await page_delegations(ctx, paging(limit, offset))

    @post("/", guards=[staff])
    async def create(self, request: Request[Any, Any, Any], data: DelegationPlan) -> DelegationView:
        """Plan a supervision (kế hoạch giám sát): what, whom, over which period, optionally for a
        case of the subtree."""
        return await service.plan(current_tenant(request), data)

    @get("/{delegation_id:int}")
    async def show(self, request: Request[Any, Any, Any], delegation_id: int) -> DelegationView:
        """One delegation of the caller's committee, with members, sessions, costs and documents."""
        ctx = current_tenant(request)
        async with tenant_scope(ctx.path):
            return await view(ctx, delegation_id)

    @post("/{delegation_id:int}/decision", guards=[staff], status_code=200)
    async def decision(
        self, request: Request[Any, Any, Any], delegation_id: int, data: Decision
    ) -> DelegationView:
        """Form the delegation (quyết định thành lập): exactly one head and at least one
        secretary."""
        return await service.decide(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/notice", guards=[staff], status_code=200)
    async def notice(
        self, request: Request[Any, Any, Any], delegation_id: int, data: Notice
    ) -> DelegationView:
        """Send the notice and report outline with the working sessions, ahead of the first one."""
        return await service.send_notice(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/report", guards=[staff], status_code=200)
    async def report(
        self, request: Request[Any, Any, Any], delegation_id: int, data: ReportReceived
    ) -> DelegationView:
        """Record the day the supervised body's report was received."""
        return await service.receive_report(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/minutes", guards=[staff], status_code=200)
    async def minutes(
        self, request: Request[Any, Any, Any], delegation_id: int, data: Minutes
    ) -> DelegationView:
        """Record the minutes of one working session of the delegation."""
        return await service.record_minutes(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/results", guards=[staff], status_code=200)
    async def results(
        self, request: Request[Any, Any, Any], delegation_id: int, data: Results
    ) -> DelegationView:
        """Record the results report (báo cáo kết quả giám sát) with its findings."""
        return await service.report_results(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/letter", guards=[staff], status_code=200)
    async def letter(
        self, request: Request[Any, Any, Any], delegation_id: int, data: Letter
    ) -> DelegationView:
        """Send the recommendation letter (văn bản kiến nghị); each recommendation is then
        followed."""
        return await service.send_letter(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/answer", guards=[staff], status_code=200)
    async def answer(
        self, request: Request[Any, Any, Any], delegation_id: int, data: Answer
    ) -> DelegationView:
        """Record the supervised body's answer to the recommendation letter."""
        return await service.record_answer(current_tenant(request), delegation_id, data)

    @post("/{delegation_id:int}/costs", guards=[staff], status_code=200)
    async def compute_costs(
        self, request: Request[Any, Any, Any], delegation_id: int
    ) -> DelegationView:
        """Compute the delegation's costs from the committee's rates (Circular 337)."""
        return await costs.compute_costs(current_tenant(request), delegation_id)

    @get("/{delegation_id:int}/documents/{name:str}", media_type=DOCX)
    async def document(
        self, request: Request[Any, Any, Any], delegation_id: int, name: DocumentName
    ) -> Response[bytes]:
        """One of the five documents as a Word file (decision, notice, outline, results, letter)."""
        return _download(await export_document(current_tenant(request), delegation_id, name))

    @post("/settings", guards=[approver], status_code=200)
    async def settings(self, request: Request[Any, Any, Any], data: NoticeSetting) -> NoticeSetting:
        """Set how many days ahead the committee's notices must be sent."""
        days = await service.set_min_notice_days(current_tenant(request), data)
        return NoticeSetting(min_notice_days=days)

    @post("/rates", guards=[approver], status_code=200)
    async def rate(self, request: Request[Any, Any, Any], data: costs.Rate) -> costs.Rate:
        """Change one Thông tư 337 budget rate for the committee (with its verified flag)."""
        return await costs.set_rate(current_tenant(request), data)


class DelegationPages(Controller):
    path = "/c/{code:str}/delegations"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        asked = list_request(request)
        ctx = current_tenant(request)
        async with tenant_scope(ctx.path):
            listed = await page_delegations(ctx, asked.page)
        return page(
            request,
            "delegations/list.html",
            items=listed.items,
            pagination=pagination(asked.query, listed),
        )

    @get("/{delegation_id:int}")
    async def show(
        self, request: Request[Any, Any, Any], code: str, delegation_id: int
    ) -> Template:
        ctx = current_tenant(request)
        async with tenant_scope(ctx.path):
            d = await view(ctx, delegation_id)
        return page(request, "delegations/detail.html", d=d, labels=DOCUMENT_NAMES)

    @get("/{delegation_id:int}/documents/{name:str}")
    async def document(
        self, request: Request[Any, Any, Any], code: str, delegation_id: int, name: DocumentName
    ) -> Response[bytes]:
        return _download(await export_document(current_tenant(request), delegation_id, name))


ROUTES = [DelegationApi, DelegationPlanPages, DelegationPages]
NAV = [("/c/{code}/delegations", N_("Delegations"))]
