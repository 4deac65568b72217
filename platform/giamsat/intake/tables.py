"""Tables of intake: per-committee channel settings, submissions (idempotency) and attachments."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Bytea,
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


class ChannelSetting(Table, tablename="channel_setting"):
    """Whether a committee accepts signals through a channel, and its config for that channel.

    ``setting_key`` (``"<committee id>:<channel>"``) is unique so that a committee has at most one
    row per channel even when two admins save at the same moment.
    """

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    channel = Varchar(length=64)
    setting_key = Varchar(length=96, unique=True)
    enabled = Boolean(default=False)
    config = JSON(default={})
    updated_by = Integer(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class IntakeSubmission(Table, tablename="intake_submission"):
    """One accepted submission (a form post or a bulk sheet) and the signals it produced.

    ``scoped_key`` (``"<committee id>:<channel>:<idempotency key>"``) is unique: a retry with the
    same key finds this row and gets the first result back instead of new signals.
    """

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    channel = Varchar(length=64)
    form_id = Varchar(length=64)
    kind = Varchar(length=8, default="form")
    scoped_key = Varchar(length=300, null=True, default=None, unique=True)
    signal_ids = JSON(default=[])
    submitted_by = Integer(null=True, default=None)
    #: The submitting partner officer's organisation ("" for the committee's staff): a partner
    #: reads only its own organisation's submissions.
    organisation = Varchar(length=32, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class SignalAttachment(Table, tablename="signal_attachment"):
    """An uploaded file kept with its submission: bytes, SHA-256, size and declared type."""

    id: Serial  # created by piccolo; declared for type checkers

    submission = ForeignKey(IntakeSubmission, on_delete=OnDelete.restrict, index=True)
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    field = Varchar(length=64)
    filename = Varchar(length=255)
    content_type = Varchar(length=128)
    size = Integer()
    sha256 = Varchar(length=64)
    data = Bytea()
    created_at = Timestamptz(default=TimestamptzNow())


class PluginState(Table, tablename="plugin_state"):
    """A channel plugin's state, shared by every replica: blocked (why, since when) or active
    (re-enabled by whom, when). Not tenant data: it records a broken plugin for everyone."""

    id: Serial  # created by piccolo; declared for type checkers

    plugin = Varchar(length=128, unique=True)
    channel = Varchar(length=64, default="")
    state = Varchar(length=16, default="active")
    reason = Text(default="")
    blocked_at = Timestamptz(null=True, default=None)
    reenabled_by = Varchar(length=160, default="")
    reenabled_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class DecisionJob(Table, tablename="decision_job"):
    """The decision of one big sheet, run after its commit by a worker (see
    :mod:`giamsat.intake.sheet_jobs`): its counts so far and who holds it.

    ``state`` is ``queued``, ``running``, ``done`` or ``failed``; a running job belongs to
    ``lease_owner`` until ``lease_until``, after which any worker may take it over and goes on
    from ``decided`` (the signals of the submission already looked at, in their order).
    """

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    submission = ForeignKey(IntakeSubmission, on_delete=OnDelete.restrict, index=True)
    channel = Varchar(length=64)
    #: The submitting partner officer's organisation ("" for the committee's staff).
    organisation = Varchar(length=32, default="")
    rows = Integer(default=0)
    total = Integer(default=0)
    decided = Integer(default=0)
    opened = Integer(default=0)
    attached = Integer(default=0)
    errors = Integer(default=0)
    state = Varchar(length=16, default="queued", index=True)
    lease_owner = Varchar(length=120, default="")
    lease_until = Timestamptz(null=True, default=None)
    detail = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


TABLES = [ChannelSetting, IntakeSubmission, SignalAttachment, PluginState, DecisionJob]
