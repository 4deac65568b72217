"""The page forms of recommendations: text fields in, the API's typed structs out.

Browsers post every field as text; each parser turns one form into the struct the service
already accepts through the API, so a page and an API call can never disagree on the rules.
A field that cannot be read is refused with its name, in the reader's language.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.accounts.roles import STAFF_ROLES
from giamsat.errors import InvalidInput
from giamsat.recommendations.schemas import AnswerIn, ProgressIn, ResuperviseIn
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, Word


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
    """A ``YYYY-MM-DD`` date (what a date input sends), or a clear refusal naming the field;
    ``label`` is the field's name as a message id (``N_("the answer date")``)."""
    text = value.strip()
    if not text:
        raise InvalidInput(N_("Enter %(what)s."), field=field, params={"what": Word(label)})
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            N_("“%(text)s” is not a date (%(what)s): write it as YYYY-MM-DD."),
            field=field,
            params={"text": text, "what": Word(label)},
        ) from None


def required(value: str, field: str, label: str) -> str:
    """The text entered, or a refusal naming the field (``label`` as in :func:`parse_date`)."""
    text = value.strip()
    if not text:
        raise InvalidInput(N_("Enter %(what)s."), field=field, params={"what": Word(label)})
    return text


def can_act(ctx: TenantContext, committee_code: str) -> bool:
    """Only staff of the committee that owns an item act on it; above it, they only read."""
    return ctx.role in STAFF_ROLES and ctx.committee_code == committee_code


def answer_of(form: RecommendationForm) -> AnswerIn:
    return AnswerIn(
        answered_on=parse_date(form.answered_on, "answered_on", N_("the answer date")),
        summary=required(form.summary, "summary", N_("the answer"))[:4000],
    )


def progress_of(form: RecommendationForm) -> ProgressIn:
    text = form.progress.strip().rstrip("%").strip()
    if not text.isdigit() or not 0 <= int(text) <= 100:
        raise InvalidInput(
            N_("The progress must be a number from 0 to 100, not “%(text)s”."),
            field="progress",
            params={"text": form.progress.strip()},
        )
    return ProgressIn(progress=int(text), note=form.note.strip()[:4000])


def resupervise_of(form: RecommendationForm) -> ResuperviseIn:
    return ResuperviseIn(
        received_on=parse_date(form.received_on, "received_on", N_("the re-supervision date")),
        reason=required(form.reason, "reason", N_("the reason"))[:2000],
    )
