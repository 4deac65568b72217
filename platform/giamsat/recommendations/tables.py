"""Table of recommendation items."""

from __future__ import annotations

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.tenancy.tables import Committee


class Recommendation(Table, tablename="recommendation"):
    """One numbered item of a recommendation letter and where it stands.

    ``status``: awaiting_answer → answered → in_progress → implemented (or escalated when the
    answer period ran out); ``escalated_to`` is the next-higher committee that took it up.
    """

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    delegation_id = Integer(null=True, default=None, index=True)
    case_id = Integer(null=True, default=None, index=True)
    item_no = Integer(default=1)
    text = Text()
    addressee = Varchar(length=255, default="")
    issued_on = Date()
    answer_by = Date(index=True)
    status = Varchar(length=20, default="awaiting_answer", index=True)
    answered_on = Date(null=True, default=None)
    answer_summary = Text(default="")
    progress = Integer(default=0)
    progress_note = Text(default="")
    reminded_for = Date(null=True, default=None)
    escalated = Boolean(default=False)
    escalated_to = Integer(null=True, default=None)
    follow_up_case_id = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [Recommendation]
