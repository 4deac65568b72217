"""``GET /api/v1/work-queue``: the home page's figures for partner apps."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from giamsat.cases.deadlines import today_in_vietnam
from giamsat.web.guards import current_tenant, logged_in
from giamsat.workqueue.service import WorkQueue, work_queue


class WorkQueueApi(Controller):
    path = "/api/v1/work-queue"
    guards = [logged_in]
    tags = ["work queue"]

    @get("/", summary="What the caller's committee should do next (the home page's figures)")
    async def show(self, request: Request[Any, Any, Any]) -> WorkQueue:
        """Today's counts for the caller's committee (signals to classify, cases due soon and
        overdue, answers awaited from the party committee), its most urgent cases and report."""
        return await work_queue(current_tenant(request), today_in_vietnam())


ROUTES = [WorkQueueApi]
