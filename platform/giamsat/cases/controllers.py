"""Case pages (/c/{code}/cases…) and API (/api/v1/cases…); thin: parse, call one service."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any, get_args

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, SkipValidation
from litestar.response import Redirect, Template

from giamsat.accounts.roles import STAFF_ROLES
from giamsat.calendar.overrides_store import working_calendar
from giamsat.calendar.working_calendar import WorkingCalendar
from giamsat.cases import workflow
from giamsat.cases.deadlines import today_in_vietnam
from giamsat.cases.provided import IndicatorNames, OpenByHand, PlanName
from giamsat.cases.repository import CaseRepository
from giamsat.cases.rows import rows_markup, status_names
from giamsat.cases.schemas import (
    Assign,
    CaseByHand,
    CaseDetail,
    CaseFilter,
    CaseListItem,
    CaseSort,
    CaseView,
    ClockChange,
    ComplexFlag,
    Forward,
    Merge,
    StatusChange,
    Transfer,
)
from giamsat.cases.sheet import cases_sheet
from giamsat.cases.statuses import OPEN_STATUSES, Status
from giamsat.clock import today as vietnam_today
from giamsat.db.scope import tenant_scope
from giamsat.errors import GiamsatError, InvalidInput
from giamsat.intake.evidence import AttachmentLink, attachments_of
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_, Translator
from giamsat.web.list_pages import (
    DUE_SOON_WORKING_DAYS,
    deadline,
    href,
    pagination,
    query_of,
    sort_headers,
)
from giamsat.web.list_sheets import XLSX, write_list
from giamsat.web.paging import (
    DEFAULT_LIMIT,
    Limit,
    Offset,
    Page,
    PageNumber,
    PageRequest,
    page_number,
    paging,
)
from giamsat.web.rendering import page, request_language, translator

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


async def list_cases(ctx: TenantContext, filters: CaseFilter) -> list[CaseListItem]:
    async with tenant_scope(ctx.path):
        return await CaseRepository(ctx).list(filters)


async def page_of_cases(
    ctx: TenantContext, filters: CaseFilter, request: PageRequest
) -> Page[CaseListItem]:
    async with tenant_scope(ctx.path):
        return await CaseRepository(ctx).page(filters, request)


async def case_detail(ctx: TenantContext, case_id: int) -> CaseDetail:
    async with tenant_scope(ctx.path):
        return await CaseRepository(ctx).detail(case_id)


class CaseApi(Controller):
    path = "/api/v1/cases"
    tags = ["cases"]
    guards = [logged_in]

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        status: str = "",
        q: str = "",
        sort: CaseSort = "due_on",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[CaseListItem]:
        """Cases of the caller's committee and subtree, and the status of those it referred up:
        open cases first by due date (``sort`` chooses another order; ``-`` descends)."""
        filters = CaseFilter(status=status, q=q, sort=sort)
        return await page_of_cases(current_tenant(request), filters, paging(limit, offset))

    @get("/export.xlsx", media_type=XLSX)
    async def export(
        self,
        request: Request[Any, Any, Any],
        status: str = "",
        q: str = "",
        sort: CaseSort = "due_on",
    ) -> Response[bytes]:
        """Every case the filters choose (all pages, as GET /api/v1/cases lists them) as an
        Excel workbook, in the caller's language, under a title block naming the committee, the
        filters and the day."""
        ctx = current_tenant(request)
        return await _export(ctx, Translator(ctx.language), status, q, "", sort)

    @post("/", guards=[staff])
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: CaseByHand,
        open_by_hand: SkipValidation[OpenByHand],
    ) -> CaseView:
        """Open a case about a cadre with the chosen manifestations; the pack in force routes
        it and sets its clock (the decision step, wired by the app factory). Ids outside the
        caller's scope are refused (404)."""
        return await open_by_hand(current_tenant(request), data, today=vietnam_today())

    @get("/{case_id:int}")
    async def show(self, request: Request[Any, Any, Any], case_id: int) -> CaseDetail:
        """One case as the caller may see it: in full, without reporter identity, or its status
        only."""
        return await case_detail(current_tenant(request), case_id)

    @post("/{case_id:int}/status", guards=[staff], status_code=200)
    async def status(
        self, request: Request[Any, Any, Any], case_id: int, data: StatusChange
    ) -> CaseDetail:
        """Move the case to another status allowed by the workflow, with a reason."""
        return await workflow.change_status(current_tenant(request), case_id, data)

    @post("/{case_id:int}/transfer", guards=[staff], status_code=200)
    async def transfer(
        self, request: Request[Any, Any, Any], case_id: int, data: Transfer
    ) -> CaseDetail:
        """Hand the case to another committee (``target`` code) when the plan allows it."""
        return await workflow.transfer(current_tenant(request), case_id, data)

    @post("/{case_id:int}/forward", guards=[staff], status_code=200)
    async def forward(
        self, request: Request[Any, Any, Any], case_id: int, data: Forward
    ) -> CaseDetail:
        """Refer the case to the parent committee; the caller keeps seeing its status."""
        return await workflow.forward_up(current_tenant(request), case_id, data)

    @post("/{case_id:int}/merge", guards=[staff], status_code=200)
    async def merge(self, request: Request[Any, Any, Any], case_id: int, data: Merge) -> CaseDetail:
        """Close the case as a duplicate of another open case of the committee (``into``)."""
        return await workflow.merge(current_tenant(request), case_id, data)

    @post("/{case_id:int}/complex", guards=[staff], status_code=200)
    async def complex(
        self, request: Request[Any, Any, Any], case_id: int, data: ComplexFlag
    ) -> CaseDetail:
        """Flag or unflag a complex case: its clock becomes 30 or 20 working days."""
        return await workflow.set_complex(current_tenant(request), case_id, data)

    @post("/{case_id:int}/pause", guards=[staff], status_code=200)
    async def pause(
        self, request: Request[Any, Any, Any], case_id: int, data: ClockChange
    ) -> CaseDetail:
        """Pause the case's clock from ``on`` (default today), with a reason."""
        return await workflow.pause_clock(current_tenant(request), case_id, data)

    @post("/{case_id:int}/resume", guards=[staff], status_code=200)
    async def resume(
        self, request: Request[Any, Any, Any], case_id: int, data: ClockChange
    ) -> CaseDetail:
        """Resume the case's clock; the paused working days are added to the due date."""
        return await workflow.resume_clock(current_tenant(request), case_id, data)

    @post("/{case_id:int}/assign", guards=[staff], status_code=200)
    async def assign(
        self, request: Request[Any, Any, Any], case_id: int, data: Assign
    ) -> CaseDetail:
        """Give the case to one of the committee's active staff, or to nobody (``null``)."""
        return await workflow.assign(current_tenant(request), case_id, data)


class ActionForm(msgspec.Struct):
    """One form for every action of the detail page; ``action`` says which."""

    action: str = ""
    status: str = ""
    target: str = ""
    into: str = ""
    reason: str = ""
    complex_case: str = ""
    confirm: str = ""


async def _act(ctx: TenantContext, case_id: int, form: ActionForm) -> CaseDetail:
    reason = form.reason.strip()
    if form.action == "close":
        if not reason:
            raise InvalidInput(
                N_("Write the result of the case before closing it."), field="result"
            )
        if form.confirm != "yes":
            raise InvalidInput(
                N_("Tick the box to confirm that the case is finished."), field="confirm"
            )
        return await workflow.change_status(
            ctx, case_id, StatusChange(status=Status.CLOSED.value, reason=reason)
        )
    if form.action == "status":
        return await workflow.change_status(
            ctx, case_id, StatusChange(status=form.status, reason=reason)
        )
    if not reason:
        raise InvalidInput(N_("Give a reason."), field="reason")
    if form.action == "transfer":
        return await workflow.transfer(ctx, case_id, Transfer(target=form.target, reason=reason))
    if form.action == "forward":
        return await workflow.forward_up(ctx, case_id, Forward(reason=reason))
    if form.action == "merge":
        if not form.into.strip().isdigit():
            raise InvalidInput(N_("The case to merge into must be a number."), field="into")
        return await workflow.merge(ctx, case_id, Merge(into=int(form.into), reason=reason))
    if form.action == "complex":
        flag = ComplexFlag(complex_case=form.complex_case == "1", reason=reason)
        return await workflow.set_complex(ctx, case_id, flag)
    raise InvalidInput(N_("This action does not exist."), field="action")


class CasePages(Controller):
    path = "/c/{code:str}/cases"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        code: str,
        status: str = "",
        q: str = "",
        view: str = "",
        sort: str = "",
        number: PageNumber = "",
    ) -> Template:
        ctx = current_tenant(request)
        today = vietnam_today()
        async with tenant_scope(ctx.path):
            calendar = await working_calendar()
            filters = _filters(status, q, view, sort, today, calendar)
            listed = await CaseRepository(ctx).page(filters, page_number(number))
        query = query_of(request)
        tr = translator(request)
        return page(
            request,
            "cases/index.html",
            rows=rows_markup(
                listed.items,
                tr,
                case_href=f"/c/{ctx.committee_code}/cases/",
                calendar=calendar,
                today=today,
                open_statuses=_OPEN,
            ),
            pagination=pagination(query, listed),
            sorts=sort_headers(query, filters.sort, _SORTABLE),
            export_href="export.xlsx" + href(query, page=None),
            status=status,
            q=q,
            statuses=list(status_names(tr).items()),
            view=view if view in _VIEWS else "",
            staff_roles=STAFF_ROLES,
        )

    @get("/export.xlsx", media_type=XLSX)
    async def export(
        self,
        request: Request[Any, Any, Any],
        code: str,
        status: str = "",
        q: str = "",
        view: str = "",
        sort: str = "",
    ) -> Response[bytes]:
        """Every case the list's filters choose, as an Excel workbook."""
        return await _export(current_tenant(request), translator(request), status, q, view, sort)

    @get("/{case_id:int}")
    async def show(
        self,
        request: Request[Any, Any, Any],
        code: str,
        case_id: int,
        indicator_names: SkipValidation[IndicatorNames],
        plan_name: SkipValidation[PlanName],
    ) -> Template:
        return await _detail_page(request, case_id, indicator_names, plan_name)

    @post("/{case_id:int}", guards=[staff])
    async def act(
        self,
        request: Request[Any, Any, Any],
        code: str,
        case_id: int,
        data: Annotated[ActionForm, Form],
        indicator_names: SkipValidation[IndicatorNames],
        plan_name: SkipValidation[PlanName],
    ) -> Template | Redirect:
        try:
            await _act(current_tenant(request), case_id, data)
        except GiamsatError as exc:
            # the same page again, with what went wrong on top and the user's input kept
            tr = translator(request)
            plain = _PLAIN_REFUSALS.get(exc.field or "", _PLAIN_REFUSALS["status"])
            if tr.knows(exc.template):
                message = tr.gettext(exc.template, **exc.params)
            else:
                message = tr.gettext(plain)
            return await _detail_page(
                request,
                case_id,
                indicator_names,
                plan_name,
                status_code=exc.status_code,
                errors=[(message, exc.field or "actions")],
                form=msgspec.structs.asdict(data),
            )
        return Redirect(f"/c/{code}/cases/{case_id}")


_OPEN = {s.value for s in OPEN_STATUSES}

#: The home page's work-queue lines, as views of the list.
_VIEWS = {
    "overdue": N_("Overdue"),
    "due_soon": N_("Due within 3 working days"),
    "awaiting": N_("Awaiting the party committee's answer"),
}


_SORTABLE = ("number", "status", "received_on", "due_on")
_SORTS = set(get_args(CaseSort))


def _filters(
    status: str, q: str, view: str, sort: str, today: date, calendar: WorkingCalendar
) -> CaseFilter:
    """The list's filters from its query (a work-queue ``view`` among them)."""
    order: Any = sort if sort in _SORTS else "due_on"
    if view == "overdue":
        return CaseFilter(status=status, q=q, sort=order, own_open_in=tuple(sorted(_OPEN)),
                          due_to=today - timedelta(days=1))  # fmt: skip
    if view == "due_soon":
        soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
        return CaseFilter(status=status, q=q, sort=order, due_from=today, due_to=soon)
    if view == "awaiting":
        awaiting = (Status.REPORTED.value, Status.AWAITING_ANSWER.value)
        return CaseFilter(status=status, q=q, sort=order, own_open_in=awaiting)
    return CaseFilter(status=status, q=q, sort=order)


async def _export(
    ctx: TenantContext, tr: Translator, status: str, q: str, view: str, sort: str
) -> Response[bytes]:
    today = vietnam_today()
    async with tenant_scope(ctx.path):
        calendar = await working_calendar()
        filters = _filters(status, q, view, sort, today, calendar)
        items = await CaseRepository(ctx).everything(filters)
    committee = await CommitteeRepository().by_code(ctx.committee_code)
    issuer = committee.title if committee is not None else ctx.committee_code
    sheet = cases_sheet(tr, issuer=issuer, items=items, open_statuses=_OPEN, calendar=calendar,
                        today=today, status=status, q=q, view=view)  # fmt: skip
    name = f"{tr.gettext('Cases')} {ctx.committee_code} {today:%d-%m-%Y}.xlsx"
    return Response(
        write_list(sheet),
        media_type=XLSX,
        headers={"Content-Disposition": content_disposition(name)},
    )


#: What a page says when a service refuses with a message meant for developers.
_PLAIN_REFUSALS = {
    "status": N_("This move is not allowed for the case as it stands now; use one of the buttons."),
    "target": N_("The case cannot be transferred to that committee."),
    "into": N_("The case cannot be merged into that case."),
    "reason": N_("Write the reason."),
}


async def _detail_page(
    request: Request[Any, Any, Any],
    case_id: int,
    indicator_names: IndicatorNames,
    plan_name: PlanName,
    status_code: int = 200,
    **extra: Any,
) -> Template:
    ctx = current_tenant(request)
    detail = await case_detail(ctx, case_id)
    today = today_in_vietnam()
    merge_targets: list[CaseListItem] = []
    transfer_targets: list[dict[str, str]] = []
    indicators: Mapping[str, tuple[str, str]] = {}
    files: dict[int, list[AttachmentLink]] = {}
    if detail.case is not None:
        files = await attachments_of(ctx, [s.id for s in detail.case.signals])
        if detail.access == "full":
            merge_number = request.query_params.get("merge_number") or ""
            merge_targets = await workflow.merge_targets(ctx, case_id, merge_number)
            targets = await workflow.transfer_targets(ctx, case_id)
            transfer_targets = [{"code": c.code, "name": c.name} for c in targets]
        indicators = await indicator_names(ctx.path, today)
    async with tenant_scope(ctx.path):
        calendar = await working_calendar()
    lang = request_language(request)
    version = detail.case.pack_version if detail.case is not None else ""
    plan_names = await plan_name(version) if version else None
    plan_title = (plan_names[1] if lang == "en" else plan_names[0]) if plan_names else ""

    def indicator_name(code: str) -> str:
        vi, en = indicators.get(code, (code, code))
        return en if lang == "en" else vi

    return page(
        request,
        "cases/detail.html",
        status_code=status_code,
        detail=detail,
        today=today,
        deadline_of=lambda due_on: deadline(calendar, today, due_on),
        open_statuses=_OPEN,
        can_act=ctx.role in STAFF_ROLES,
        merge_targets=merge_targets,
        transfer_targets=transfer_targets,
        indicator_name=indicator_name,
        plan_title=plan_title,
        files=files,
        **extra,
    )


ROUTES = [CaseApi, CasePages]
NAV = [("/c/{code}/cases", N_("Cases"))]
