"""The committee's home (its place in the tree) and the searchable tree browser."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Redirect, Template

from giamsat.cases.deadlines import today_in_vietnam
from giamsat.errors import NotFound
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.web.guards import current_tenant, logged_in
from giamsat.web.i18n import N_
from giamsat.web.rendering import page
from giamsat.workqueue.service import work_queue


class TreePages(Controller):
    include_in_schema = False
    guards = [logged_in]

    @get("/", guards=[])
    async def root(self, request: Request[Any, Any, Any]) -> Redirect:
        ctx = request.scope.get("state", {}).get("tenant")
        return Redirect(f"/c/{ctx.committee_code}/" if ctx else "/login")

    @get("/c/{code:str}/")
    async def home(self, request: Request[Any, Any, Any], code: str) -> Template:
        repo = CommitteeRepository()
        me = await repo.by_id(current_tenant(request).committee_id)
        if me is None:
            raise NotFound(N_("This committee does not exist."))
        subtree = await repo.in_force_below(me.path)
        return page(
            request,
            "home.html",
            queue=await work_queue(current_tenant(request), today_in_vietnam()),
            committee=me,
            ancestors=await repo.ancestors(me),
            children=await repo.children(me.id),
            subtree=subtree,
        )

    @get("/c/{code:str}/tree")
    async def tree(
        self,
        request: Request[Any, Any, Any],
        code: str,
        q: str = "",
        at: str = "",
        on: date | None = None,
    ) -> Template:
        """The subtree; ``at`` (a code) and ``on`` (a date) show a committee as it was then."""
        ctx = current_tenant(request)
        repo = CommitteeRepository()
        focus = await repo.by_code(at or code, on) if at else await repo.by_id(ctx.committee_id)
        if focus is None or not ctx.covers(focus.path):
            raise NotFound(N_("This committee is not in your committee's tree."))
        results = await repo.search(q, within=ctx.path, limit=100, on=on) if q.strip() else []
        ancestors = [a for a in await repo.ancestors(focus) if ctx.covers(a.path)]
        return page(
            request,
            "tree.html",
            focus=focus,
            q=q,
            results=results,
            ancestors=ancestors,
            children=await repo.children(focus.id, on),
            on=on,
        )
