"""Cadre register pages (``/c/{code}/cadres``) and API (``/api/v1/cadres``): thin wrappers."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.response import Redirect, Template

from giamsat.cadres import service
from giamsat.cadres.schemas import (
    MANAGING_LEVELS,
    POSITION_KINDS,
    CadreCreate,
    CadreUpdate,
    CadreView,
    ImportReport,
)
from giamsat.errors import GiamsatError, InvalidInput
from giamsat.intake.web import read_form
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.paging import Limit, Offset
from giamsat.web.rendering import error_text, page

MAX_SHEET_BYTES = 21 * 1024 * 1024


class CadrePages(Controller):
    path = "/c/{code:str}/cadres"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], q: str = "") -> Template:
        cadres = await service.search_cadres(current_tenant(request), q, limit=200)
        return page(request, "cadres/index.html", cadres=cadres, q=q)

    @get("/new", guards=[staff])
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return page(
            request,
            "cadres/new.html",
            values={},
            error=None,
            levels=MANAGING_LEVELS,
            kinds=POSITION_KINDS,
        )

    @post("/new", guards=[staff])
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k != "_csrf_token"}
        raw: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
        raw["party_member"] = values.get("party_member") == "on"
        try:
            data = msgspec.convert(raw, CadreCreate)
            await service.create_cadre(current_tenant(request), data)
        except msgspec.ValidationError as exc:
            return self._again(request, values, str(exc))
        except GiamsatError as exc:
            return self._again(request, values, error_text(request, exc))
        return Redirect(f"/c/{current_tenant(request).committee_code}/cadres/?q={data.code}")

    def _again(
        self, request: Request[Any, Any, Any], values: dict[str, str], error: str
    ) -> Template:
        return page(
            request,
            "cadres/new.html",
            status_code=422,
            values=values,
            error=error,
            levels=MANAGING_LEVELS,
            kinds=POSITION_KINDS,
        )

    @get("/import", guards=[staff])
    async def import_page(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "cadres/import.html", report=None)

    @post("/import", guards=[staff], request_max_body_size=MAX_SHEET_BYTES)
    async def import_post(self, request: Request[Any, Any, Any]) -> Template:
        _, uploads = await read_form(request)
        if not uploads:
            raise InvalidInput("Chọn tệp .csv hoặc .xlsx (choose a file)", field="file")
        report = await service.import_cadres(
            current_tenant(request), uploads[0].filename, uploads[0].data
        )
        return page(
            request,
            "cadres/import.html",
            status_code=201 if report.accepted else 422,
            report=report,
        )


class CadreApi(Controller):
    path = "/api/v1/cadres"
    tags = ["cadres"]
    guards = [logged_in]

    @get("/")
    async def search(
        self, request: Request[Any, Any, Any], q: str = "", limit: Limit = 50, offset: Offset = 0
    ) -> list[CadreView]:
        """The caller's subtree register; ``q``: a name without diacritics, or a code."""
        return await service.search_cadres(current_tenant(request), q, limit=limit, offset=offset)

    @get("/{cadre:str}")
    async def one(self, request: Request[Any, Any, Any], cadre: str) -> CadreView:
        """One register entry of the caller's subtree, by its code."""
        return await service.get_cadre(current_tenant(request), cadre)

    @post("/", guards=[staff])
    async def create(self, request: Request[Any, Any, Any], data: CadreCreate) -> CadreView:
        """Add a person to the committee's own register (the code must be new there)."""
        return await service.create_cadre(current_tenant(request), data)

    @put("/{cadre:str}", guards=[staff])
    async def update(
        self, request: Request[Any, Any, Any], cadre: str, data: CadreUpdate
    ) -> CadreView:
        """Change an entry of the committee's own register; fields left out stay as they are."""
        return await service.update_cadre(current_tenant(request), cadre, data)

    @post("/import", guards=[staff], request_max_body_size=MAX_SHEET_BYTES)
    async def import_sheet(self, request: Request[Any, Any, Any]) -> Response[ImportReport]:
        """Upload a .csv/.xlsx as multipart field ``file``: all rows kept (201) or none (422)."""
        _, uploads = await read_form(request)
        if not uploads:
            raise InvalidInput(
                "Gửi tệp trong trường 'file' (send the sheet as 'file')", field="file"
            )
        report = await service.import_cadres(
            current_tenant(request), uploads[0].filename, uploads[0].data
        )
        return Response(report, status_code=201 if report.accepted else 422)


ROUTES = [CadrePages, CadreApi]
NAV = [("/c/{code}/cadres/", N_("Cadres"))]
