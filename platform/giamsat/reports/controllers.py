"""Pages (/c/{code}/reports, /c/{code}/dashboard) and the JSON API (/api/v1/reports).

Thin: parse, call one service function, return a struct, a page or a file.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_201_CREATED

from giamsat import clock
from giamsat.channels import ChannelRegistry
from giamsat.reports import exports
from giamsat.reports.channel_sections import channel_parts
from giamsat.reports.dashboard import build_dashboard
from giamsat.reports.drafts import SavedDraft, save_draft
from giamsat.reports.labels import STATUS_LABELS, figure_label, status_label
from giamsat.reports.pdf import docx_to_pdf
from giamsat.reports.plan import ReportingPlan, plan_for
from giamsat.reports.schedule import chase, status_tree
from giamsat.reports.schemas import (
    ChaseResult,
    DraftRequest,
    ReportView,
    StatusTree,
    SubmissionView,
    SubmitRequest,
)
from giamsat.reports.submissions import draft_report, submit, submitted_report
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.paging import Depth
from giamsat.web.rendering import page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def today() -> date:
    return clock.today()


async def _plan_and_period(
    request: Request[Any, Any, Any], period: str
) -> tuple[ReportingPlan, str]:
    plan = await _plan(request)
    return plan, period or plan.current_period(today()).id


async def _plan(request: Request[Any, Any, Any]) -> ReportingPlan:
    """The reporting plan of the caller's committee: one period per pack published over it."""
    return await plan_for(current_tenant(request).path)


def _file(content: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition(name)},
    )


async def _report(
    request: Request[Any, Any, Any],
    registry: ChannelRegistry,
    plan: ReportingPlan,
    period_id: str,
    *,
    leaving: bool,
) -> ReportView:
    """The committee's report with each enabled channel's part."""
    ctx = current_tenant(request)
    view = await draft_report(ctx, plan, period_id, today(), leaving=leaving)
    parts = await channel_parts(ctx, registry, plan, period_id, leaving=leaving)
    return msgspec.structs.replace(view, channels=parts)


async def _export(
    request: Request[Any, Any, Any], registry: ChannelRegistry, period: str, kind: str
) -> Response[bytes]:
    ctx = current_tenant(request)
    plan, period_id = await _plan_and_period(request, period)
    view = await _report(request, registry, plan, period_id, leaving=True)
    name = f"Báo cáo kết quả giám sát {ctx.committee_code} {period_id}"
    if kind == "pdf":
        # soffice blocks for seconds: convert in a worker thread, not on the event loop.
        content = await asyncio.to_thread(docx_to_pdf, exports.docx_bytes(view, plan, today()))
        return _file(content, PDF, name + ".pdf")
    if kind == "docx":
        return _file(exports.docx_bytes(view, plan, today()), DOCX, name + ".docx")
    return _file(exports.workbook_bytes(view), XLSX, name + ".xlsx")


class ReportPages(Controller):
    include_in_schema = False
    guards = [logged_in]

    @get("/c/{code:str}/reports")
    async def status(
        self,
        request: Request[Any, Any, Any],
        code: str,
        channel_registry: ChannelRegistry,
        period: str = "",
        notice: str = "",
        show: str = "",
    ) -> Template:
        ctx = current_tenant(request)
        plan, period_id = await _plan_and_period(request, period)
        tree = await status_tree(ctx, plan, period_id, today())
        view = await _report(request, channel_registry, plan, period_id, leaving=False)
        return page(
            request,
            "reports/status.html",
            tree=tree,
            view=view,
            plan=plan,
            figure_label=figure_label,
            status_label=status_label,
            notice=notice,
            show=show if show in STATUS_LABELS else "",
        )

    @post("/c/{code:str}/reports/submit", guards=[staff])
    async def submit_form(self, request: Request[Any, Any, Any], code: str) -> Redirect:
        ctx = current_tenant(request)
        form = await request.form()
        plan, period_id = await _plan_and_period(request, str(form.get("period", "")))
        narrative = {s.key: str(form.get(s.key, "")) for s in plan.mandatory_sections}
        await submit(
            ctx,
            plan,
            period_id,
            SubmitRequest(narrative=narrative, reason=str(form.get("reason", ""))),
            today(),
        )
        return Redirect(f"/c/{code}/reports?period={period_id}&notice=submitted")

    @post("/c/{code:str}/reports/chase", guards=[staff])
    async def chase_form(self, request: Request[Any, Any, Any], code: str) -> Redirect:
        ctx = current_tenant(request)
        form = await request.form()
        plan, period_id = await _plan_and_period(request, str(form.get("period", "")))
        await chase(ctx, plan, period_id, str(form.get("child", "")), today())
        return Redirect(f"/c/{code}/reports?period={period_id}&notice=chased")

    @get("/c/{code:str}/reports/child/{child:str}")
    async def child(
        self, request: Request[Any, Any, Any], code: str, child: str, period: str = ""
    ) -> Template:
        plan, period_id = await _plan_and_period(request, period)
        view = await submitted_report(current_tenant(request), plan, period_id, child, today())
        return page(
            request,
            "reports/report.html",
            view=view,
            plan=plan,
            figure_label=figure_label,
            status_label=status_label,
        )

    @get("/c/{code:str}/reports/print")
    async def print_view(
        self,
        request: Request[Any, Any, Any],
        code: str,
        channel_registry: ChannelRegistry,
        period: str = "",
    ) -> Template:
        plan, period_id = await _plan_and_period(request, period)
        view = await _report(request, channel_registry, plan, period_id, leaving=True)
        return page(
            request,
            "reports/report.html",
            view=view,
            plan=plan,
            figure_label=figure_label,
            status_label=status_label,
        )

    @get("/c/{code:str}/reports/export.docx")
    async def export_docx(
        self,
        request: Request[Any, Any, Any],
        code: str,
        channel_registry: ChannelRegistry,
        period: str = "",
    ) -> Response[bytes]:
        return await _export(request, channel_registry, period, "docx")

    @get("/c/{code:str}/reports/export.pdf")
    async def export_pdf(
        self,
        request: Request[Any, Any, Any],
        code: str,
        channel_registry: ChannelRegistry,
        period: str = "",
    ) -> Response[bytes]:
        return await _export(request, channel_registry, period, "pdf")

    @post("/c/{code:str}/reports/draft", guards=[staff])
    async def draft_form(self, request: Request[Any, Any, Any], code: str) -> Redirect:
        ctx = current_tenant(request)
        form = await request.form()
        plan, period_id = await _plan_and_period(request, str(form.get("period", "")))
        narrative = {s.key: str(form.get(s.key, "")) for s in plan.mandatory_sections}
        await save_draft(ctx, plan, period_id, narrative)
        return Redirect(f"/c/{code}/reports?period={period_id}&notice=draft_saved")

    @get("/c/{code:str}/reports/export.xlsx")
    async def export_xlsx(
        self,
        request: Request[Any, Any, Any],
        code: str,
        channel_registry: ChannelRegistry,
        period: str = "",
    ) -> Response[bytes]:
        return await _export(request, channel_registry, period, "xlsx")

    @get("/c/{code:str}/dashboard")
    async def dashboard(
        self, request: Request[Any, Any, Any], code: str, period: str = ""
    ) -> Template:
        plan, period_id = await _plan_and_period(request, period)
        board = await build_dashboard(current_tenant(request), plan, period_id, today())
        return page(
            request,
            "reports/dashboard.html",
            board=board,
            plan=plan,
            figure_label=figure_label,
            status_label=status_label,
        )


class ReportsApi(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    guards = [logged_in]

    @get("/{period:str}/draft")
    async def draft(
        self, request: Request[Any, Any, Any], period: str, channel_registry: ChannelRegistry
    ) -> ReportView:
        """The caller's report for ``period`` as it stands (exact: it stays in the committee),
        with each enabled channel's part."""
        plan = await _plan(request)
        return await _report(request, channel_registry, plan, period, leaving=False)

    @post("/{period:str}/submissions", guards=[staff], status_code=HTTP_201_CREATED)
    async def submissions(
        self, request: Request[Any, Any, Any], period: str, data: SubmitRequest
    ) -> SubmissionView:
        """Submit (or resubmit with a reason) the committee's or a partner's report."""
        return await submit(current_tenant(request), await _plan(request), period, data, today())

    @get("/{period:str}/status")
    async def status(
        self, request: Request[Any, Any, Any], period: str, depth: Depth = 2
    ) -> StatusTree:
        """Which committees below have submitted, are late or missing."""
        return await status_tree(
            current_tenant(request), await _plan(request), period, today(), depth
        )

    @post("/{period:str}/chase/{committee:str}", guards=[staff], status_code=HTTP_201_CREATED)
    async def chase(
        self, request: Request[Any, Any, Any], period: str, committee: str
    ) -> ChaseResult:
        """Remind a committee below that its report is due (in-app notification and e-mail)."""
        return await chase(
            current_tenant(request), await _plan(request), period, committee, today()
        )

    @get("/{period:str}/children/{committee:str}")
    async def child(
        self, request: Request[Any, Any, Any], period: str, committee: str
    ) -> ReportView:
        """A committee below, as submitted, with small counts suppressed."""
        return await submitted_report(
            current_tenant(request), await _plan(request), period, committee, today()
        )

    @get("/{period:str}/export.docx", media_type=DOCX)
    async def export_docx(
        self, request: Request[Any, Any, Any], period: str, channel_registry: ChannelRegistry
    ) -> Response[bytes]:
        """The period's report as a Word document."""
        return await _export(request, channel_registry, period, "docx")

    @put("/{period:str}/draft-narrative", guards=[staff])
    async def save_draft(
        self, request: Request[Any, Any, Any], period: str, data: DraftRequest
    ) -> SavedDraft:
        """Save the narrative as a draft (blank sections allowed); shown again until submitted."""
        return await save_draft(
            current_tenant(request), await _plan(request), period, dict(data.narrative)
        )

    @get("/{period:str}/export.pdf", media_type=PDF)
    async def export_pdf(
        self, request: Request[Any, Any, Any], period: str, channel_registry: ChannelRegistry
    ) -> Response[bytes]:
        """The results report as PDF (503 when LibreOffice is not installed on the server)."""
        return await _export(request, channel_registry, period, "pdf")

    @get("/{period:str}/export.xlsx", media_type=XLSX)
    async def export_xlsx(
        self, request: Request[Any, Any, Any], period: str, channel_registry: ChannelRegistry
    ) -> Response[bytes]:
        """The period's figures as an Excel workbook."""
        return await _export(request, channel_registry, period, "xlsx")


ROUTES = [ReportPages, ReportsApi]
NAV = [("/c/{code}/reports", N_("Reports")), ("/c/{code}/dashboard", N_("Dashboard"))]
