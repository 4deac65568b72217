"""Recommendation pages and API."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.calendar.overrides_store import working_calendar
from giamsat.clock import today as vietnam_today
from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput
from giamsat.recommendations import forms, service
from giamsat.recommendations.schemas import (
    AWAITING_STATUSES,
    AnswerIn,
    ProgressIn,
    RecommendationSort,
    RecommendationView,
    ResuperviseIn,
)
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.list_pages import deadline, list_request, pagination, sort_headers
from giamsat.web.paging import (
    DEFAULT_LIMIT,
    Id,
    Limit,
    Offset,
    Page,
    paging,
)
from giamsat.web.rendering import page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)
#: A recommendation's status to filter on, or none.
RecommendationStatus = Literal[
    "", "awaiting_answer", "answered", "in_progress", "implemented", "escalated"
]


class RecommendationApi(Controller):
    path = "/api/v1/recommendations"
    tags = ["recommendations"]
    guards = [logged_in]

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        delegation_id: Id = None,
        status: RecommendationStatus = "",
        sort: RecommendationSort = "answer_by",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[RecommendationView]:
        """Recommendations of the committee and subtree, by answer date (``sort`` chooses
        another order), optionally of one delegation or one status."""
        return await service.page_items(
            current_tenant(request), paging(limit, offset), delegation_id=delegation_id,
            status=status, sort=sort,
        )  # fmt: skip

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], item_id: int) -> RecommendationView:
        """One recommendation of the committee."""
        return await service.get_item(current_tenant(request), item_id)

    @post("/{item_id:int}/answer", guards=[staff], status_code=200)
    async def answer(
        self, request: Request[Any, Any, Any], item_id: int, data: AnswerIn
    ) -> RecommendationView:
        """Record the answer to one recommendation."""
        return await service.record_answer(current_tenant(request), item_id, data)

    @post("/{item_id:int}/progress", guards=[staff], status_code=200)
    async def progress(
        self, request: Request[Any, Any, Any], item_id: int, data: ProgressIn
    ) -> RecommendationView:
        """Record how far a recommendation has been carried out (0–100 %)."""
        return await service.record_progress(current_tenant(request), item_id, data)

    @post("/{item_id:int}/resupervise", guards=[staff], status_code=200)
    async def resupervise(
        self, request: Request[Any, Any, Any], item_id: int, data: ResuperviseIn
    ) -> RecommendationView:
        """Open a follow-up case to supervise the recommendation again (tái giám sát)."""
        return await service.resupervise(current_tenant(request), item_id, data)


_STATUSES = set(get_args(RecommendationStatus))
_STATUS_ORDER = ["awaiting_answer", "escalated", "answered", "in_progress", "implemented"]
_SORTS = set(get_args(RecommendationSort))


class RecommendationPages(Controller):
    path = "/c/{code:str}/recommendations"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        code: str,
        status: str = "",
    ) -> Template:
        asked = list_request(request, sorts=_SORTS, default_sort="answer_by")
        ctx = current_tenant(request)
        chosen = status if status in _STATUSES else ""
        order: Any = asked.sort
        listed = await service.page_items(ctx, asked.page, status=chosen, sort=order)
        today = vietnam_today()
        async with tenant_scope(ctx.path):
            calendar = await working_calendar()
        return page(
            request,
            "recommendations/index.html",
            items=listed.items,
            pagination=pagination(asked.query, listed),
            sorts=sort_headers(asked.query, order, ("answer_by", "issued_on")),
            deadlines={
                i.id: deadline(calendar, today, i.answer_by)
                for i in listed.items
                if i.status in AWAITING_STATUSES
            },
            status=chosen,
            statuses=sorted(_STATUSES - {""}, key=_STATUS_ORDER.index),
        )

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], code: str, item_id: int) -> Template:
        ctx = current_tenant(request)
        item = await service.get_item(ctx, item_id)
        return page(
            request,
            "recommendations/detail.html",
            item=item,
            can_act=forms.can_act(ctx, item.committee_code),
        )

    @post("/{item_id:int}", guards=[staff])
    async def act(
        self,
        request: Request[Any, Any, Any],
        code: str,
        item_id: int,
        data: Annotated[forms.RecommendationForm, Form],
    ) -> Redirect:
        """Record an answer, progress or re-supervision from the detail page's forms."""
        ctx = current_tenant(request)
        if data.action == "answer":
            await service.record_answer(ctx, item_id, forms.answer_of(data))
        elif data.action == "progress":
            await service.record_progress(ctx, item_id, forms.progress_of(data))
        elif data.action == "resupervise":
            await service.resupervise(ctx, item_id, forms.resupervise_of(data))
        else:
            raise InvalidInput(N_("This action does not exist."), field="action")
        return Redirect(f"/c/{code}/recommendations/{item_id}")


ROUTES = [RecommendationApi, RecommendationPages]
NAV = [("/c/{code}/recommendations", N_("Recommendations"))]
