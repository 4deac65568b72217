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
    #: Who signs and who receives the printed report (schemas.ReportClosing as JSON).
    closing = JSON(default={})
    children_included = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    #: "committee:period:kind:version": the database itself refuses a second version 1 even if
    #: the advisory lock were bypassed. Unique through the index ``report_submission_key_unique``
    #: that migration 2026-11-22T19:01:50 creates (SQLite cannot ADD a UNIQUE column, so piccolo
    #: cannot declare it here); older rows are backfilled there.
    submission_key = Varchar(length=120, null=True, default=None)


class ReportDraft(Table, tablename="report_draft"):
    """A committee's narrative saved before submitting (bản nháp): one row per committee and
    period, overwritten on each save and removed when the report is submitted."""

    id: Serial  # piccolo adds it; declared for the type checker
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    period_id = Varchar(length=32)
    #: "committee:period": one draft per committee and period.
    draft_key = Varchar(length=80, unique=True)
    narrative = JSON(default={})
    #: The signer and recipients entered with the draft (schemas.ReportClosing as JSON).
    closing = JSON(default={})
    saved_by = Integer(null=True, default=None)
    saved_at = Timestamptz(default=TimestamptzNow())


class ReportReminder(Table, tablename="report_reminder"):
    """A deadline reminder already sent (nhắc hạn): the unique key makes each one go out once
    however many times, and however concurrently, the daily run is started."""

    id: Serial  # piccolo adds it; declared for the type checker
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    period_id = Varchar(length=32)
    days_left = Integer()
    sent_on = Date()
    #: "committee:period:days_left".
    reminder_key = Varchar(length=80, unique=True)
    notifications = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class ReportSnapshot(Table, tablename="report_snapshot"):
    """The daily roll-up stored per committee and period (ảnh chụp số liệu), so dashboards read
    a row instead of recomputing the subtree. Exact figures: suppressed when shown outside."""

    id: Serial  # piccolo adds it; declared for the type checker
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    period_id = Varchar(length=32, index=True)
    #: "committee:period": one current snapshot per committee and period.
    snapshot_key = Varchar(length=80, unique=True)
    as_of = Date()
    computed_at = Timestamptz(default=TimestamptzNow())
    figures = JSON(default={})
    own_figures = JSON(default={})
    monthly = JSON(default={})
    children = JSON(default=[])


TABLES = [ReportSubmission, ReportDraft, ReportReminder, ReportSnapshot]
