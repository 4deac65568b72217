"""Pages (/c/{code}/plans) and the JSON API (/api/v1/plans) of published yearly plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from giamsat import clock
from giamsat.cases.provided import IndicatorNames, PlanName
from giamsat.errors import InvalidInput
from giamsat.plans.additions import AdditionRejected, additions_history, publish_addition
from giamsat.plans.carry_over import CarryOverReport, carry_over, left_behind_for
from giamsat.plans.draft_pages import ROUTES as DRAFT_ROUTES
from giamsat.plans.files import check_files, from_uploads
from giamsat.plans.schemas import (
    AdditionRequest,
    AdditionSimulationRequest,
    AdditionView,
    CandidateRequest,
    CarryOverRequest,
    PackVersionView,
    PublishRequest,
    SimulationReport,
    ValidationReport,
)
from giamsat.plans.service import (
    PackRejected,
    active_pack,
    history,
    indicator_names,
    plan_name,
    publish,
    validate_files,
)
from giamsat.plans.simulation import simulate, simulate_addition
from giamsat.rulepacks import PackError
from giamsat.web.guards import approver, current_tenant, logged_in, staff
from giamsat.web.i18n import N_, Word
from giamsat.web.rendering import page, request_language


class PlansOverview(msgspec.Struct, frozen=True, kw_only=True):
    """The pack in force today for the caller's committee, every version that applies, and
    the additions of the committee and its ancestors."""

    active: PackVersionView | None
    history: list[PackVersionView]
    additions: list[AdditionView] = msgspec.field(default_factory=list)
    #: Additions (of this committee, its ancestors or its subtree) to the version the one in
    #: force replaced: they no longer apply until republished (carry-over).
    left_behind: list[AdditionView] = msgspec.field(default_factory=list)


#: What each date of the plans page is, in the words of "Enter %(what)s.".
_DATES = {
    "effective_from": N_("the date it comes into force"),
    "period_from": N_("the first day of the period"),
    "period_to": N_("the last day of the period"),
}


def _date(value: object, field: str, default: dt.date | None = None) -> dt.date:
    text = str(value or "").strip()
    if not text and default is not None:
        return default
    if not text:
        raise InvalidInput(N_("Enter %(what)s."), field=field, params={"what": Word(_DATES[field])})
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            N_("'%(text)s' is not a date; write dates as year-month-day, e.g. 2024-11-20"),
            field=field,
            params={"text": text},
        ) from None


def _shown(request: Request[Any, Any, Any], report: ValidationReport) -> ValidationReport:
    """A validation as the page lists it: each problem and warning in the page's language."""
    lang = request_language(request)
    return msgspec.structs.replace(
        report,
        rendered=[e.render(lang) for e in report.errors],
        rendered_warnings=[w.render(lang) for w in report.warnings],
    )


def _refused(request: Request[Any, Any, Any], errors: list[PackError]) -> ValidationReport:
    """A refused pack or addition as the page lists it."""
    return _shown(request, ValidationReport(ok=False, version=None, errors=errors, rendered=[]))


async def _overview(path: str, code: str) -> PlansOverview:
    today = clock.today()
    active = await active_pack(path, today)
    return PlansOverview(active=active.view if active else None, history=await history(code),
                         additions=await additions_history(code),
                         left_behind=await left_behind_for(path))  # fmt: skip


async def _uploads(request: Request[Any, Any, Any]) -> tuple[dict[str, str], Any]:
    form = await request.form()
    uploads = [(f.filename, await f.read()) for f in form.getall("files")
               if isinstance(f, UploadFile) and f.filename]  # fmt: skip
    return from_uploads(uploads), form


class PlanPages(Controller):
    include_in_schema = False
    guards = [logged_in]

    @get("/c/{code:str}/plans")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        ctx = current_tenant(request)
        return page(request, "plans/index.html", overview=await _overview(ctx.path, code),
                    result=None, report=None, published=None, added=None)  # fmt: skip

    @post("/c/{code:str}/plans", guards=[staff], status_code=HTTP_200_OK)
    async def act(self, request: Request[Any, Any, Any], code: str) -> Template:
        """Validate, simulate or (approvers only) publish the uploaded pack."""
        ctx = current_tenant(request)
        files, form = await _uploads(request)
        action = str(form.get("action", "validate"))
        result, report, published = None, None, None
        result = _shown(
            request, validate_files(files, "pack", None if action == "simulate" else code)[1]
        )
        if result.ok and action == "simulate":
            start = _date(form.get("period_from"), "period_from", dt.date(clock.today().year, 1, 1))
            end = _date(form.get("period_to"), "period_to", clock.today())
            report = await simulate(files, code, start, end)
        elif result.ok and action == "publish":
            approver(request, request.route_handler)
            try:
                effective = _date(form.get("effective_from"), "effective_from")
                published = await publish(files, code, effective, ctx.user_id,
                                          ctx.username or "")  # fmt: skip
            except PackRejected as exc:
                result = _refused(request, exc.errors)
        return page(request, "plans/index.html", overview=await _overview(ctx.path, code),
                    result=result, report=report, published=published, added=None,
                    status_code=200 if result.ok else 422)  # fmt: skip

    @post("/c/{code:str}/plans/additions", guards=[approver], status_code=HTTP_200_OK)
    async def add(self, request: Request[Any, Any, Any], code: str) -> Template:
        """Publish an addition (extra indicator rules) for the caller's committee."""
        ctx = current_tenant(request)
        form = await request.form()
        upload = form.get("addition")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput(N_("Choose the addition's .yaml file."), field="addition")
        text = (await upload.read()).decode("utf-8", errors="replace")
        effective = _date(form.get("effective_from"), "effective_from")
        result, added = None, None
        try:
            added = await publish_addition((text, upload.filename), code, effective,
                                           ctx.user_id, ctx.username or "")  # fmt: skip
        except AdditionRejected as exc:
            result = _refused(request, exc.errors)
        return page(request, "plans/index.html", overview=await _overview(ctx.path, code),
                    result=result, report=None, published=None, added=added,
                    status_code=200 if added else 422)  # fmt: skip

    @post("/c/{code:str}/plans/additions/simulate", guards=[staff], status_code=HTTP_200_OK)
    async def simulate_addition(self, request: Request[Any, Any, Any], code: str) -> Template:
        """Run a candidate addition over the subtree's signals in a period; nothing stored."""
        ctx = current_tenant(request)
        form = await request.form()
        upload = form.get("addition")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput(N_("Choose the addition's .yaml file."), field="addition")
        text = (await upload.read()).decode("utf-8", errors="replace")
        today = clock.today()
        start = _date(form.get("period_from"), "period_from", dt.date(today.year, 1, 1))
        end = _date(form.get("period_to"), "period_to", today)
        result, report = None, None
        try:
            report = await simulate_addition(text, code, start, end, upload.filename)
        except AdditionRejected as exc:
            result = _refused(request, exc.errors)
        return page(request, "plans/index.html", overview=await _overview(ctx.path, code),
                    result=result, report=report, published=None, added=None,
                    status_code=200 if report else 422)  # fmt: skip

    @post("/c/{code:str}/plans/additions/carry-over", guards=[approver], status_code=HTTP_200_OK)
    async def carry(self, request: Request[Any, Any, Any], code: str) -> Template:
        """Republish the committee's additions that still pass against the version in force."""
        ctx = current_tenant(request)
        form = await request.form()
        effective = _date(form.get("effective_from"), "effective_from")
        carried = await carry_over(code, effective, ctx.user_id, ctx.username or "")
        return page(request, "plans/index.html", overview=await _overview(ctx.path, code),
                    result=None, report=None, published=None, added=None,
                    carried=carried)  # fmt: skip


class PlansApi(Controller):
    path = "/api/v1/plans"
    tags = ["plans"]
    guards = [logged_in]

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> PlansOverview:
        """The pack in force today and the history of versions that apply to the committee."""
        ctx = current_tenant(request)
        return await _overview(ctx.path, ctx.committee_code)

    @post("/validate", guards=[staff], status_code=HTTP_200_OK)
    async def validate(self, request: Request[Any, Any, Any], data: CandidateRequest
                       ) -> ValidationReport:  # fmt: skip
        """Every problem of a candidate pack (``file:line: rule: message``)."""
        ctx = current_tenant(request)
        return validate_files(check_files(data.files), "pack", ctx.committee_code)[1]

    @post("/simulate", guards=[staff], status_code=HTTP_200_OK)
    async def simulate(self, request: Request[Any, Any, Any], data: CandidateRequest
                       ) -> SimulationReport:  # fmt: skip
        """What a candidate would change over the subtree's signals in the period."""
        ctx = current_tenant(request)
        today = clock.today()
        return await simulate(check_files(data.files), ctx.committee_code,
                              data.period_from or dt.date(today.year, 1, 1),
                              data.period_to or today)  # fmt: skip

    @post("/publish", guards=[approver], status_code=HTTP_201_CREATED)
    async def publish(self, request: Request[Any, Any, Any], data: PublishRequest
                      ) -> PackVersionView:  # fmt: skip
        """Publish for the caller's committee from ``effective_from``; refused with every error."""
        ctx = current_tenant(request)
        return await publish(check_files(data.files), ctx.committee_code, data.effective_from,
                             ctx.user_id, ctx.username or "")  # fmt: skip

    @post("/additions", guards=[approver], status_code=HTTP_201_CREATED)
    async def add(self, request: Request[Any, Any, Any], data: AdditionRequest) -> AdditionView:
        """Publish an addition for the caller's committee; refused with every problem."""
        ctx = current_tenant(request)
        source = (data.content, data.filename)
        return await publish_addition(
            source, ctx.committee_code, data.effective_from, ctx.user_id, ctx.username or ""
        )

    @post("/additions/simulate", guards=[staff], status_code=HTTP_200_OK)
    async def simulate_addition(
        self, request: Request[Any, Any, Any], data: AdditionSimulationRequest
    ) -> SimulationReport:
        """What a candidate addition would change over the subtree's signals in the period."""
        ctx = current_tenant(request)
        today = clock.today()
        return await simulate_addition(data.content, ctx.committee_code,
                                       data.period_from or dt.date(today.year, 1, 1),
                                       data.period_to or today, data.filename)  # fmt: skip

    @post("/additions/carry-over", guards=[approver], status_code=HTTP_200_OK)
    async def carry_over(
        self, request: Request[Any, Any, Any], data: CarryOverRequest
    ) -> CarryOverReport:
        """Republish the caller's additions to the previous version against the one in force
        on ``effective_from``; those that fail are listed with their messages."""
        ctx = current_tenant(request)
        return await carry_over(ctx.committee_code, data.effective_from, ctx.user_id,
                                ctx.username or "")  # fmt: skip


def provide_plan_name() -> PlanName:
    """The case pages name the plan that decided a case, not its version string."""
    return plan_name


def provide_indicator_names() -> IndicatorNames:
    """The case pages name indicators from the catalogue in force (cases never reads packs)."""
    return indicator_names


ROUTES = [PlanPages, PlansApi, *DRAFT_ROUTES]
NAV = [("/c/{code}/plans", N_("Supervision plans"))]
DEPENDENCIES = {
    "indicator_names": Provide(provide_indicator_names, use_cache=True, sync_to_thread=False),
    "plan_name": Provide(provide_plan_name, use_cache=True, sync_to_thread=False),
}
