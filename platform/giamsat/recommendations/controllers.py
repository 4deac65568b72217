"""Recommendation pages and API."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template

from giamsat.recommendations import service
from giamsat.recommendations.schemas import (
    AnswerIn,
    ProgressIn,
    RecommendationView,
    ResuperviseIn,
)
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.rendering import page


class RecommendationApi(Controller):
    path = "/api/v1/recommendations"
    tags = ["recommendations"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], delegation_id: int | None = None
    ) -> list[RecommendationView]:
        return await service.list_items(current_tenant(request), delegation_id=delegation_id)

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], item_id: int) -> RecommendationView:
        return await service.get_item(current_tenant(request), item_id)

    @post("/{item_id:int}/answer", guards=[staff], status_code=200)
    async def answer(
        self, request: Request[Any, Any, Any], item_id: int, data: AnswerIn
    ) -> RecommendationView:
        return await service.record_answer(current_tenant(request), item_id, data)

    @post("/{item_id:int}/progress", guards=[staff], status_code=200)
    async def progress(
        self, request: Request[Any, Any, Any], item_id: int, data: ProgressIn
    ) -> RecommendationView:
        return await service.record_progress(current_tenant(request), item_id, data)

    @post("/{item_id:int}/resupervise", guards=[staff], status_code=200)
    async def resupervise(
        self, request: Request[Any, Any, Any], item_id: int, data: ResuperviseIn
    ) -> RecommendationView:
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
        item = await service.get_item(current_tenant(request), item_id)
        return page(request, "recommendations/list.html", items=[item])


ROUTES = [RecommendationApi, RecommendationPages]
NAV = [("/c/{code}/recommendations", "Kiến nghị", "Recommendations")]
