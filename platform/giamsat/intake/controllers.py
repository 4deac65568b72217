"""Intake pages and API: channel settings per committee, forms, bulk sheets.

Pages: ``/c/{code}/channels`` (admins enable/configure; everyone sees status), ``/c/{code}/intake``
(the committee's enabled channels), ``/c/{code}/intake/{channel}/{form}`` (a plugin's form) and
``/c/{code}/intake/{channel}/bulk/{format}``. API: ``/api/v1/channels`` and ``/api/v1/intake/…``.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Parameter
from litestar.response import Redirect, Template

from giamsat import clock
from giamsat.accounts.roles import Role
from giamsat.channels import (
    BulkFormat,
    ChannelBlocked,
    ChannelContext,
    ChannelInfo,
    ChannelRegistry,
    FormSchema,
    StoredState,
    SubmissionInvalid,
)
from giamsat.channels.forms import render_fields
from giamsat.db.paging import page_of
from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput, PermissionDenied
from giamsat.intake import channels_service as channels
from giamsat.intake import outcomes, plugin_states, sheet_jobs
from giamsat.intake.attachments import MAX_REQUEST_BYTES
from giamsat.intake.context import bare_context, with_catalogue
from giamsat.intake.holder import provide_channel_registry
from giamsat.intake.indicators import IndicatorCatalogue, IndicatorList, catalogue_in_force, listed
from giamsat.intake.service import BulkResult, IntakeResult, import_bulk, submit_form
from giamsat.intake.settings_repo import ConfigValue
from giamsat.intake.web import EXCEPTION_HANDLERS as CHANNEL_HANDLERS
from giamsat.intake.web import flatten, read_form
from giamsat.settings import Settings
from giamsat.tenancy.context import TenantContext
from giamsat.web.guards import admin, current_tenant, logged_in
from giamsat.web.i18n import N_
from giamsat.web.list_pages import list_request, pagination
from giamsat.web.paging import (
    DEFAULT_LIMIT,
    MAX_ID,
    Limit,
    Offset,
    Page,
    paging,
)
from giamsat.web.rendering import page, request_language, translator


def submitter(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Anyone of the committee who may bring in signals (not read-only accounts)."""
    logged_in(connection, handler)
    if current_tenant(connection).role == Role.READ_ONLY:
        raise PermissionDenied(N_("Your role can only view this."))


class ChannelUpdate(msgspec.Struct, frozen=True):
    enabled: bool
    config: dict[str, ConfigValue] | None = None


def _config_from_text(text: str) -> dict[str, ConfigValue]:
    if not text.strip():
        return {}
    try:
        return msgspec.json.decode(text.encode(), type=dict[str, ConfigValue])
    except msgspec.DecodeError as exc:
        raise InvalidInput(
            N_("The settings must be a flat JSON object: %(detail)s"),
            field="config",
            params={"detail": str(exc)},
        ) from None


class ChannelPages(Controller):
    path = "/c/{code:str}"
    include_in_schema = False
    guards = [logged_in]

    @get("/channels")
    async def overview(
        self, request: Request[Any, Any, Any], channel_registry: ChannelRegistry
    ) -> Template:
        rows = await channels.channel_overview(current_tenant(request), channel_registry)
        return page(request, "intake/channels.html", rows=rows)

    @post("/channels/{channel:str}", guards=[admin])
    async def update(
        self, request: Request[Any, Any, Any], channel: str, channel_registry: ChannelRegistry
    ) -> Redirect:
        form = await request.form()
        config = _config_from_text(str(form.get("config", ""))) if "config" in form else None
        await channels.set_channel(
            current_tenant(request),
            channel_registry,
            channel,
            enabled=form.get("enabled") == "on",
            config=config,
        )
        return Redirect(f"/c/{current_tenant(request).committee_code}/channels")

    @get("/intake")
    async def intake_index(
        self, request: Request[Any, Any, Any], channel_registry: ChannelRegistry
    ) -> Template:
        ctx = current_tenant(request)
        enabled = await channels.enabled_channels(ctx, channel_registry)
        context = bare_context(ctx)
        items = [
            await asyncio.to_thread(_offer, channel_registry, info, context) for info in enabled
        ]
        return page(request, "intake/index.html", items=items)

    @post("/channels/plugins/{plugin:str}/reenable", guards=[admin])
    async def reenable(
        self, request: Request[Any, Any, Any], plugin: str, channel_registry: ChannelRegistry
    ) -> Redirect:
        ctx = current_tenant(request)
        await plugin_states.reenable(ctx, channel_registry, plugin)
        return Redirect(f"/c/{ctx.committee_code}/channels")


def _offer(
    registry: ChannelRegistry, info: ChannelInfo, context: ChannelContext
) -> tuple[ChannelInfo, list[FormSchema], list[BulkFormat]]:
    """A channel's forms and sheets for the intake page; a failing plugin offers none (it is
    blocked) and the other channels' parts of the page are unaffected."""
    try:
        return info, registry.forms(info.name, context), registry.bulk_formats(info.name, context)
    except ChannelBlocked:
        return info, [], []


class IntakePages(Controller):
    path = "/c/{code:str}/intake/{channel:str}"
    include_in_schema = False
    guards = [submitter]

    async def _schema(
        self, request: Request[Any, Any, Any], registry: ChannelRegistry, channel: str, form: str
    ) -> Any:
        ctx = current_tenant(request)
        async with tenant_scope(ctx.path):
            _, config = await channels.require_enabled(ctx, registry, channel)
        catalogue = await catalogue_in_force(ctx.path, clock.today())
        schema = registry.form(channel, bare_context(ctx, config, catalogue), form)
        return with_catalogue(schema, catalogue)

    @get("/{form:str}")
    async def form_page(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        form: str,
        channel_registry: ChannelRegistry,
    ) -> Template:
        schema = await self._schema(request, channel_registry, channel, form)
        return page(
            request,
            "intake/form.html",
            schema=schema,
            channel=channel,
            fields=render_fields(schema, language=request_language(request)),
            result=None,
        )

    @post("/{form:str}", request_max_body_size=MAX_REQUEST_BYTES)
    async def form_post(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        form: str,
        channel_registry: ChannelRegistry,
    ) -> Template:
        ctx = current_tenant(request)
        raw, uploads = await read_form(request)
        key = (await request.form()).get("idempotency_key") or None
        try:
            result = await submit_form(
                ctx,
                channel_registry,
                channel,
                form,
                flatten(raw),
                uploads,
                idempotency_key=str(key) if key else None,
            )
        except SubmissionInvalid as exc:
            schema = await self._schema(request, channel_registry, channel, form)
            return page(
                request,
                "intake/form.html",
                status_code=422,
                schema=schema,
                channel=channel,
                result=None,
                fields=render_fields(schema, flatten(raw), exc.errors, request_language(request)),
            )  # type: ignore[arg-type]
        schema = await self._schema(request, channel_registry, channel, form)
        return page(
            request,
            "intake/form.html",
            status_code=201,
            schema=schema,
            channel=channel,
            fields=render_fields(schema, language=request_language(request)),
            result=result,
        )

    @get("/bulk/{fmt:str}")
    async def bulk_page(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        fmt: str,
        channel_registry: ChannelRegistry,
        settings: Settings,
    ) -> Template:
        ctx = current_tenant(request)
        async with tenant_scope(ctx.path):
            await channels.require_enabled(ctx, channel_registry, channel)
        formats = channel_registry.bulk_formats(channel, bare_context(ctx))
        chosen = next((f for f in formats if f.id == fmt), None)
        jobs = await sheet_jobs.recent(ctx, channel)
        return page(request, "intake/bulk.html", channel=channel, fmt=chosen, fmt_id=fmt,
                    result=None, jobs=jobs, job_rows=settings.sheet_job_rows)  # fmt: skip

    @post("/bulk/{fmt:str}", request_max_body_size=MAX_REQUEST_BYTES)
    async def bulk_post(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        fmt: str,
        channel_registry: ChannelRegistry,
        settings: Settings,
    ) -> Template | Redirect:
        ctx = current_tenant(request)
        _, uploads = await read_form(request)
        if not uploads:
            raise InvalidInput(N_("Choose a .csv or .xlsx file."), field="file")
        result = await import_bulk(
            ctx, channel_registry, channel, fmt, uploads[0].filename, uploads[0].data,
            job_rows=settings.sheet_job_rows,
        )  # fmt: skip
        if result.job_id is not None:  # a big sheet: kept, and decided by a job; follow it there
            return Redirect(sheet_jobs.page_url(ctx.committee_code, result.job_id))
        formats = channel_registry.bulk_formats(channel, bare_context(ctx))
        return page(
            request,
            "intake/bulk.html",
            status_code=201 if result.accepted else 422,
            channel=channel,
            fmt=next((f for f in formats if f.id == fmt), None),
            fmt_id=fmt,
            result=result,
            jobs=[],
            job_rows=settings.sheet_job_rows,
        )


#: Submissions after this id only (0: from the first).
After = Annotated[
    int, Parameter(ge=0, le=MAX_ID, description="Only submissions with a higher id (0: all).")
]

_SHEET_REFUSED = N_("Some rows are wrong: no row was kept (see rows).")


class IntakeApi(Controller):
    path = "/api/v1"
    tags = ["intake"]
    guards = [submitter]

    @get("/channels")
    async def list_channels(
        self,
        request: Request[Any, Any, Any],
        channel_registry: ChannelRegistry,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[channels.ChannelRow]:
        """Every channel plugin with its status and whether this committee enabled it."""
        rows = await channels.channel_overview(current_tenant(request), channel_registry)
        return page_of(rows, paging(limit, offset))

    @get("/indicators")
    async def indicators(self, request: Request[Any, Any, Any]) -> IndicatorList:
        """The indicators (tiêu chí) a signal may name today: the plan in force's catalogue."""
        return listed(await catalogue_in_force(current_tenant(request).path, clock.today()))

    @get("/channels/{channel:str}/forms")
    async def forms(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        channel_registry: ChannelRegistry,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[FormSchema]:
        """The channel's forms with their fields, as POST /api/v1/intake/{channel}/{form} takes
        them (the channel must be enabled for the caller's committee)."""
        context = await _enabled_context(current_tenant(request), channel_registry, channel)
        forms = [with_catalogue(f, context[1]) for f in channel_registry.forms(channel, context[0])]
        return page_of(forms, paging(limit, offset))

    @get("/channels/{channel:str}/bulk-formats")
    async def bulk_formats(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        channel_registry: ChannelRegistry,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[BulkFormat]:
        """The sheets POST /api/v1/intake/{channel}/bulk/{fmt} takes, with their columns."""
        context = await _enabled_context(current_tenant(request), channel_registry, channel)
        return page_of(channel_registry.bulk_formats(channel, context[0]), paging(limit, offset))

    @post("/channels/{channel:str}", guards=[admin], status_code=200)
    async def set_channel(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        data: ChannelUpdate,
        channel_registry: ChannelRegistry,
    ) -> channels.ChannelRow:
        """Enable or disable a channel for the caller's committee (admins)."""
        return await channels.set_channel(
            current_tenant(request),
            channel_registry,
            channel,
            enabled=data.enabled,
            config=data.config,
        )

    @post("/channels/plugins/{plugin:str}/reenable", guards=[admin], status_code=200)
    async def reenable(
        self, request: Request[Any, Any, Any], plugin: str, channel_registry: ChannelRegistry
    ) -> StoredState:
        """Lift a blocked plugin's block on every replica, after a fix (an admin of a committee
        that enabled its channel)."""
        return await plugin_states.reenable(current_tenant(request), channel_registry, plugin)

    @post("/intake/{channel:str}/{form:str}", request_max_body_size=MAX_REQUEST_BYTES)
    async def submit(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        form: str,
        channel_registry: ChannelRegistry,
    ) -> Response[IntakeResult]:
        """Submit a form as JSON (field → value) or multipart (with files).

        Send an ``Idempotency-Key`` header to make retries safe: the same key returns the first
        result (status 200, ``replayed: true``) and creates nothing.
        """
        raw, uploads = await _api_body(request)
        result = await submit_form(
            current_tenant(request),
            channel_registry,
            channel,
            form,
            raw,
            uploads,
            idempotency_key=request.headers.get("idempotency-key"),
        )
        return Response(result, status_code=200 if result.replayed else 201)

    @post("/intake/{channel:str}/bulk/{fmt:str}", request_max_body_size=MAX_REQUEST_BYTES)
    async def bulk(
        self,
        request: Request[Any, Any, Any],
        channel: str,
        fmt: str,
        channel_registry: ChannelRegistry,
        settings: Settings,
    ) -> Response[BulkResult]:
        """Upload a channel's sheet (multipart field ``file``): all rows kept, or none (422).

        A sheet of more rows than the server's ``sheet_job_rows`` (200 by default) is kept the
        same way but decided afterwards: the answer is 202 with ``job_id`` and ``job_url``
        (also the ``Location`` header), ``GET /api/v1/decision-jobs/{job_id}`` shows progress.
        """
        _, uploads = await read_form(request)
        if not uploads:
            raise InvalidInput(N_("Send the sheet in the 'file' field."), field="file")
        result = await import_bulk(
            current_tenant(request),
            channel_registry,
            channel,
            fmt,
            uploads[0].filename,
            uploads[0].data,
            idempotency_key=request.headers.get("idempotency-key"),
            job_rows=settings.sheet_job_rows,
        )
        if not result.accepted:  # the one error shape, with every row's report kept
            refused = {
                "error": "invalid_sheet",
                "message": translator(request).gettext(_SHEET_REFUSED),
            }
            body = {**refused, **msgspec.to_builtins(result)}
            return Response(body, status_code=422)  # type: ignore[arg-type]  # documented 422
        if result.job_id is not None:
            return Response(result, status_code=200 if result.replayed else 202,
                            headers={"Location": result.job_url})  # fmt: skip
        return Response(result, status_code=200 if result.replayed else 201)


async def _enabled_context(
    ctx: TenantContext, registry: ChannelRegistry, channel: str
) -> tuple[ChannelContext, IndicatorCatalogue]:
    async with tenant_scope(ctx.path):
        _, config = await channels.require_enabled(ctx, registry, channel)
    catalogue = await catalogue_in_force(ctx.path, clock.today())
    return bare_context(ctx, config, catalogue), catalogue


class DecisionJobPages(Controller):
    """A big sheet's decision: progress while it runs, then what it did."""

    path = "/c/{code:str}/decision-jobs"
    include_in_schema = False
    guards = [logged_in]

    @get("/{job_id:int}")
    async def job_page(self, request: Request[Any, Any, Any], job_id: int) -> Template:
        job = await sheet_jobs.job_of(current_tenant(request), job_id)
        if request.headers.get("hx-request") == "true":  # the page's own polling
            return page(request, "intake/_decision_job.html", job=job)
        return page(request, "intake/decision_job.html", job=job)


class DecisionJobApi(Controller):
    path = "/api/v1/decision-jobs"
    tags = ["intake"]
    guards = [logged_in]

    @get("/{job_id:int}")
    async def job(self, request: Request[Any, Any, Any], job_id: int) -> sheet_jobs.DecisionJobView:
        """A big sheet's decision job: its state (queued, running, done, failed), the signals
        decided of the total, the cases opened, the signals attached to a case and those left
        undecided; poll it until ``state`` is ``done``."""
        return await sheet_jobs.job_of(current_tenant(request), job_id)


class SubmissionPages(Controller):
    """The sender's view of their submissions and where each signal went."""

    path = "/c/{code:str}/submissions"
    include_in_schema = False
    guards = [logged_in]

    @get("/")
    async def list_page(self, request: Request[Any, Any, Any]) -> Template:
        asked = list_request(request)
        listed = await outcomes.recent_page(current_tenant(request), asked.page)
        return page(
            request,
            "intake/submissions.html",
            items=listed.items,
            pagination=pagination(asked.query, listed),
            item=None,
        )

    @get("/{submission_id:int}")
    async def detail_page(self, request: Request[Any, Any, Any], submission_id: int) -> Template:
        item = await outcomes.by_id(current_tenant(request), submission_id)
        return page(request, "intake/submissions.html", items=[], item=item)


class SubmissionsApi(Controller):
    """Outcomes for the sender: by submission id, by Idempotency-Key, or as a feed to poll."""

    path = "/api/v1/submissions"
    tags = ["intake"]
    guards = [logged_in]

    @get("/")
    async def feed(
        self,
        request: Request[Any, Any, Any],
        after: After = 0,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[outcomes.SubmissionOutcome]:
        """The caller's submissions with an id above ``after``, oldest first, each with where its
        signals went; poll for new ones with ``after`` set to the last ``submission_id`` seen.
        A partner's officer gets only their organisation's."""
        page_ = paging(limit, offset)
        return await outcomes.feed(current_tenant(request), page_, after=after)

    @get("/{submission_id:int}")
    async def by_id(
        self, request: Request[Any, Any, Any], submission_id: int
    ) -> outcomes.SubmissionOutcome:
        """One submission's outcome: for each signal a case (level, status, due date), the
        triage queue, no case (and the rule pack that decided), or still waiting."""
        return await outcomes.by_id(current_tenant(request), submission_id)

    @get("/by-key/{key:str}")
    async def by_key(self, request: Request[Any, Any, Any], key: str) -> outcomes.SubmissionOutcome:
        """The outcome of the submission sent with this ``Idempotency-Key``."""
        return await outcomes.by_key(current_tenant(request), key)


async def _api_body(
    request: Request[Any, Any, Any],
) -> tuple[dict[str, str | list[str]], list[Any]]:
    if request.content_type[0].startswith("multipart/"):
        raw, uploads = await read_form(request)
        return flatten(raw), uploads
    try:
        body = msgspec.json.decode(
            await request.body(), type=dict[str, str | int | float | bool | list[str] | None]
        )
    except msgspec.DecodeError as exc:
        raise InvalidInput(
            N_("The body must be a JSON object: %(detail)s"),
            field="body",
            params={"detail": str(exc)},
        ) from None
    values: dict[str, str | list[str]] = {}
    for key, value in body.items():
        if value is None:
            continue
        values[key] = value if isinstance(value, list) else str(value)
    return values, []


ROUTES = [
    ChannelPages,
    IntakePages,
    IntakeApi,
    DecisionJobPages,
    DecisionJobApi,
    SubmissionPages,
    SubmissionsApi,
]
NAV = [
    ("/c/{code}/intake", N_("Intake")),
    ("/c/{code}/submissions", N_("Submissions")),
    ("/c/{code}/channels", N_("Channels"), ("admin",)),
]
DEPENDENCIES = {
    "channel_registry": Provide(provide_channel_registry),
}
EXCEPTION_HANDLERS = dict(CHANNEL_HANDLERS)
