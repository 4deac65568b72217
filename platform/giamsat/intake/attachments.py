"""Uploaded files: the type is read from the bytes, not trusted from the browser.

The channel's FormSchema then decides (count, size, accepted types) in ``forms.validate``; a PDF
renamed ``.png`` or a script sent as ``application/pdf`` arrives with its real type and is
refused there with a message beside the field.
"""

from __future__ import annotations

import hashlib

import msgspec

from giamsat.channels import Attachment
from giamsat.intake.tables import SignalAttachment
from giamsat.tenancy.context import TenantContext

#: The whole request body may not exceed this (the per-file limits come from each form).
MAX_REQUEST_BYTES = 60 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Upload(msgspec.Struct, frozen=True, kw_only=True):
    """One uploaded file as received: form field, name, declared type and bytes."""

    field: str
    filename: str
    declared_type: str
    data: bytes


def sniff(data: bytes, declared: str) -> str:
    """The content type the bytes really have (``application/octet-stream`` when unknown)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4096] or declared == DOCX:
            return DOCX
        return XLSX if declared == XLSX else "application/zip"
    return "application/octet-stream"


def describe(upload: Upload) -> Attachment:
    """The metadata a channel sees: real type, size and SHA-256."""
    return Attachment(
        field=upload.field,
        filename=upload.filename[:255] or "file",
        content_type=sniff(upload.data, upload.declared_type),
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )


async def store(ctx: TenantContext, submission_id: int, uploads: list[Upload]) -> None:
    """Keep the files with their submission; call inside the committee's scope."""
    for upload in uploads:
        meta = describe(upload)
        await SignalAttachment(
            submission=submission_id,
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            field=meta.field,
            filename=meta.filename,
            content_type=meta.content_type,
            size=meta.size,
            sha256=meta.sha256,
            data=upload.data,
        ).save()
