"""The audit table. Rows carry ``tenant_path`` (→ RLS) and are never updated or deleted."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from giamsat.tenancy.tables import Committee


class AuditEntry(Table, tablename="audit_entry"):
    """One recorded action, chained to the previous entry of the same committee.

    ``chain_position`` (``"<committee id>:<seq>"``) is unique, so two writers can never both
    append the same position even if the per-committee lock were bypassed. ``actor_id`` is not a
    foreign key: the record must outlive the account.
    """

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    seq = Integer()
    chain_position = Varchar(length=40, unique=True)
    at = Timestamptz()
    actor_id = Integer(null=True, default=None)
    actor_username = Varchar(length=64, default="")
    action = Varchar(length=64, index=True)
    subject_type = Varchar(length=40, default="")
    subject_id = Varchar(length=64, default="")
    details = Text(default="{}")
    prev_hash = Varchar(length=64)
    hash = Varchar(length=64)


TABLES = [AuditEntry]
