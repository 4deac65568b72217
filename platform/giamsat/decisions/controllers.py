"""What the decision step gives the web app: opening a case by hand through the pack (handed to
the case routes as a dependency, ``giamsat.cases.provided``, so cases never imports the step that
calls it), and the triage queue's API (``/api/v1/triage``: list, classify or close)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide

from giamsat.accounts.roles import STAFF_ROLES
from giamsat.cases.provided import OpenByHand
from giamsat.decisions.by_hand import open_by_hand
from giamsat.decisions.by_hand_pages import CaseByHandPages
from giamsat.decisions.pages import SignalFiles, TriagePages
from giamsat.decisions.triage import Classification, Classified, QueueItem, classify, queue_page
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, paging


def provide_open_by_hand() -> OpenByHand:
    return open_by_hand


DEPENDENCIES = {
    "open_by_hand": Provide(provide_open_by_hand, use_cache=True, sync_to_thread=False),
}


class TriageApi(Controller):
    path = "/api/v1/triage"
    tags = ["triage"]
    guards = [logged_in]

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page[QueueItem]:
        """The caller's committee's signals waiting for classification (phân loại), oldest
        first."""
        return await queue_page(current_tenant(request), paging(limit, offset))

    @post("/{signal_id:int}", guards=[staff], status_code=200)
    async def classify(
        self, request: Request[Any, Any, Any], signal_id: int, data: Classification
    ) -> Classified:
        """Link a cadre and choose indicators, or close as outside the Front's remit."""
        return await classify(current_tenant(request), signal_id, data)


ROUTES = [TriageApi, TriagePages, SignalFiles, CaseByHandPages]
NAV = [("/c/{code}/triage/", N_("Triage"), tuple(sorted(r.value for r in STAFF_ROLES)))]
