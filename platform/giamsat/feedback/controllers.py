"""Feedback (góp ý) pages and API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template

from giamsat.feedback import service
from giamsat.feedback.schemas import ExplainedIn, FeedbackIn, FeedbackView, SentIn, TakenInIn
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.rendering import page


class FeedbackApi(Controller):
    path = "/api/v1/feedback"
    tags = ["feedback"]
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any]) -> list[FeedbackView]:
        return await service.list_feedback(current_tenant(request))

    @post("/", guards=[staff])
    async def create(self, request: Request[Any, Any, Any], data: FeedbackIn) -> FeedbackView:
        return await service.receive(current_tenant(request), data)

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], item_id: int) -> FeedbackView:
        return await service.get(current_tenant(request), item_id)

    @post("/{item_id:int}/sent", guards=[staff], status_code=200)
    async def sent(
        self, request: Request[Any, Any, Any], item_id: int, data: SentIn
    ) -> FeedbackView:
        return await service.mark_sent(current_tenant(request), item_id, data)

    @post("/{item_id:int}/taken-in", guards=[staff], status_code=200)
    async def taken_in(
        self, request: Request[Any, Any, Any], item_id: int, data: TakenInIn
    ) -> FeedbackView:
        return await service.take_in(current_tenant(request), item_id, data)

    @post("/{item_id:int}/explained", guards=[staff], status_code=200)
    async def explained(
        self, request: Request[Any, Any, Any], item_id: int, data: ExplainedIn
    ) -> FeedbackView:
        return await service.explain(current_tenant(request), item_id, data)

    @post("/{item_id:int}/closed", guards=[staff], status_code=200)
    async def closed(
        self, request: Request[Any, Any, Any], item_id: int, on: dt.date
    ) -> FeedbackView:
        return await service.close(current_tenant(request), item_id, on)


class FeedbackPages(Controller):
    path = "/c/{code:str}/feedback"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        return page(
            request,
            "feedback/list.html",
            items=await service.list_feedback(current_tenant(request)),
        )

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], code: str, item_id: int) -> Template:
        item = await service.get(current_tenant(request), item_id)
        return page(request, "feedback/list.html", items=[item])


ROUTES = [FeedbackApi, FeedbackPages]
NAV = [("/c/{code}/feedback", "Góp ý", "Feedback")]
