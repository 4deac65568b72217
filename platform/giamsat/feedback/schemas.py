"""Boundary structs of people's feedback (góp ý)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from giamsat.db.ids import RowId


class FeedbackIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Feedback to a party committee (cấp ủy) or a cadre, received by the Front."""

    recipient_kind: Literal["party_committee", "cadre"]
    recipient: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    content: Annotated[str, msgspec.Meta(min_length=1, max_length=8000)]
    received_on: dt.date
    cadre_id: RowId | None = None


class SentIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    sent_on: dt.date


class TakenInIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The recipient takes the feedback in (tiếp thu); ``reply_by`` when it cannot explain now.

    ``reply_within`` gives the same promise as a number of working days (ngày làm việc) after
    the day it was taken in, counted on the official calendar (Tết and other days off skipped).
    """

    taken_in_on: dt.date
    reply_by: dt.date | None = None
    reply_within: Annotated[int, msgspec.Meta(ge=1, le=365)] | None = None


class ExplainedIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The recipient's explanation (giải trình), directly or in writing through the Front."""

    explained_on: dt.date
    explanation: Annotated[str, msgspec.Meta(min_length=1, max_length=8000)]


class FeedbackView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    recipient_kind: str
    recipient: str
    cadre_id: int | None
    content: str
    received_on: dt.date
    status: str
    sent_on: dt.date | None
    reply_by: dt.date | None
    taken_in_on: dt.date | None
    explained_on: dt.date | None
    explanation: str
