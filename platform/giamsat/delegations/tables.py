"""Tables of supervision delegations, their members, working sessions and cost lines."""

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

from giamsat.tenancy.tables import Committee


class Delegation(Table, tablename="delegation"):
    """One supervision delegation of a committee, from plan to the supervised body's answer.

    ``status`` walks planned → decided → notified → report_received → in_session → reported →
    recommended → answered; the dates of each step are kept in their own columns.
    """

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    case_id = Integer(null=True, default=None, index=True)
    subject = Text()
    supervised_name = Varchar(length=255)
    supervised_address = Varchar(length=255, default="")
    plan_reference = Text(default="")
    period_start = Date()
    period_end = Date()
    indicators = JSON(default=[])
    findings = JSON(default=[])
    status = Varchar(length=24, default="planned", index=True)
    min_notice_days = Integer(default=15)
    signer_capacity = Varchar(length=80, default="TM. BAN THƯỜNG TRỰC")
    signer_title = Varchar(length=80, default="PHÓ CHỦ TỊCH")
    signer_name = Varchar(length=120, default="")
    decision_number = Integer(null=True, default=None)
    decision_on = Date(null=True, default=None)
    notice_number = Integer(null=True, default=None)
    notice_on = Date(null=True, default=None)
    report_due = Date(null=True, default=None)
    report_received_on = Date(null=True, default=None)
    results_number = Integer(null=True, default=None)
    results_on = Date(null=True, default=None)
    letter_number = Integer(null=True, default=None)
    letter_on = Date(null=True, default=None)
    answer_by = Date(null=True, default=None)
    answered_on = Date(null=True, default=None)
    answer_summary = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class DelegationMember(Table, tablename="delegation_member"):
    """A person on the delegation; ``source`` says where they come from (committee, member
    organisation, advisory council), ``official`` drives the Thông tư 337 daily rate."""

    id: Serial  # piccolo adds it; declared for the type checker

    delegation = ForeignKey(Delegation, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    full_name = Varchar(length=160)
    role = Varchar(length=12)
    position = Varchar(length=200, default="")
    organisation = Varchar(length=255, default="")
    source = Varchar(length=24, default="committee")
    official = Boolean(default=True)


class WorkingSession(Table, tablename="delegation_session"):
    """One working session (buổi làm việc) and its minutes (biên bản)."""

    id: Serial  # piccolo adds it; declared for the type checker

    delegation = ForeignKey(Delegation, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    held_on = Date()
    time = Varchar(length=20, default="8h00")
    place = Varchar(length=255)
    activity = Varchar(length=255)
    minutes = Text(default="")


class CostLine(Table, tablename="delegation_cost"):
    """One line of the delegation's budget at a Thông tư 337/2016 rate (editable, verified flag)."""

    id: Serial  # piccolo adds it; declared for the type checker

    delegation = ForeignKey(Delegation, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    item = Varchar(length=32)
    label = Varchar(length=200)
    unit_amount = Integer()
    quantity = Integer(default=1)
    amount = Integer()
    verified = Boolean(default=False)


class CostRate(Table, tablename="delegation_cost_rate"):
    """A committee's own rate for one budget item, overriding the shipped Thông tư 337 rate."""

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    item = Varchar(length=32)
    label = Varchar(length=200)
    amount = Integer()
    verified = Boolean(default=False)


class DelegationSettings(Table, tablename="delegation_settings"):
    """Per-committee settings: the notice lead time (days before the first session)."""

    id: Serial  # piccolo adds it; declared for the type checker

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, unique=True, index=True)
    tenant_path = Varchar(length=255, index=True)
    min_notice_days = Integer(default=15)


TABLES = [Delegation, DelegationMember, WorkingSession, CostLine, CostRate, DelegationSettings]
