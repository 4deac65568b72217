"""Tables of cases, their status history and findings."""

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


class Case(Table, tablename="supervision_case"):
    """A case owned by one committee; ``origin_path`` is the committee that first received it,
    which keeps seeing the case's status after forwarding it up."""

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    origin_path = Varchar(length=255, index=True)
    number = Varchar(length=40, index=True)
    cadre = ForeignKey(Cadre, null=True, on_delete=OnDelete.restrict, index=True)
    subject_name = Varchar(length=255, default="")
    title = Varchar(length=255, default="")
    status = Varchar(length=24, default="received", index=True)
    priority = Varchar(length=12, default="normal")
    complex_case = Boolean(default=False)
    managing_level = Varchar(length=20, default="")
    pack_version = Varchar(length=80, default="")
    fired_rules = JSON(default=[])
    #: What the deciding pack allows later (``giamsat.cases.policy.CasePolicy``); {} for none.
    policy = JSON(default={})
    assignee = Integer(null=True, default=None)
    received_on = Date(index=True)
    due_on = Date(null=True, default=None, index=True)
    escalated = Boolean(default=False)
    merged_into = Integer(null=True, default=None)
    opened_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class CaseEvent(Table, tablename="case_event"):
    """One step in a case's history (status change, transfer, note); never edited."""

    id: Serial  # piccolo adds it; declared for the type checker

    case = ForeignKey(Case, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor = Integer(null=True, default=None)
    action = Varchar(length=32)
    from_status = Varchar(length=24, default="")
    to_status = Varchar(length=24, default="")
    reason = Text(default="")
    details = JSON(default={})


class Finding(Table, tablename="case_finding"):
    """An indicator found in a case (e.g. DD3), with the signal and rule it came from."""

    id: Serial  # piccolo adds it; declared for the type checker

    case = ForeignKey(Case, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    indicator = Varchar(length=16, index=True)
    signal_id = Integer(null=True, default=None)
    rule_id = Varchar(length=80, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class CaseClock(Table, tablename="case_clock"):
    """The working-day clock of one case (hạn xử lý): its length, pauses and the notices sent.

    Kept beside the case row (not in it) so the case table is only ever extended by adding.
    ``reminded_for`` / ``due_noticed_for`` / ``overdue_noticed_for`` hold the due date a notice
    was sent for (the last only where the pack says an overdue clock reminds), so that a
    sweep sends each notice once per due date, and again after the date moves.
    """

    id: Serial  # piccolo adds it; declared for the type checker

    case = ForeignKey(Case, on_delete=OnDelete.restrict, unique=True, index=True)
    tenant_path = Varchar(length=255, index=True)
    clock_days = Integer(default=20)
    paused_days = Integer(default=0)
    paused_since = Date(null=True, default=None)
    reminded_for = Date(null=True, default=None)
    due_noticed_for = Date(null=True, default=None)
    overdue_noticed_for = Date(null=True, default=None)
    follow_up_of = Integer(null=True, default=None, index=True)


TABLES = [Case, CaseEvent, Finding, CaseClock]
