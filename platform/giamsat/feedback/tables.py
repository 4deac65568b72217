"""Table of feedback items."""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.tenancy.tables import Committee


class Feedback(Table, tablename="feedback"):
    """One piece of feedback sent through the Front to a party committee or a cadre.

    ``status``: received → sent (to the recipient) → taken_in (tiếp thu) → explained
    (giải trình) → closed; ``reply_by`` is recorded when the recipient cannot answer at once.
    """

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    recipient_kind = Varchar(length=20)
    recipient = Varchar(length=255)
    cadre_id = Integer(null=True, default=None)
    content = Text()
    received_on = Date()
    status = Varchar(length=16, default="received", index=True)
    sent_on = Date(null=True, default=None)
    reply_by = Date(null=True, default=None, index=True)
    taken_in_on = Date(null=True, default=None)
    explained_on = Date(null=True, default=None)
    explanation = Text(default="")
    reminded_for = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [Feedback]
