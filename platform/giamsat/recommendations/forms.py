"""The page forms of recommendations: text fields in, the API's typed structs out.

Browsers post every field as text; each parser turns one form into the struct the service
already accepts through the API, so a page and an API call can never disagree on the rules.
A field that cannot be read is refused with its name, in Vietnamese and English.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.accounts.roles import STAFF_ROLES
from giamsat.errors import InvalidInput
from giamsat.recommendations.schemas import AnswerIn, ProgressIn, ResuperviseIn
from giamsat.tenancy.context import TenantContext


class RecommendationForm(msgspec.Struct):
    """One form for the three actions of the detail page; ``action`` says which."""

    action: str = ""
    answered_on: str = ""
    summary: str = ""
    progress: str = ""
    note: str = ""
    received_on: str = ""
    reason: str = ""


def parse_date(value: str, field: str, label: str) -> dt.date:
    """A ``YYYY-MM-DD`` date (what a date input sends), or a clear refusal naming the field."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"Cần nhập {label} ({field.replace('_', ' ')} is required)", field=field)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{label} không hợp lệ: {text!r} (not a date, expected YYYY-MM-DD)", field=field
        ) from None


def required(value: str, field: str, label: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"Cần nhập {label} ({field.replace('_', ' ')} is required)", field=field)
    return text


def can_act(ctx: TenantContext, committee_code: str) -> bool:
    """Only staff of the committee that owns an item act on it; above it, they only read."""
    return ctx.role in STAFF_ROLES and ctx.committee_code == committee_code


def answer_of(form: RecommendationForm) -> AnswerIn:
    return AnswerIn(
        answered_on=parse_date(form.answered_on, "answered_on", "ngày trả lời"),
        summary=required(form.summary, "summary", "nội dung trả lời")[:4000],
    )


def progress_of(form: RecommendationForm) -> ProgressIn:
    text = form.progress.strip().rstrip("%").strip()
    if not text.isdigit() or not 0 <= int(text) <= 100:
        raise InvalidInput(
            f"Tiến độ phải là số từ 0 đến 100: {form.progress!r} (progress must be 0–100)",
            field="progress",
        )
    return ProgressIn(progress=int(text), note=form.note.strip()[:4000])


def resupervise_of(form: RecommendationForm) -> ResuperviseIn:
    return ResuperviseIn(
        received_on=parse_date(form.received_on, "received_on", "ngày tái giám sát"),
        reason=required(form.reason, "reason", "lý do")[:2000],
    )
