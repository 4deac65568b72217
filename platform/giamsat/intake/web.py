"""Helpers shared by the intake and portal controllers: form parsing and channel-error mapping."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import UploadFile

from giamsat.channels import (
    ChannelBlocked,
    ChannelError,
    SubmissionInvalid,
    UnknownChannel,
    UnknownForm,
)
from giamsat.intake.attachments import Upload
from giamsat.web.rendering import page

#: Form fields the platform itself uses; never passed on to a channel.
_RESERVED = {"_csrf_token", "idempotency_key"}


async def read_form(request: Request[Any, Any, Any]) -> tuple[dict[str, list[str]], list[Upload]]:
    """A posted form as lists of strings per field, and its files (empty file inputs dropped)."""
    form = await request.form()
    raw: dict[str, list[str]] = {}
    uploads: list[Upload] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            if data:
                uploads.append(
                    Upload(
                        field=key,
                        filename=value.filename or "file",
                        declared_type=value.content_type or "",
                        data=data,
                    )
                )
            continue
        if key not in _RESERVED:
            raw.setdefault(key, []).append(str(value))
    return raw, uploads


def flatten(raw: dict[str, list[str]]) -> dict[str, str | list[str]]:
    """One string per field, a list where the field was repeated (multiselect)."""
    return {key: values[0] if len(values) == 1 else values for key, values in raw.items()}


def channel_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Map channel errors to HTTP: 422 with field errors, 404 unknown, 503 blocked."""
    assert isinstance(exc, ChannelError)
    status, code, detail = 400, "channel_error", None
    if isinstance(exc, SubmissionInvalid):
        status, code = 422, "invalid_submission"
        detail = [
            {"field": e.field, "message_vi": e.message_vi, "message_en": e.message_en}
            for e in exc.errors
        ]
    elif isinstance(exc, UnknownChannel | UnknownForm):
        status, code = 404, "not_found"
    elif isinstance(exc, ChannelBlocked):
        status, code = 503, "channel_blocked"
    message = str(exc)
    if request.url.path.startswith("/api/"):
        body: dict[str, Any] = {"error": code, "message": message}
        if detail is not None:
            body["errors"] = detail
        return Response(body, status_code=status, media_type=MediaType.JSON)
    if detail:
        message += ": " + "; ".join(f"{d['field']}: {d['message_vi']}" for d in detail)
    return page(
        request, "error.html", status_code=status, status=status, message=message, code=code
    )  # type: ignore[return-value]


EXCEPTION_HANDLERS = {ChannelError: channel_error_handler}
