"""Tables of signals. Reporter identities are stored only encrypted (see ``portal``)."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.cadres.tables import Cadre
from giamsat.tenancy.tables import Committee


class Signal(Table, tablename="signal"):
    """One accepted submission's signal, committed before the submitter gets a reply."""

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    channel = Varchar(length=64, index=True)
    form_id = Varchar(length=64, default="")
    kind = Varchar(length=32)
    cadre = ForeignKey(Cadre, null=True, on_delete=OnDelete.restrict, index=True)
    subject_text = Varchar(length=255, default="")
    indicator_codes = JSON(default=[])
    facts = JSON(default={})
    source = Varchar(length=255, default="")
    occurred_on = Date(null=True, default=None)
    received_on = Date(index=True)
    anonymous = Boolean(default=False)
    idempotency_key = Varchar(length=128, null=True, default=None, index=True)
    status = Varchar(length=20, default="received", index=True)
    case_id = Integer(null=True, default=None, index=True)
    pack_version = Varchar(length=80, default="")
    submitted_by = Integer(null=True, default=None)
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [Signal]
