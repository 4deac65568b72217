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


class SignalIndicator(Table, tablename="signal_indicator"):
    """One indicator (tiêu chí) a signal names, with the columns the figures group by.

    A normalised copy of ``Signal.indicator_codes``, written in the same transaction as its signal
    by :func:`giamsat.signals.writer.write_signals` (the only writer), so reports count
    indicators with a plain ``GROUP BY`` instead of unpacking every signal's JSON list.
    """

    id: Serial  # created by piccolo; declared for type checkers

    signal = ForeignKey(Signal, on_delete=OnDelete.cascade, index=True)
    tenant_path = Varchar(length=255, index=True)
    code = Varchar(length=64)
    channel = Varchar(length=64)
    received_on = Date(index=True)


TABLES = [Signal, SignalIndicator]
