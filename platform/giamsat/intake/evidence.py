"""The files sent with a signal (chứng cứ kèm theo), for staff who may see the signal.

A file is kept with its submission (``signal_attachment``); a submission lists the signals it
produced. Staff of the signal's committee, and of the committees above it, may list and download
the files; a committee outside the signal's scope gets the same 404 as for a file that does not
exist. Every download is audited (by id, never the file's name).

Files are served as downloads only: ``Content-Disposition: attachment`` with a safe name, the
type sniffed at upload if it is on :data:`SAFE_TYPES` (anything else, and never HTML, as
``application/octet-stream``), ``X-Content-Type-Options: nosniff`` and ``Cache-Control:
no-store``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from giamsat.audit.service import record
from giamsat.db.engine import is_postgres
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.errors import NotFound
from giamsat.intake.attachments import DOCX, XLSX
from giamsat.intake.tables import IntakeSubmission, SignalAttachment
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

#: Types a download keeps; every other file is sent as ``application/octet-stream``.
SAFE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", DOCX, XLSX})
OCTET = "application/octet-stream"


class AttachmentLink(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    signal_id: int
    filename: str
    size: int


class AttachmentFile(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    content_type: str
    data: bytes


def safe_type(content_type: str) -> str:
    return content_type if content_type in SAFE_TYPES else OCTET


async def _visible_signals(ctx: TenantContext, ids: Sequence[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return list(
        await Signal.select(Signal.id, Signal.committee).where(
            Signal.id.is_in(sorted(set(ids))) & path_within(Signal.tenant_path, ctx.path)
        )
    )


async def _submissions_of(signal: dict[str, Any]) -> list[int]:
    """The submissions (of the signal's committee) that produced the signal."""
    signal_id = int(signal["id"])
    if is_postgres():
        rows = await IntakeSubmission.raw(
            "SELECT id FROM intake_submission WHERE committee = {} "
            "AND signal_ids::jsonb @> to_jsonb({}::bigint)::jsonb",
            signal["committee"],
            signal_id,
        )
    else:
        rows = await IntakeSubmission.raw(
            "SELECT id FROM intake_submission WHERE committee = {} AND EXISTS "
            "(SELECT 1 FROM json_each(intake_submission.signal_ids) WHERE value = {})",
            signal["committee"],
            signal_id,
        )
    return [int(r["id"]) for r in rows]


async def attachments_of(
    ctx: TenantContext, signal_ids: Sequence[int]
) -> dict[int, list[AttachmentLink]]:
    """Signal id → its files, for the signals of ``signal_ids`` in the caller's scope."""
    found: dict[int, list[AttachmentLink]] = {}
    async with tenant_scope(ctx.path):
        for signal in await _visible_signals(ctx, signal_ids):
            submissions = await _submissions_of(signal)
            if not submissions:
                continue
            rows = (
                await SignalAttachment.select(
                    SignalAttachment.id, SignalAttachment.filename, SignalAttachment.size
                )
                .where(SignalAttachment.submission.is_in(submissions))
                .order_by(SignalAttachment.id)
            )
            found[int(signal["id"])] = [
                AttachmentLink(
                    id=r["id"], signal_id=int(signal["id"]), filename=r["filename"], size=r["size"]
                )
                for r in rows
            ]
    return found


async def download(ctx: TenantContext, signal_id: int, attachment_id: int) -> AttachmentFile:
    """One file of a signal in the caller's scope (404 otherwise), audited."""
    missing = NotFound(N_("There is no such file here."), field="attachment_id")
    async with tenant_scope(ctx.path):
        signals = await _visible_signals(ctx, [signal_id])
        if not signals:
            raise missing
        submissions = await _submissions_of(signals[0])
        row = None
        if submissions:
            row = await SignalAttachment.select(
                SignalAttachment.filename, SignalAttachment.content_type, SignalAttachment.data
            ).where(
                (SignalAttachment.id == attachment_id)
                & SignalAttachment.submission.is_in(submissions)
                & path_within(SignalAttachment.tenant_path, ctx.path)
            ).first()  # fmt: skip
        if row is None:
            raise missing
        await record(ctx, "signal.attachment_downloaded", "signal", signal_id,
                     {"attachment": attachment_id})  # fmt: skip
    return AttachmentFile(
        filename=row["filename"],
        content_type=safe_type(row["content_type"]),
        data=bytes(row["data"]),
    )
