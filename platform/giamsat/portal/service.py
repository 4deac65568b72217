"""The reporter's side of the portal: submit a report, read its status, write to the committee.

No login: the receipt code is the reporter's only key. Submissions are rate-limited per client,
committed (signal, sealed identity, receipt hash, audit entry) before the receipt is shown, and
then handed to the decision step (``giamsat.decisions``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import msgspec

from giamsat import clock
from giamsat.audit.schemas import Actor
from giamsat.audit.service import record
from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.service import decide_after_commit
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.intake import attachments
from giamsat.intake.channels_service import require_enabled
from giamsat.intake.context import channel_context
from giamsat.intake.service import count_accepted
from giamsat.intake.tables import IntakeSubmission
from giamsat.portal import ratelimit, receipts
from giamsat.portal.identity import seal
from giamsat.portal.schemas import (
    PortalSubmission,
    Receipt,
    ReportStatus,
    ThreadMessage,
)
from giamsat.portal.stages import stage_of
from giamsat.portal.tables import PortalMessage, PortalReport
from giamsat.signals.store import store_drafts
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext, context_for_committee
from giamsat.web.i18n import N_

CHANNEL = "citizen"
FORM = "report"
PORTAL_ACTOR = Actor(username="portal")


async def committee_context(code: str) -> TenantContext:
    """The space of the committee a report is addressed to (no user behind it)."""
    return await context_for_committee(code, username="portal", role="citizen")


def _check_identity(submission: PortalSubmission, identity_key: str) -> None:
    if submission.anonymous:
        return
    if not identity_key:
        raise InvalidInput(
            N_(
                "This committee does not store reporters' identities: only anonymous reports "
                "are accepted."
            ),
            field="anonymous",
        )
    if submission.identity is None or submission.identity.is_empty():
        raise InvalidInput(
            N_("Give a name or a way to contact you, or choose to send anonymously."),
            field="name",
        )


async def submit_report(
    registry: ChannelRegistry,
    submission: PortalSubmission,
    *,
    client: str,
    identity_key: str,
    uploads: list[attachments.Upload] | None = None,
    limits: Mapping[str, ratelimit.Limit] = ratelimit.LIMITS,
) -> Receipt:
    """Store a report and return its receipt (the only time the code exists in clear)."""
    _check_identity(submission, identity_key)
    # counted only once stored: a report refused (a bad upload, a missing field) costs nothing
    await ratelimit.check(client, "submit", limits["submit"])
    ctx = await committee_context(submission.committee)
    code = receipts.new_code()
    uploads = uploads or []
    today = clock.today()
    async with tenant_scope(ctx.path):
        if submission.token and await PortalReport.exists().where(
            PortalReport.submission_token == submission.token
        ):
            raise Conflict(
                N_("This report has already been sent: use the receipt code you were given.")
            )
        _, config = await require_enabled(ctx, registry, CHANNEL)
        context, _ = await channel_context(ctx, config, [], today)
        drafts = await asyncio.to_thread(
            registry.submit,
            CHANNEL,
            context,
            FORM,
            submission.values,
            received_on=today,
            attachments=[attachments.describe(u) for u in uploads],
            anonymous=submission.anonymous,
            submitter_role="citizen",
        )
        drafts = [
            msgspec.structs.replace(d, facts={**d.facts, "subject_kind": submission.subject_kind})
            for d in drafts
        ]
        ids = await store_drafts(
            ctx, drafts, {}, form_id=FORM, body=submission.values.get("content", "")
        )
        await _keep_report(ctx, submission, ids[0], code, identity_key)
        intake = IntakeSubmission(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            channel=CHANNEL,
            form_id=FORM,
            kind="portal",
            signal_ids=ids,
        )
        await intake.save()
        await attachments.store(ctx, int(intake.id), uploads)
        await record(
            ctx,
            "portal.report_received",
            "signal",
            ids[0],
            {"anonymous": submission.anonymous, "attachments": len(uploads)},
            actor=PORTAL_ACTOR,
        )
    await ratelimit.record(client, "submit")
    count_accepted(CHANNEL, ids)
    await decide_after_commit(ctx, ids)
    return Receipt(code=code, committee_name=ctx.committee_name, received_on=today)


async def _keep_report(
    ctx: TenantContext, submission: PortalSubmission, signal_id: int, code: str, identity_key: str
) -> None:
    sealed = None
    if not submission.anonymous and submission.identity is not None:
        sealed = seal(
            identity_key, submission.identity, committee_id=ctx.committee_id, signal_id=signal_id
        )
    await PortalReport(
        signal=signal_id,
        committee=ctx.committee_id,
        tenant_path=ctx.path,
        receipt_hash=receipts.code_hash(code),
        subject_kind=submission.subject_kind,
        identity_sealed=sealed,
        submission_token=submission.token,
    ).save()


async def _report_by_code(code: str) -> dict[str, Any]:
    digest = receipts.code_hash(code)
    row = None
    if digest is not None:
        row = (
            await PortalReport.select(
                PortalReport.id,
                PortalReport.committee,
                PortalReport.tenant_path,
                PortalReport.signal,
                PortalReport.committee.name,
            )
            .where(PortalReport.receipt_hash == digest)
            .first()
        )
    if row is None:
        raise NotFound(N_("The receipt code is not right."), field="code")
    return dict(row)


async def messages_of(report_id: int) -> list[ThreadMessage]:
    rows = (
        await PortalMessage.select(
            PortalMessage.author, PortalMessage.body, PortalMessage.created_at
        )
        .where(PortalMessage.report == report_id)
        .order_by(PortalMessage.id)
    )
    return [ThreadMessage(author=r["author"], body=r["body"], at=r["created_at"]) for r in rows]


async def read_status(
    code: str, *, client: str, limits: Mapping[str, ratelimit.Limit] = ratelimit.LIMITS
) -> ReportStatus:
    """The report's status and thread, for whoever holds the receipt code."""
    await ratelimit.hit(client, "lookup", limits["lookup"])
    async with system_scope():
        report = await _report_by_code(code)
        signal = (
            await Signal.select(
                Signal.kind,
                Signal.status,
                Signal.received_on,
                Signal.body,
                Signal.case_id,
                Signal.facts,
            )
            .where(Signal.id == report["signal"])
            .first()
        )
        thread = await messages_of(report["id"])
        assert signal is not None
        case = None
        if signal["case_id"] is not None:
            case = (
                await Case.select(Case.status, Case.due_on, Case.committee.level.as_alias("level"))
                .where(Case.id == signal["case_id"])
                .first()
            )
    stage = stage_of(
        signal["status"],
        case_status=case["status"] if case else None,
        owner_level=case["level"] if case else "",
        due_on=case["due_on"] if case else None,
    )
    return ReportStatus(
        committee_name=report["committee.name"],
        kind=signal["kind"],
        status=stage.code,
        status_vi=stage.vi,
        status_en=stage.en,
        reply_by=stage.reply_by,
        received_on=signal["received_on"],
        summary=signal["body"][:300],
        messages=thread,
        reason=_remit_reason(signal["status"], signal["facts"]),
    )


def _remit_reason(status: str, facts: Any) -> str:
    """The reason staff gave for closing the report as outside the Front's remit, if they did."""
    if status != "rejected":
        return ""
    if isinstance(facts, str):
        facts = json.loads(facts or "{}")
    reason = facts.get("outside_remit") if isinstance(facts, dict) else None
    return str(reason) if isinstance(reason, str) else ""


async def post_reporter_message(
    code: str, body: str, *, client: str, limits: Mapping[str, ratelimit.Limit] = ratelimit.LIMITS
) -> ReportStatus:
    """Add the reporter's message to the thread and return the updated status."""
    text = body.strip()
    if not text or len(text) > 5000:
        raise InvalidInput(N_("The message must be 1 to 5000 characters."), field="body")
    await ratelimit.hit(client, "lookup", limits["lookup"])
    async with system_scope():
        report = await _report_by_code(code)
        await PortalMessage(
            report=report["id"], tenant_path=report["tenant_path"], author="reporter", body=text
        ).save()
        await record(
            report["committee"],
            "portal.reporter_message",
            "signal",
            report["signal"],
            {"length": len(text)},
            actor=PORTAL_ACTOR,
        )
    return await read_status(code, client=client, limits=limits)
