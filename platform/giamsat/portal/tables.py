"""Tables of the citizens' portal: receipts, message threads, encrypted identities, disclosure.

The receipt code itself is never stored, only its SHA-256; the reporter's identity is stored only
as AES-GCM ciphertext (see :mod:`giamsat.portal.identity`).
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.signals.tables import Signal
from giamsat.tenancy.tables import Committee


class PortalReport(Table, tablename="portal_report"):
    """A report sent through the public portal: its signal, receipt hash and sealed identity."""

    id: Serial  # created by piccolo; declared for type checkers

    signal = ForeignKey(Signal, on_delete=OnDelete.restrict, unique=True)
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    receipt_hash = Varchar(length=64, unique=True)
    subject_kind = Varchar(length=16, default="cadre")
    identity_sealed = Text(null=True, default=None)
    submission_token = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())


class PortalMessage(Table, tablename="portal_message"):
    """One message of a report's thread, from the reporter or from the committee's staff."""

    id: Serial  # created by piccolo; declared for type checkers

    report = ForeignKey(PortalReport, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    author = Varchar(length=10)
    user_id = Integer(null=True, default=None)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class DisclosureRequest(Table, tablename="identity_disclosure"):
    """A staff request to see a reporter's identity: reason, second-person approval, views."""

    id: Serial  # created by piccolo; declared for type checkers

    report = ForeignKey(PortalReport, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    requested_by = Integer()
    reason = Text()
    status = Varchar(length=10, default="pending")
    decided_by = Integer(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    views = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class PortalAttempt(Table, tablename="portal_attempt"):
    """One public request counted against a rate limit; ``client`` is a hash of the IP address.

    Not tenant data (no ``tenant_path``): the limit applies before any committee is involved.
    """

    id: Serial  # created by piccolo; declared for type checkers

    client = Varchar(length=64, index=True)
    action = Varchar(length=16)
    at = Timestamptz(default=TimestamptzNow(), index=True)


TABLES = [PortalReport, PortalMessage, DisclosureRequest, PortalAttempt]
