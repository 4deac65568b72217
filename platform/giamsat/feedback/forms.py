"""The page forms of feedback (góp ý): text fields in, the API's typed structs out."""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.errors import InvalidInput
from giamsat.feedback.schemas import ExplainedIn, FeedbackIn, SentIn, TakenInIn
from giamsat.recommendations.forms import parse_date, required
from giamsat.web.i18n import N_


class FeedbackForm(msgspec.Struct):
    """Every field the list and detail pages post; ``action`` says which step."""

    action: str = ""
    recipient_kind: str = ""
    recipient: str = ""
    content: str = ""
    received_on: str = ""
    sent_on: str = ""
    taken_in_on: str = ""
    reply_by: str = ""
    reply_within: str = ""
    explained_on: str = ""
    explanation: str = ""
    closed_on: str = ""


def received_of(form: FeedbackForm) -> FeedbackIn:
    if form.recipient_kind not in ("party_committee", "cadre"):
        raise InvalidInput(
            N_("Choose the recipient: a party committee or a cadre."),
            field="recipient_kind",
        )
    return FeedbackIn(
        recipient_kind=form.recipient_kind,  # type: ignore[arg-type]
        recipient=required(form.recipient, "recipient", N_("the recipient"))[:255],
        content=required(form.content, "content", N_("the feedback"))[:8000],
        received_on=parse_date(form.received_on, "received_on", N_("the date received")),
    )


def sent_of(form: FeedbackForm) -> SentIn:
    return SentIn(sent_on=parse_date(form.sent_on, "sent_on", N_("the date sent on")))


def taken_in_of(form: FeedbackForm) -> TakenInIn:
    """Tiếp thu, with a promised reply-by date or a number of working days (or neither)."""
    reply_by: dt.date | None = None
    if form.reply_by.strip():
        reply_by = parse_date(form.reply_by, "reply_by", N_("the reply-by date"))
    within: int | None = None
    if form.reply_within.strip():
        text = form.reply_within.strip()
        if not text.isdigit() or not 1 <= int(text) <= 365:
            raise InvalidInput(
                N_("The number of working days must be from 1 to 365, not “%(text)s”."),
                field="reply_within",
                params={"text": text},
            )
        within = int(text)
    return TakenInIn(
        taken_in_on=parse_date(form.taken_in_on, "taken_in_on", N_("the date taken in")),
        reply_by=reply_by,
        reply_within=within,
    )


def explained_of(form: FeedbackForm) -> ExplainedIn:
    return ExplainedIn(
        explained_on=parse_date(
            form.explained_on, "explained_on", N_("the date of the explanation")
        ),
        explanation=required(form.explanation, "explanation", N_("the explanation"))[:8000],
    )


def closed_on(form: FeedbackForm) -> dt.date:
    return parse_date(form.closed_on, "closed_on", N_("the closing date"))
