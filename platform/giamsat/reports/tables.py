"""Tables of submitted reports (báo cáo đã gửi): frozen, versioned snapshots."""

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


class ReportSubmission(Table, tablename="report_submission"):
    """One submitted version of a committee's (or a partner organisation's) periodic report.

    Never updated: a resubmission adds a row with ``version + 1`` and a reason. ``figures`` holds
    the exact totals (own work plus children's submitted reports) so that the parent's roll-up is
    exact; every view from outside the committee goes through suppression first.
    """

    id: Serial  # piccolo adds it; declared for the type checker
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    period_id = Varchar(length=32, index=True)
    kind = Varchar(length=32, default="committee")
    version = Integer(default=1)
    reason = Text(default="")
    submitted_on = Date()
    late = Boolean(default=False)
    submitted_by = Integer(null=True, default=None)
    figures = JSON(default={})
    own_figures = JSON(default={})
    narrative = JSON(default={})
    children_included = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [ReportSubmission]
