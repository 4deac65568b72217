"""Tables of the committee tree."""

from __future__ import annotations

from piccolo.columns import JSON, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Committee(Table, tablename="committee"):
    """A Front committee (Ủy ban MTTQ Việt Nam) at any level of the tree.

    ``path`` is the materialised path of codes (``/01/001/00001/``; the Central Committee is
    ``/``), so "this committee and everything below it" is one prefix predicate.
    """

    id: Serial  # created by piccolo; declared for type checkers

    code = Varchar(length=16, index=True)  # unique within a period, not forever (see resolve)
    parent: ForeignKey[Committee] = ForeignKey("self", null=True, on_delete=OnDelete.restrict)
    level = Varchar(length=16, index=True)
    unit_type = Varchar(length=40)
    name = Varchar(length=160)
    search_name = Varchar(length=160, index=True)
    path = Varchar(length=255, unique=True, index=True)
    depth = Integer(default=0)
    register = Varchar(length=16, default="2023")
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    successor: ForeignKey[Committee] = ForeignKey("self", null=True, on_delete=OnDelete.restrict)
    created_at = Timestamptz(default=TimestamptzNow())


class CommitteeSuccession(Table, tablename="committee_succession"):
    """A merge or split: the predecessor's work continues at the successor from ``effective_on``."""

    id: Serial  # created by piccolo; declared for type checkers

    predecessor = ForeignKey(Committee, on_delete=OnDelete.restrict)
    successor = ForeignKey(Committee, on_delete=OnDelete.restrict)
    kind = Varchar(length=8)
    effective_on = Date()
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Reorganisation(Table, tablename="committee_reorganisation"):
    """One province's move to a new register, applied once: what ended, started and moved."""

    id: Serial  # created by piccolo; declared for type checkers

    register = Varchar(length=16)
    province = Varchar(length=16, index=True)
    effective_on = Date()
    applied_by = Varchar(length=80, default="")
    summary = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [Committee, CommitteeSuccession, Reorganisation]
