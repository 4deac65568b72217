"""Recommendation pages and API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.errors import InvalidInput
from giamsat.recommendations import forms, service
from giamsat.recommendations.schemas import (
    AnswerIn,
    ProgressIn,
    RecommendationView,
    ResuperviseIn,
)
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.paging import Id
from giamsat.web.rendering import page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


class RecommendationApi(Controller):
    path = "/api/v1/recommendations"
    tags = ["recommendations"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], delegation_id: Id = None
    ) -> list[RecommendationView]:
        """Recommendations of the committee, optionally of one delegation."""
        return await service.list_items(current_tenant(request), delegation_id=delegation_id)

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


class RecommendationPages(Controller):
    path = "/c/{code:str}/recommendations"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        items = await service.list_items(current_tenant(request))
        return page(request, "recommendations/list.html", items=items)

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
            raise InvalidInput(f"unknown action {data.action!r}", field="action")
        return Redirect(f"/c/{code}/recommendations/{item_id}")


ROUTES = [RecommendationApi, RecommendationPages]
NAV = [("/c/{code}/recommendations", N_("Recommendations"))]
