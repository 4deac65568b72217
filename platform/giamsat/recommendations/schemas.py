"""Boundary structs of recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec


class RecommendationView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    delegation_id: int | None
    case_id: int | None
    item_no: int
    text: str
    addressee: str
    issued_on: dt.date
    answer_by: dt.date
    status: str
    answered_on: dt.date | None
    answer_summary: str
    progress: int
    progress_note: str
    escalated: bool
    follow_up_case_id: int | None
    #: The name of the committee that issued it.
    committee_name: str = ""


#: How recommendations can be ordered (``-`` first for descending).
RecommendationSort = Literal["answer_by", "-answer_by", "issued_on", "-issued_on"]
#: Statuses in which a recommendation still waits for its answer (its due date counts).
AWAITING_STATUSES = ("awaiting_answer", "escalated")


class AnswerIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    answered_on: dt.date
    summary: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class ProgressIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    progress: Annotated[int, msgspec.Meta(ge=0, le=100)]
    note: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class ResuperviseIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    received_on: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
