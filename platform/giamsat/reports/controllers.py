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
from giamsat.delegations.documents import place_of
from giamsat.errors import GiamsatError
from giamsat.reports import exports
from giamsat.reports.channel_sections import channel_parts, report_names
from giamsat.reports.dashboard import build_dashboard, worded
from giamsat.reports.drafts import SavedDraft, save_draft
from giamsat.reports.labels import STATUS_LABELS, figure_label, status_label
from giamsat.reports.pdf import docx_to_pdf
from giamsat.reports.plan import ReportingPlan, plan_for
from giamsat.reports.schedule import chase, status_tree
from giamsat.reports.schemas import (
    ChaseResult,
    DraftRequest,
    ReportClosing,
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
from giamsat.web.rendering import page, request_language, translator

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
    names = await report_names(ctx, registry, plan, period_id)
    name = f"Báo cáo kết quả giám sát {ctx.committee_code} {period_id}"
    place = place_of(ctx.committee_name)
    if kind in ("pdf", "docx"):
        word = exports.docx_bytes(view, plan, today(), place, names=names)
        if kind == "docx":
            return _file(word, DOCX, name + ".docx")
        # soffice blocks for seconds: convert in a worker thread, not on the event loop.
        return _file(await asyncio.to_thread(docx_to_pdf, word), PDF, name + ".pdf")
    book = exports.workbook_bytes(view, plan, today(), place, names=names)
    return _file(book, XLSX, name + ".xlsx")


def _closing(form: Any) -> ReportClosing:
    """The closing block as the form gives it: capacity, title, name, one recipient a line."""
    return ReportClosing(
        signer_capacity=str(form.get("signer_capacity", ""))[:200],
        signer_title=str(form.get("signer_title", ""))[:200],
        signer_name=str(form.get("signer_name", ""))[:200],
        recipients=[
            line.strip()[:200]
            for line in str(form.get("recipients", "")).splitlines()
            if line.strip()
        ][:30],
    )


#: The form's field id for each field a refusal may name (the error summary links to it).
_FIELD_IDS = {"signer_capacity": "signer-capacity", "reason": "reason"}


async def _status_page(
    request: Request[Any, Any, Any],
    registry: ChannelRegistry,
    period: str,
    *,
    notice: str = "",
    show: str = "",
    errors: list[tuple[str, str]] | None = None,
    entered: tuple[dict[str, str], ReportClosing, str] | None = None,
) -> Template:
    """The reports page; after a refusal, with the error summary and the text as entered."""
    ctx = current_tenant(request)
    plan, period_id = await _plan_and_period(request, period)
    tree = await status_tree(ctx, plan, period_id, today())
    view = await _report(request, registry, plan, period_id, leaving=False)
    reason = ""
    if entered is not None:
        narrative, closing, reason = entered
        view = msgspec.structs.replace(view, narrative=narrative, closing=closing)
    return page(
        request,
        "reports/status.html",
        status_code=422 if errors else 200,
        tree=tree,
        view=view,
        plan=plan,
        status_label=status_label,
        **await _labels(request, registry, plan, period_id),
        notice=notice,
        show=show if show in STATUS_LABELS else "",
        errors=errors or [],
        reason=reason,
        recipients_text="\n".join(exports.recipients(view)),
    )


async def _labels(
    request: Request[Any, Any, Any], registry: ChannelRegistry, plan: ReportingPlan, period: str
) -> dict[str, Any]:
    """The report page's namers: figure keys with the pack's indicator texts, figures in words."""
    names = await report_names(current_tenant(request), registry, plan, period)

    def label(key: str, lang: str = "vi") -> str:
        return figure_label(key, lang, names)

    return {"figure_label": label, "figure_text": worded}


def _refusal(request: Request[Any, Any, Any], exc: GiamsatError) -> list[tuple[str, str]]:
    field = _FIELD_IDS.get(exc.field or "", "submit-form")
    if exc.field == "narrative":
        field = "submit-form"
    return [(translator(request).gettext(exc.template, **exc.params), field)]


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
        return await _status_page(request, channel_registry, period, notice=notice, show=show)

    @post("/c/{code:str}/reports/submit", guards=[staff])
    async def submit_form(
        self, request: Request[Any, Any, Any], code: str, channel_registry: ChannelRegistry
    ) -> Redirect | Template:
        ctx = current_tenant(request)
        form = await request.form()
        plan, period_id = await _plan_and_period(request, str(form.get("period", "")))
        narrative = {s.key: str(form.get(s.key, "")) for s in plan.mandatory_sections}
        closing, reason = _closing(form), str(form.get("reason", ""))[:500]
        try:
            await submit(
                ctx,
                plan,
                period_id,
                SubmitRequest(narrative=narrative, reason=reason, closing=closing),
                today(),
            )
        except GiamsatError as exc:
            return await _status_page(
                request,
                channel_registry,
                period_id,
                errors=_refusal(request, exc),
                entered=(narrative, closing, reason),
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
        self,
        request: Request[Any, Any, Any],
        code: str,
        child: str,
        channel_registry: ChannelRegistry,
        period: str = "",
    ) -> Template:
        plan, period_id = await _plan_and_period(request, period)
        view = await submitted_report(current_tenant(request), plan, period_id, child, today())
        return page(
            request,
            "reports/report.html",
            view=view,
            plan=plan,
            status_label=status_label,
            **await _labels(request, channel_registry, plan, period_id),
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
            status_label=status_label,
            **await _labels(request, channel_registry, plan, period_id),
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
    async def draft_form(
        self, request: Request[Any, Any, Any], code: str, channel_registry: ChannelRegistry
    ) -> Redirect | Template:
        ctx = current_tenant(request)
        form = await request.form()
        plan, period_id = await _plan_and_period(request, str(form.get("period", "")))
        narrative = {s.key: str(form.get(s.key, "")) for s in plan.mandatory_sections}
        closing = _closing(form)
        try:
            await save_draft(ctx, plan, period_id, narrative, closing)
        except GiamsatError as exc:
            return await _status_page(
                request,
                channel_registry,
                period_id,
                errors=_refusal(request, exc),
                entered=(narrative, closing, str(form.get("reason", ""))[:500]),
            )
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
        self,
        request: Request[Any, Any, Any],
        code: str,
        channel_registry: ChannelRegistry,
        period: str = "",
    ) -> Template:
        ctx = current_tenant(request)
        plan, period_id = await _plan_and_period(request, period)
        names = await report_names(ctx, channel_registry, plan, period_id)
        board = await build_dashboard(
            ctx, plan, period_id, today(), lang=request_language(request), names=names
        )
        return page(
            request,
            "reports/dashboard.html",
            board=board,
            plan=plan,
            figure_label=figure_label,
            status_label=status_label,
            threshold=plan.suppression_threshold,
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
            current_tenant(request),
            await _plan(request),
            period,
            dict(data.narrative),
            data.closing,
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
