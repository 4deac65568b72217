"""Cadre register pages (``/c/{code}/cadres``) and API (``/api/v1/cadres``): thin wrappers."""

from __future__ import annotations

from typing import Any, Literal, get_args

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.response import Redirect, Template

from giamsat.cadres import service
from giamsat.cadres.repository import CadreSort
from giamsat.cadres.schemas import (
    MANAGING_LEVELS,
    POSITION_KINDS,
    CadreCreate,
    CadreUpdate,
    CadreView,
    ImportReport,
)
from giamsat.cadres.sheet import MANAGING_LEVEL_NAMES, POSITION_KIND_NAMES, cadres_sheet
from giamsat.clock import today as vietnam_today
from giamsat.errors import GiamsatError, InvalidInput
from giamsat.intake.web import read_form
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_, Translator
from giamsat.web.list_pages import href, list_request, pagination, sort_headers, sort_of
from giamsat.web.list_sheets import XLSX, write_list
from giamsat.web.paging import DEFAULT_LIMIT, Limit, Offset, Page, paging
from giamsat.web.rendering import error_text, page, translator

MAX_SHEET_BYTES = 21 * 1024 * 1024
#: A managing level to filter on, or none.
ManagingLevelFilter = Literal["", "central", "province", "district", "commune", "residence"]


class CadrePages(Controller):
    path = "/c/{code:str}/cadres"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        q: str = "",
        managing_level: str = "",
    ) -> Template:
        asked = list_request(request, sorts=_SORTS, default_sort="name")
        level = managing_level if managing_level in MANAGING_LEVELS else ""
        order: Any = asked.sort
        listed = await service.page_cadres(
            current_tenant(request), q, asked.page, managing_level=level, sort=order
        )
        query = asked.query
        return page(
            request,
            "cadres/list.html",
            cadres=listed.items,
            pagination=pagination(query, listed),
            sorts=sort_headers(query, order, ("name", "code", "level")),
            export_href="export.xlsx" + href(query, page=None),
            q=q,
            managing_level=level,
            levels=[(v, MANAGING_LEVEL_NAMES[v]) for v in MANAGING_LEVELS],
            kind_names=POSITION_KIND_NAMES,
            level_names=MANAGING_LEVEL_NAMES,
        )

    @get("/export.xlsx", media_type=XLSX)
    async def export(
        self, request: Request[Any, Any, Any], q: str = "", managing_level: str = "", sort: str = ""
    ) -> Response[bytes]:
        """Every entry the register's filters choose, as an Excel workbook."""
        level = managing_level if managing_level in MANAGING_LEVELS else ""
        order: Any = sort_of(sort, _SORTS, "name")
        return await _export(current_tenant(request), translator(request), q, level, order)

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
            raise InvalidInput(N_("Choose a .csv or .xlsx file."), field="file")
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
        self,
        request: Request[Any, Any, Any],
        q: str = "",
        managing_level: ManagingLevelFilter = "",
        sort: CadreSort = "name",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[CadreView]:
        """The caller's subtree register; ``q``: a name without diacritics, or a code;
        ``managing_level``: only the entries managed at that level."""
        return await service.page_cadres(
            current_tenant(request), q, paging(limit, offset), managing_level=managing_level,
            sort=sort,
        )  # fmt: skip

    @get("/export.xlsx", media_type=XLSX)
    async def export(
        self,
        request: Request[Any, Any, Any],
        q: str = "",
        managing_level: ManagingLevelFilter = "",
        sort: CadreSort = "name",
    ) -> Response[bytes]:
        """Every entry the filters choose (all pages, as GET /api/v1/cadres lists them) as an
        Excel workbook, in the caller's language, under a title block naming the committee, the
        filters and the day."""
        ctx = current_tenant(request)
        return await _export(ctx, Translator(ctx.language), q, managing_level, sort)

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
            raise InvalidInput(N_("Send the sheet in the 'file' field."), field="file")
        report = await service.import_cadres(
            current_tenant(request), uploads[0].filename, uploads[0].data
        )
        return Response(report, status_code=201 if report.accepted else 422)


_SORTS = set(get_args(CadreSort))


async def _export(
    ctx: TenantContext, tr: Translator, q: str, managing_level: str, sort: CadreSort
) -> Response[bytes]:
    today = vietnam_today()
    items = await service.all_cadres(ctx, q, managing_level=managing_level, sort=sort)
    committee = await CommitteeRepository().by_code(ctx.committee_code)
    issuer = committee.title if committee is not None else ctx.committee_code
    sheet = cadres_sheet(
        tr, issuer=issuer, items=items, today=today, q=q, managing_level=managing_level
    )
    name = f"{tr.gettext('Cadres and party members')} {ctx.committee_code} {today:%d-%m-%Y}.xlsx"
    return Response(
        write_list(sheet),
        media_type=XLSX,
        headers={"Content-Disposition": content_disposition(name)},
    )


ROUTES = [CadrePages, CadreApi]
NAV = [("/c/{code}/cadres/", N_("Cadres"))]
