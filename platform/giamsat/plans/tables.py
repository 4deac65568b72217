"""Published rule packs (kế hoạch giám sát đã ban hành): the database is their only home.

A row keeps the pack folder's files as JSON ``{filename: text}`` so that any replica can rebuild
and compile the pack from the database alone. Rejected packs are never stored.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
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


class RulePackVersion(Table, tablename="rule_pack_version"):
    """One published version of a committee's yearly pack; it applies to the issuer's subtree
    from ``effective_from`` until a later version of the same issuer takes effect."""

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    plan_id = Varchar(length=80, index=True)
    version = Varchar(length=80, index=True)
    content_hash = Varchar(length=64)
    year = Integer()
    name = Varchar(length=400, default="")
    effective_from = Date(index=True)
    published_at = Timestamptz(default=TimestamptzNow())
    published_by = Integer(null=True, default=None)
    files = JSON(default={})


class RulePackAddition(Table, tablename="rule_pack_addition"):
    """A lower committee's published addition (quy định bổ sung) to one pack version: extra
    indicator rules for its own subtree, from ``effective_from``. ``content`` is the YAML text
    as published, so any replica can rebuild the combined ruleset from the database alone."""

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    addition_id = Varchar(length=80)
    base_version = Varchar(length=80, index=True)
    content_hash = Varchar(length=64)
    content = Text(default="")
    effective_from = Date(index=True)
    published_at = Timestamptz(default=TimestamptzNow())
    published_by = Integer(null=True, default=None)


class PlanDraft(Table, tablename="plan_draft"):
    """Next year's plan while it is written (dự thảo kế hoạch): the pack's files, edited in the
    browser or through a workbook, until the standing board approves and publishes it.

    ``revision`` grows with every save, so a second editor working from an older page is told
    instead of silently overwriting the first one's work.
    """

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    year = Integer()
    base_version = Varchar(length=80, default="")
    files = JSON(default={})
    revision = Integer(default=1)
    #: drafting → submitted → published, or submitted → returned → submitted …
    status = Varchar(length=20, default="drafting")
    drafted_by = Integer(null=True, default=None)
    drafted_by_name = Varchar(length=200, default="")
    saved_by_name = Varchar(length=200, default="")
    saved_at = Timestamptz(default=TimestamptzNow())
    submitted_by_name = Varchar(length=200, default="")
    reviewed_by_name = Varchar(length=200, default="")
    review_comment = Text(default="")
    published_version = Varchar(length=80, default="")


TABLES = [RulePackVersion, RulePackAddition, PlanDraft]
