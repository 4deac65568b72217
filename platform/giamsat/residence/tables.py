"""Tables of the residence record: findings the pack recorded, and the commune's assessment."""

from __future__ import annotations

from piccolo.columns import JSON, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.cadres.tables import Cadre
from giamsat.signals.tables import Signal
from giamsat.tenancy.tables import Committee


class ResidenceFinding(Table, tablename="residence_finding"):
    """One residence duty (e.g. NCT3) a signal found short, on the member's residence record.

    The row belongs to the commune where the member lives (``committee``), whichever committee
    received the signal; ``found_on`` is the signal's received date.
    """

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    cadre = ForeignKey(Cadre, on_delete=OnDelete.restrict, index=True)
    signal = ForeignKey(Signal, on_delete=OnDelete.restrict, index=True)
    indicator = Varchar(length=16)
    found_on = Date(index=True)
    channel = Varchar(length=64, default="")
    kind = Varchar(length=32, default="")
    source = Varchar(length=255, default="")
    rule_id = Varchar(length=80, default="")
    pack_version = Varchar(length=80, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ResidenceAssessment(Table, tablename="residence_assessment"):
    """The commune's assessment of one member for one year: each duty's rating, the overall
    result, the party cells named on the year-end comment, and the comment itself."""

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    cadre = ForeignKey(Cadre, on_delete=OnDelete.restrict, index=True)
    year = Integer(index=True)
    duties = JSON(default={})
    result = Varchar(length=32, default="")
    residence_party_cell = Varchar(length=200, default="")
    workplace_party_org = Varchar(length=255, default="")
    comment = Text(default="")
    assessed_by = Integer(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


TABLES = [ResidenceFinding, ResidenceAssessment]
