"""Residence record pages (``/c/{code}/residence``) and API (``/api/v1/residence``): thin
wrappers over :mod:`giamsat.residence.service`; the year comes from the request or the clock."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from giamsat.errors import GiamsatError
from giamsat.residence import documents, service
from giamsat.residence.schemas import (
    RESULTS,
    AssessmentUpdate,
    ResidenceRecord,
    ResidenceRecordList,
)
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import current_tenant, logged_in, staff
from giamsat.web.i18n import N_, Translator
from giamsat.web.rendering import page, request_language

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ListFormat = Literal["docx", "xlsx"]
QueryYear = int | None
#: The list's file format, as the ``format`` query parameter of the pages' download links.
FormatQuery = Annotated[ListFormat, QueryParameter(name="format")]


def _file(content: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": content_disposition(name)}
    )


async def _comment(
    request: Request[Any, Any, Any], cadre_id: int, year: int | None
) -> Response[bytes]:
    ctx, lang = current_tenant(request), request_language(request)
    record = await service.get_record(ctx, cadre_id, service.record_year(year))
    content = documents.comment_docx(record, await documents.issuer(ctx), lang)
    name = Translator(lang).gettext(
        "Comment %(year)s - %(name)s.docx", year=record.year, name=record.full_name
    )
    return _file(content, DOCX, name)


async def _list(request: Request[Any, Any, Any], fmt: str, year: int | None) -> Response[bytes]:
    ctx, lang = current_tenant(request), request_language(request)
    records = await service.list_records(ctx, service.record_year(year))
    who = await documents.issuer(ctx)
    name = Translator(lang).gettext(
        "Residence comments %(year)s - %(commune)s", year=records.year, commune=ctx.committee_name
    )
    if fmt == "xlsx":
        return _file(documents.list_xlsx(records, who, lang), XLSX, f"{name}.xlsx")
    return _file(documents.list_docx(records, who, lang), DOCX, f"{name}.docx")


def _assessment(form: Any, year: int) -> AssessmentUpdate:
    duties = {k[5:]: str(v) for k, v in form.items() if k.startswith("duty-") and v}
    raw = {
        "year": year,
        "duties": duties,
        "result": str(form.get("result") or "") or None,
        "residence_party_cell": str(form.get("residence_party_cell") or ""),
        "workplace_party_org": str(form.get("workplace_party_org") or ""),
        "comment": str(form.get("comment") or ""),
    }
    return msgspec.convert(raw, AssessmentUpdate)


class ResidencePages(Controller):
    path = "/c/{code:str}/residence"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], year: QueryYear = None) -> Template:
        records = await service.list_records(current_tenant(request), service.record_year(year))
        return page(request, "residence/index.html", records=records)

    @get("/members/{cadre_id:int}")
    async def record(
        self, request: Request[Any, Any, Any], cadre_id: int, year: QueryYear = None
    ) -> Template:
        ctx = current_tenant(request)
        found = await service.get_record(ctx, cadre_id, service.record_year(year))
        return self._record(request, found, saved=request.query_params.get("saved") == "1")

    def _record(
        self,
        request: Request[Any, Any, Any],
        record: ResidenceRecord,
        *,
        saved: bool = False,
        error: str = "",
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "residence/record.html",
            status_code=status_code,
            r=record,
            results=RESULTS,
            saved=saved,
            error=error,
        )

    @post("/members/{cadre_id:int}", guards=[staff])
    async def assess(
        self, request: Request[Any, Any, Any], cadre_id: int, year: QueryYear = None
    ) -> Template | Redirect:
        ctx = current_tenant(request)
        chosen = service.record_year(year)
        form = await request.form()
        try:
            data = _assessment(form, chosen)
            await service.assess(ctx, cadre_id, data)
        except (msgspec.ValidationError, GiamsatError) as exc:
            if isinstance(exc, GiamsatError) and exc.status_code == 404:
                raise
            found = await service.get_record(ctx, cadre_id, chosen)
            message = Translator(request_language(request)).gettext(
                "The assessment could not be kept: check the choices and the length of the texts."
            )
            return self._record(request, found, error=message, status_code=422)
        return Redirect(
            f"/c/{ctx.committee_code}/residence/members/{cadre_id}?year={chosen}&saved=1"
        )

    @get("/members/{cadre_id:int}/comment", media_type=DOCX)
    async def comment(
        self, request: Request[Any, Any, Any], cadre_id: int, year: QueryYear = None
    ) -> Response[bytes]:
        return await _comment(request, cadre_id, year)

    @get("/list")
    async def export(
        self, request: Request[Any, Any, Any], fmt: FormatQuery = "docx", year: QueryYear = None
    ) -> Response[bytes]:
        return await _list(request, fmt, year)


class ResidenceApi(Controller):
    path = "/api/v1/residence"
    tags = ["residence"]
    guards = [logged_in]

    @get("/records")
    async def records(
        self, request: Request[Any, Any, Any], year: QueryYear = None
    ) -> ResidenceRecordList:
        """The caller's commune's residence records for a year (this year by default): each
        party member living there, the duties found short and the commune's result."""
        return await service.list_records(current_tenant(request), service.record_year(year))

    @get("/records/{cadre_id:int}")
    async def record(
        self, request: Request[Any, Any, Any], cadre_id: int, year: QueryYear = None
    ) -> ResidenceRecord:
        """One member's residence record for a year: the findings with their sources and dates,
        the duties and the commune's assessment (404 unless the member is on the caller's
        records)."""
        return await service.get_record(
            current_tenant(request), cadre_id, service.record_year(year)
        )

    @put("/records/{cadre_id:int}", guards=[staff])
    async def assess(
        self, request: Request[Any, Any, Any], cadre_id: int, data: AssessmentUpdate
    ) -> ResidenceRecord:
        """Keep the commune's year-end assessment of a member living there (one per member and
        year; a second call replaces the first): the duties rated, the result, the party cells
        and the comment. 404 unless the member is on the caller's records; a duty the year's
        plan does not have, or a year still to come, is refused and nothing is kept."""
        return await service.assess(current_tenant(request), cadre_id, data)

    @get("/records/{cadre_id:int}/comment", media_type=DOCX)
    async def comment(
        self, request: Request[Any, Any, Any], cadre_id: int, year: QueryYear = None
    ) -> Response[bytes]:
        """The member's year-end comment (phiếu nhận xét đảng viên nơi cư trú) as a Word file,
        in the caller's language, for the workplace party organisation."""
        return await _comment(request, cadre_id, year)

    @get("/list/docx", media_type=DOCX)
    async def export_docx(
        self, request: Request[Any, Any, Any], year: QueryYear = None
    ) -> Response[bytes]:
        """The commune's list of year-end comments for the workplace party organisations, as a
        Word file."""
        return await _list(request, "docx", year)

    @get("/list/xlsx", media_type=XLSX)
    async def export_xlsx(
        self, request: Request[Any, Any, Any], year: QueryYear = None
    ) -> Response[bytes]:
        """The commune's list of year-end comments for the workplace party organisations, as an
        Excel file."""
        return await _list(request, "xlsx", year)


ROUTES = [ResidencePages, ResidenceApi]
NAV = [("/c/{code}/residence/", N_("Residence"))]
