"""Feedback (góp ý) pages and API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from giamsat.accounts.roles import STAFF_ROLES
from giamsat.errors import InvalidInput
from giamsat.feedback import forms, service
from giamsat.feedback.schemas import ExplainedIn, FeedbackIn, FeedbackView, SentIn, TakenInIn
from giamsat.recommendations.forms import can_act
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.list_pages import list_request, pagination
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, paging
from giamsat.web.rendering import page

Form = Body(media_type=RequestEncodingType.URL_ENCODED)


class FeedbackApi(Controller):
    path = "/api/v1/feedback"
    tags = ["feedback"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[FeedbackView]:
        """Feedback items of the caller's committee and subtree, newest first."""
        return await service.page_feedback(current_tenant(request), paging(limit, offset))

    @post("/", guards=[staff])
    async def create(self, request: Request[Any, Any, Any], data: FeedbackIn) -> FeedbackView:
        """Record feedback received by the committee for a party committee or a cadre of its
        subtree."""
        return await service.receive(current_tenant(request), data)

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], item_id: int) -> FeedbackView:
        """One feedback item of the caller's committee or subtree."""
        return await service.get(current_tenant(request), item_id)

    @post("/{item_id:int}/sent", guards=[staff], status_code=200)
    async def sent(
        self, request: Request[Any, Any, Any], item_id: int, data: SentIn
    ) -> FeedbackView:
        """Record the day the feedback was sent to its recipient."""
        return await service.mark_sent(current_tenant(request), item_id, data)

    @post("/{item_id:int}/taken-in", guards=[staff], status_code=200)
    async def taken_in(
        self, request: Request[Any, Any, Any], item_id: int, data: TakenInIn
    ) -> FeedbackView:
        """Record that the recipient took the feedback in, and by when it replies."""
        return await service.take_in(current_tenant(request), item_id, data)

    @post("/{item_id:int}/explained", guards=[staff], status_code=200)
    async def explained(
        self, request: Request[Any, Any, Any], item_id: int, data: ExplainedIn
    ) -> FeedbackView:
        """Record the recipient's explanation (giải trình)."""
        return await service.explain(current_tenant(request), item_id, data)

    @post("/{item_id:int}/closed", guards=[staff], status_code=200)
    async def closed(
        self, request: Request[Any, Any, Any], item_id: int, on: dt.date
    ) -> FeedbackView:
        """Close the feedback item on the day ``on``."""
        return await service.close(current_tenant(request), item_id, on)


class FeedbackPages(Controller):
    path = "/c/{code:str}/feedback"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        asked = list_request(request)
        ctx = current_tenant(request)
        listed = await service.page_feedback(ctx, asked.page)
        return page(
            request,
            "feedback/list.html",
            items=listed.items,
            pagination=pagination(asked.query, listed),
            can_receive=ctx.role in STAFF_ROLES,
        )

    @post("/", guards=[staff])
    async def create(
        self, request: Request[Any, Any, Any], code: str, data: Annotated[forms.FeedbackForm, Form]
    ) -> Redirect:
        """Record feedback received by the committee (tiếp nhận góp ý)."""
        item = await service.receive(current_tenant(request), forms.received_of(data))
        return Redirect(f"/c/{code}/feedback/{item.id}")

    @get("/{item_id:int}")
    async def show(self, request: Request[Any, Any, Any], code: str, item_id: int) -> Template:
        ctx = current_tenant(request)
        item = await service.get(ctx, item_id)
        return page(
            request, "feedback/detail.html", item=item, can_act=can_act(ctx, item.committee_code)
        )

    @post("/{item_id:int}", guards=[staff])
    async def act(
        self,
        request: Request[Any, Any, Any],
        code: str,
        item_id: int,
        data: Annotated[forms.FeedbackForm, Form],
    ) -> Redirect:
        """Move the feedback one step: sent, taken in, explained or closed."""
        ctx = current_tenant(request)
        if data.action == "sent":
            await service.mark_sent(ctx, item_id, forms.sent_of(data))
        elif data.action == "taken_in":
            await service.take_in(ctx, item_id, forms.taken_in_of(data))
        elif data.action == "explained":
            await service.explain(ctx, item_id, forms.explained_of(data))
        elif data.action == "closed":
            await service.close(ctx, item_id, forms.closed_on(data))
        else:
            raise InvalidInput(N_("This action does not exist."), field="action")
        return Redirect(f"/c/{code}/feedback/{item_id}")


ROUTES = [FeedbackApi, FeedbackPages]
NAV = [("/c/{code}/feedback", N_("Feedback"))]
