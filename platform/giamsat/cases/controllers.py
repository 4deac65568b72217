"""Case pages (/c/{code}/cases…) and API (/api/v1/cases…); thin: parse, call one service."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.cases import workflow
from giamsat.cases.opening import open_case
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import (
    Assign,
    CaseDetail,
    CaseFilter,
    CaseListItem,
    CaseView,
    ClockChange,
    ComplexFlag,
    Forward,
    Merge,
    OpenCase,
    StatusChange,
    Transfer,
)
from giamsat.cases.statuses import STATUS_LABELS, label
from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput
from giamsat.tenancy.context import TenantContext
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.rendering import page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


async def list_cases(ctx: TenantContext, filters: CaseFilter) -> list[CaseListItem]:
    async with tenant_scope(ctx.path):
        return await CaseRepository(ctx).list(filters)


async def case_detail(ctx: TenantContext, case_id: int) -> CaseDetail:
    async with tenant_scope(ctx.path):
        return await CaseRepository(ctx).detail(case_id)


class CaseApi(Controller):
    path = "/api/v1/cases"
    tags = ["cases"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], status: str = "", q: str = "", limit: int = 100
    ) -> list[CaseListItem]:
        """Cases of the caller's committee and subtree, and the status of those it referred up."""
        return await list_cases(
            current_tenant(request), CaseFilter(status=status, q=q, limit=min(max(limit, 1), 500))
        )

    @post("/", guards=[staff])
    async def create(self, request: Request[Any, Any, Any], data: OpenCase) -> CaseView:
        return await open_case(current_tenant(request), data)

    @get("/{case_id:int}")
    async def show(self, request: Request[Any, Any, Any], case_id: int) -> CaseDetail:
        return await case_detail(current_tenant(request), case_id)

    @post("/{case_id:int}/status", guards=[staff], status_code=200)
    async def status(
        self, request: Request[Any, Any, Any], case_id: int, data: StatusChange
    ) -> CaseDetail:
        return await workflow.change_status(current_tenant(request), case_id, data)

    @post("/{case_id:int}/transfer", guards=[staff], status_code=200)
    async def transfer(
        self, request: Request[Any, Any, Any], case_id: int, data: Transfer
    ) -> CaseDetail:
        return await workflow.transfer(current_tenant(request), case_id, data)

    @post("/{case_id:int}/forward", guards=[staff], status_code=200)
    async def forward(
        self, request: Request[Any, Any, Any], case_id: int, data: Forward
    ) -> CaseDetail:
        return await workflow.forward_up(current_tenant(request), case_id, data)

    @post("/{case_id:int}/merge", guards=[staff], status_code=200)
    async def merge(self, request: Request[Any, Any, Any], case_id: int, data: Merge) -> CaseDetail:
        return await workflow.merge(current_tenant(request), case_id, data)

    @post("/{case_id:int}/complex", guards=[staff], status_code=200)
    async def complex(
        self, request: Request[Any, Any, Any], case_id: int, data: ComplexFlag
    ) -> CaseDetail:
        return await workflow.set_complex(current_tenant(request), case_id, data)

    @post("/{case_id:int}/pause", guards=[staff], status_code=200)
    async def pause(
        self, request: Request[Any, Any, Any], case_id: int, data: ClockChange
    ) -> CaseDetail:
        return await workflow.pause_clock(current_tenant(request), case_id, data)

    @post("/{case_id:int}/resume", guards=[staff], status_code=200)
    async def resume(
        self, request: Request[Any, Any, Any], case_id: int, data: ClockChange
    ) -> CaseDetail:
        return await workflow.resume_clock(current_tenant(request), case_id, data)

    @post("/{case_id:int}/assign", guards=[staff], status_code=200)
    async def assign(
        self, request: Request[Any, Any, Any], case_id: int, data: Assign
    ) -> CaseDetail:
        return await workflow.assign(current_tenant(request), case_id, data)


class ActionForm(msgspec.Struct):
    """One form for every action of the detail page; ``action`` says which."""

    action: str = ""
    status: str = ""
    target: str = ""
    into: str = ""
    reason: str = ""
    complex_case: str = ""


async def _act(ctx: TenantContext, case_id: int, form: ActionForm) -> CaseDetail:
    reason = form.reason.strip()
    if form.action == "status":
        return await workflow.change_status(
            ctx, case_id, StatusChange(status=form.status, reason=reason)
        )
    if not reason:
        raise InvalidInput("Cần nêu lý do (a reason is required)", field="reason")
    if form.action == "transfer":
        return await workflow.transfer(ctx, case_id, Transfer(target=form.target, reason=reason))
    if form.action == "forward":
        return await workflow.forward_up(ctx, case_id, Forward(reason=reason))
    if form.action == "merge":
        if not form.into.strip().isdigit():
            raise InvalidInput(
                "Số vụ việc gộp vào phải là số (case id must be a number)", field="into"
            )
        return await workflow.merge(ctx, case_id, Merge(into=int(form.into), reason=reason))
    if form.action == "complex":
        flag = ComplexFlag(complex_case=form.complex_case == "1", reason=reason)
        return await workflow.set_complex(ctx, case_id, flag)
    raise InvalidInput(f"unknown action {form.action!r}", field="action")


class CasePages(Controller):
    path = "/c/{code:str}/cases"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], code: str, status: str = "", q: str = ""
    ) -> Template:
        ctx = current_tenant(request)
        items = await list_cases(ctx, CaseFilter(status=status, q=q, limit=300))
        return page(
            request,
            "cases/list.html",
            items=items,
            status=status,
            q=q,
            statuses=STATUS_LABELS,
            label=label,
        )

    @get("/{case_id:int}")
    async def show(self, request: Request[Any, Any, Any], code: str, case_id: int) -> Template:
        detail = await case_detail(current_tenant(request), case_id)
        return page(request, "cases/detail.html", detail=detail, label=label)

    @post("/{case_id:int}", guards=[staff])
    async def act(
        self,
        request: Request[Any, Any, Any],
        code: str,
        case_id: int,
        data: Annotated[ActionForm, Form],
    ) -> Redirect:
        await _act(current_tenant(request), case_id, data)
        return Redirect(f"/c/{code}/cases/{case_id}")


ROUTES = [CaseApi, CasePages]
NAV = [("/c/{code}/cases", "Vụ việc", "Cases")]
