"""Intake: a posted form or a bulk sheet → the channel's signals → Signal rows, committed.

Each accepted submission is written in one tenant-scope transaction (signals, the submission
record with its idempotency key, attachments, an audit entry) before the caller replies; the
decision step (``giamsat.decisions``) runs only after that commit. A retry carrying the same
``Idempotency-Key`` gets the first result back and creates nothing; it also hands those signals
to the decision step again, which decides any that a crash left undecided.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import msgspec

from giamsat import clock
from giamsat.audit.service import record
from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry, FieldError, SignalDraft, SubmissionInvalid
from giamsat.channels.forms import RawValues, parse_date
from giamsat.channels.sheets import BulkOutcome, RowReport, read_sheet
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.service import AfterCommit, decide_after_commit
from giamsat.errors import InvalidInput
from giamsat.intake import attachments, sheet_jobs
from giamsat.intake.channels_service import require_enabled
from giamsat.intake.context import NamedCadre, bare_context, candidate_codes, channel_context
from giamsat.intake.tables import IntakeSubmission
from giamsat.observability.metrics import SIGNALS_ACCEPTED
from giamsat.plans.service import active_pack
from giamsat.signals.store import store_drafts
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, in_both

_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class SignalRoute(msgspec.Struct, frozen=True, kw_only=True):
    """Where one signal went: the case it was attached to (id and number, to follow it with
    GET /api/v1/cases/{case_id}), or ``case_id`` null while it waits for a decision."""

    signal_id: int
    status: str
    case_id: int | None = None
    case_number: str = ""


class IntakeResult(msgspec.Struct, frozen=True, kw_only=True):
    """What a submitter gets back: the submission, its signals, where each went, and whether
    it is a replay."""

    submission_id: int
    channel: str
    form_id: str
    signal_ids: list[int]
    replayed: bool = False
    routes: list[SignalRoute] = []


class BulkResult(msgspec.Struct, frozen=True, kw_only=True):
    """A bulk import: accepted (every row kept) or refused (no row kept, bad rows listed).

    A sheet of at most ``sheet_job_rows`` rows is decided before the answer: ``rows`` reports
    every row, ``signal_ids`` and ``routes`` name each signal and where it went. A bigger sheet
    is kept the same way and decided afterwards by a job: the answer then carries the job
    (``job_id``, ``job_url``, and ``job`` with its state and counts: ``rows`` read, ``total``
    signals, ``decided`` so far) and ``signals``, how many were kept, but neither ``rows`` nor
    ``signal_ids`` nor ``routes``: each signal's outcome is at ``GET /api/v1/submissions/{id}``
    with ``submission_id``."""

    accepted: bool
    rows: list[RowReport]
    submission_id: int | None = None
    signal_ids: list[int] = []
    #: How many signals were kept (also when ``signal_ids`` is left out for a job).
    signals: int = 0
    replayed: bool = False
    routes: list[SignalRoute] = []
    #: A sheet above ``sheet_job_rows`` rows is decided by a job after the commit: its id and
    #: where to follow it (``GET /api/v1/decision-jobs/{id}``).
    job_id: int | None = None
    job_url: str = ""
    #: That job as ``GET /api/v1/decision-jobs/{id}`` shows it, when the answer was given.
    job: sheet_jobs.DecisionJobView | None = None


async def _job_answer(
    ctx: TenantContext, submission_id: int, job_id: int, signals: int, *, replayed: bool
) -> BulkResult:
    """A big sheet's answer: the job, and how many signals it decides; no list of them."""
    return BulkResult(
        accepted=True, rows=[], submission_id=submission_id, signals=signals, replayed=replayed,
        job_id=job_id, job_url=sheet_jobs.status_url(job_id),
        job=await sheet_jobs.job_of(ctx, job_id),
    )  # fmt: skip


def check_key(key: str | None) -> str | None:
    """The idempotency key, or an error naming the header when it is malformed."""
    if key is None or key == "":
        return None
    if not _KEY.match(key):
        raise InvalidInput(
            N_("The Idempotency-Key must be 8 to 128 characters of A-Z a-z 0-9 . _ : -"),
            field="Idempotency-Key",
        )
    return key


def _scoped(ctx: TenantContext, channel: str, key: str | None) -> str | None:
    return f"{ctx.committee_id}:{channel}:{key}" if key else None


async def routes_of(ctx: TenantContext, signal_ids: list[int]) -> list[SignalRoute]:
    """Where each of the committee's signals stands now (after the decision step ran)."""
    if not signal_ids:
        return []
    async with tenant_scope(ctx.path):
        rows = await Signal.select(Signal.id, Signal.status, Signal.case_id).where(
            Signal.id.is_in(signal_ids) & (Signal.tenant_path == ctx.path)
        )
    case_ids = [r["case_id"] for r in rows if r["case_id"] is not None]
    numbers: dict[int, str] = {}
    if case_ids:
        async with system_scope():  # the signal's own link names the case, wherever it went
            found = await Case.select(Case.id, Case.number).where(Case.id.is_in(case_ids))
        numbers = {r["id"]: r["number"] for r in found}
    by_id = {r["id"]: r for r in rows}
    return [
        SignalRoute(signal_id=i, status=by_id[i]["status"], case_id=by_id[i]["case_id"],
                    case_number=numbers.get(by_id[i]["case_id"], ""))
        for i in signal_ids if i in by_id
    ]  # fmt: skip


async def _replay(ctx: TenantContext, scoped_key: str | None) -> IntakeResult | None:
    if scoped_key is None:
        return None
    async with tenant_scope(ctx.path):
        row = (
            await IntakeSubmission.select().where(IntakeSubmission.scoped_key == scoped_key).first()
        )
    if row is None:
        return None
    ids = row["signal_ids"]
    ids = msgspec.json.decode(ids) if isinstance(ids, str | bytes) else ids
    return IntakeResult(
        submission_id=row["id"],
        channel=row["channel"],
        form_id=row["form_id"],
        signal_ids=list(ids),
        replayed=True,
        routes=await routes_of(ctx, list(ids)),
    )


async def submit_form(
    ctx: TenantContext,
    registry: ChannelRegistry,
    channel: str,
    form_id: str,
    raw: RawValues,
    uploads: list[attachments.Upload] | None = None,
    *,
    idempotency_key: str | None = None,
    received_on: date | None = None,
    decide: AfterCommit | None = None,
) -> IntakeResult:
    """Validate and store one form submission; raise SubmissionInvalid with field errors."""
    scoped_key = _scoped(ctx, channel, check_key(idempotency_key))
    earlier = await _replay(ctx, scoped_key)
    if earlier is not None:
        await decide_after_commit(ctx, earlier.signal_ids, decide)  # a crash may have cut it off
        return earlier
    uploads = uploads or []
    metas = [attachments.describe(upload) for upload in uploads]
    try:
        async with tenant_scope(ctx.path):
            _, config = await require_enabled(ctx, registry, channel)
            today = clock.today()
            entered = _entered_received_on(raw)
            received = received_on or entered or today
            context, cadres = await channel_context(
                ctx, config, candidate_codes(raw.values()), received
            )
            if entered is not None and not _asks_received_on(registry, context, channel, form_id):
                # only a form that asks staff for the received date may set it
                received = received_on or today
                context, cadres = await channel_context(
                    ctx, config, candidate_codes(raw.values()), received
                )
            drafts = await asyncio.to_thread(
                registry.submit,
                channel,
                context,
                form_id,
                raw,
                received_on=received,
                attachments=metas,
                submitter_role=ctx.organisation or ctx.role or "",
            )
            await check_received_dates(ctx, drafts, today=today)
            ids = await store_drafts(
                ctx,
                drafts,
                cadres,
                form_id=form_id,
                idempotency_key=idempotency_key,
                submitted_by=ctx.user_id,
                cadre_field=_cadre_field(registry, context, channel, form_id),
            )
            submission_id = await _record(ctx, channel, form_id, "form", scoped_key, ids)
            await attachments.store(ctx, submission_id, uploads)
    except Exception:
        again = await _replay(ctx, scoped_key)  # a concurrent retry committed first
        if again is not None:
            await decide_after_commit(ctx, again.signal_ids, decide)
            return again
        raise
    count_accepted(channel, ids)
    await decide_after_commit(ctx, ids, decide)
    return IntakeResult(
        submission_id=submission_id, channel=channel, form_id=form_id, signal_ids=ids,
        routes=await routes_of(ctx, ids),
    )  # fmt: skip


def _entered_received_on(raw: RawValues) -> date | None:
    """The received date staff typed into the form (``received_on``), if any."""
    value = raw.get("received_on")
    text = (value if isinstance(value, str) else (value[0] if value else "")).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise SubmissionInvalid([FieldError("received_on", *in_both(N_(
        "The received date '%(text)s' is not a date: write it as year-month-day, e.g. 2024-11-20"
    ), text=text))])  # fmt: skip


def _asks_received_on(registry: ChannelRegistry, context: Any, channel: str, form_id: str) -> bool:
    schema = registry.form(channel, context, form_id)
    return any(f.name == "received_on" and f.type == "date" for f in schema.fields)


async def check_received_dates(
    ctx: TenantContext, drafts: Sequence[SignalDraft], *, today: date
) -> None:
    """A received date staff entered is never after today, nor before the plan in force."""
    errors: list[FieldError] = []
    entered = {d.received_on for d in drafts if d.received_on is not None}
    for when in sorted(entered - {today}):
        if when > today:
            errors.append(FieldError(
                "received_on",
                f"Ngày tiếp nhận {when:%d/%m/%Y} ở tương lai",
                f"the received date {when:%Y-%m-%d} is in the future",
            ))  # fmt: skip
        elif await active_pack(ctx.path, when) is None:
            errors.append(FieldError(
                "received_on",
                f"Ngày tiếp nhận {when:%d/%m/%Y} trước kế hoạch đang áp dụng",
                f"the received date {when:%Y-%m-%d} is before the plan in force",
            ))  # fmt: skip
    if errors:
        raise SubmissionInvalid(errors)


def _received_column(
    registry: ChannelRegistry, ctx: TenantContext, channel: str, format_id: str
) -> str:
    """The sheet's received-date column, as its channel's bulk format names it ("" if none)."""
    formats = registry.bulk_formats(channel, bare_context(ctx))
    return next((f.received_column for f in formats if f.id == format_id), "")


async def _rows_by_received_date(
    ctx: TenantContext,
    rows: Sequence[Mapping[str, str]],
    lines: Sequence[int],
    column: str,
    default: date,
    today: date,
) -> tuple[dict[date, list[int]], dict[int, RowReport]]:
    """Row indexes by received date, and the rows refused for theirs (naming the column): not a
    date, in the future, or before the plan in force on it (a date typed in the cell, other than
    today). Without a column or a date in the cell, the row is received on ``default``."""
    groups: dict[date, list[int]] = {}
    refused: dict[int, RowReport] = {}
    in_force: dict[date, bool] = {}
    if not rows:
        groups[default] = []
    for index, row in enumerate(rows):
        cell = (row.get(column) or "").strip() if column else ""
        when = parse_date(cell) if cell else default
        error: FieldError | None = None
        if when is None:
            error = FieldError(column, (
                f"Cột {column}: '{cell[:40]}' không phải ngày tiếp nhận (ghi dạng năm-tháng-ngày "
                "hoặc ngày/tháng/năm)"),
                f"column {column}: '{cell[:40]}' is not a received date (year-month-day or "
                "day/month/year)")  # fmt: skip
        elif not cell or when == today:
            pass  # the day of the import, as for a form: no plan yet means the signals wait
        elif when > today:
            error = FieldError(column, f"Cột {column}: ngày tiếp nhận {when:%d/%m/%Y} ở tương lai",
                f"column {column}: the received date {when:%Y-%m-%d} is in the future")  # fmt: skip
        else:
            if when not in in_force:
                in_force[when] = await active_pack(ctx.path, when) is not None
            if not in_force[when]:
                error = FieldError(column, (
                    f"Cột {column}: ngày tiếp nhận {when:%d/%m/%Y} trước kế hoạch đang áp dụng"),
                    f"column {column}: the received date {when:%Y-%m-%d} is before the plan "
                    "in force")  # fmt: skip
        if error is not None or when is None:
            refused[index] = RowReport(line=lines[index], ok=False, errors=[error] if error else [])
        else:
            groups.setdefault(when, []).append(index)
    return groups, refused


def count_accepted(channel: str, signal_ids: list[int]) -> None:
    """Count committed signals in ``giamsat_signals_accepted_total``; call after the commit only,
    so a rolled-back submission is never counted."""
    if signal_ids:
        SIGNALS_ACCEPTED.labels(channel=channel).inc(len(signal_ids))


def _cadre_field(registry: ChannelRegistry, context: Any, channel: str, form_id: str) -> str:
    schema = registry.form(channel, context, form_id)
    return next((f.name for f in schema.fields if f.type == "cadre"), "cadre")


async def _record(
    ctx: TenantContext,
    channel: str,
    form_id: str,
    kind: str,
    scoped_key: str | None,
    ids: list[int],
) -> int:
    row = IntakeSubmission(
        committee=ctx.committee_id,
        tenant_path=ctx.path,
        channel=channel,
        form_id=form_id,
        kind=kind,
        scoped_key=scoped_key,
        signal_ids=ids,
        submitted_by=ctx.user_id,
        organisation=ctx.organisation,
    )
    await row.save()
    await record(
        ctx,
        "signal.received",
        "intake_submission",
        row.id,
        {"channel": channel, "form": form_id, "signals": len(ids), "kind": kind},
    )
    return int(row.id)


async def import_bulk(
    ctx: TenantContext,
    registry: ChannelRegistry,
    channel: str,
    format_id: str,
    filename: str,
    data: bytes,
    *,
    idempotency_key: str | None = None,
    decide: AfterCommit | None = None,
    received_on: date | None = None,
    job_rows: int | None = None,
) -> BulkResult:
    """Import a channel's sheet, all or nothing: any bad row keeps no row, every one is listed.

    With ``job_rows``, a sheet of more rows is committed the same way but decided afterwards by
    a job queued in the same transaction (:mod:`giamsat.intake.sheet_jobs`)."""
    scoped_key = _scoped(ctx, channel, check_key(idempotency_key))
    earlier = await _replay(ctx, scoped_key)
    if earlier is not None:
        job_id = await sheet_jobs.job_of_submission(ctx, earlier.submission_id)
        if job_id is not None:  # its job decides it (or has): nothing to do here
            return await _job_answer(ctx, earlier.submission_id, job_id,
                                     len(earlier.signal_ids), replayed=True)  # fmt: skip
        await decide_after_commit(ctx, earlier.signal_ids, decide)  # a crash may have cut it off
        return BulkResult(
            accepted=True,
            rows=[],
            submission_id=earlier.submission_id,
            signal_ids=earlier.signal_ids,
            signals=len(earlier.signal_ids),
            replayed=True,
            routes=earlier.routes,
        )
    sheet = read_sheet(filename, data)
    async with tenant_scope(ctx.path):
        _, config = await require_enabled(ctx, registry, channel)
        today = clock.today()
        column = _received_column(registry, ctx, channel, format_id)
        groups, refused = await _rows_by_received_date(
            ctx, sheet.rows, sheet.line_numbers, column, received_on or today, today
        )
        reports: dict[int, RowReport] = dict(refused)
        drafts: list[SignalDraft] = []
        cadres: dict[str, NamedCadre] = {}
        for received, indexes in sorted(groups.items()):
            rows = [sheet.rows[i] for i in indexes]
            cells = [value for row in rows for value in row.values()]
            context, found = await channel_context(ctx, config, candidate_codes(cells), received)
            outcome = await asyncio.to_thread(
                functools.partial(registry.import_rows, received_on=received),
                channel,
                context,
                format_id,
                rows,
                [sheet.line_numbers[i] for i in indexes],
            )
            reports.update(zip(indexes, outcome.rows, strict=True))
            drafts += outcome.signals
            cadres |= found
        rows_out = [reports[i] for i in sorted(reports)]
        if not all(report.ok for report in rows_out):
            return BulkResult(accepted=False, rows=rows_out)
        outcome = BulkOutcome(accepted=True, rows=rows_out, signals=drafts)
        try:
            ids = await store_drafts(
                ctx,
                outcome.signals,
                cadres,
                form_id=format_id,
                idempotency_key=idempotency_key,
                submitted_by=ctx.user_id,
            )
        except SubmissionInvalid as exc:
            raise SubmissionInvalid(
                [FieldError("file", e.message_vi, e.message_en) for e in exc.errors]
            ) from None
        submission_id = await _record(ctx, channel, format_id, "bulk", scoped_key, ids)
        job_id = None
        if job_rows is not None and len(sheet.rows) > job_rows:
            job_id = await sheet_jobs.queue(
                ctx, submission_id, channel, rows=len(sheet.rows), total=len(ids)
            )
    count_accepted(channel, ids)
    if job_id is not None:
        return await _job_answer(ctx, submission_id, job_id, len(ids), replayed=False)
    await decide_after_commit(ctx, ids, decide)
    return BulkResult(accepted=True, rows=outcome.rows, submission_id=submission_id,
                      signal_ids=ids, signals=len(ids),
                      routes=await routes_of(ctx, ids))  # fmt: skip
