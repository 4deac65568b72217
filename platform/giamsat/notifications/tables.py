"""Tables of notifications and the mail outbox; both carry ``tenant_path`` (→ RLS)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.accounts.tables import User
from giamsat.tenancy.tables import Committee


class Notification(Table, tablename="notification"):
    """One in-app message for one user. A message to a role is fanned out to that role's users
    when sent (``via_role`` says so), so each reader has their own ``read_at``."""

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    recipient = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    via_role = Varchar(length=32, null=True, default=None)
    kind = Varchar(length=64)
    title_vi = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    body = Text(default="")
    link = Varchar(length=500, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)


class MailOutbox(Table, tablename="mail_outbox"):
    """A mail waiting to leave (status ``pending`` → ``sending`` → ``sent`` or ``failed``)."""

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    notification = ForeignKey(Notification, on_delete=OnDelete.set_null, null=True)
    to_address = Varchar(length=254)
    #: The notification's title in the recipient's language, which the whole mail is written in.
    subject = Varchar(length=200)
    language = Varchar(length=2, default="vi")
    link = Varchar(length=500, default="")
    status = Varchar(length=16, default="pending", index=True)
    attempts = Integer(default=0)
    last_error = Text(default="")
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [Notification, MailOutbox]
