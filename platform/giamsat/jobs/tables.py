"""The record of job runs; the unique ``slot_key`` is what makes a run happen once."""

from __future__ import annotations

from piccolo.columns import Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class JobRun(Table, tablename="job_run"):
    """One claimed slot of one job (system-wide work: no tenant, no RLS)."""

    id: Serial  # piccolo adds it; declared for the type checker

    job = Varchar(length=64, index=True)
    slot_start = Timestamptz()
    slot_key = Varchar(length=120, unique=True)
    status = Varchar(length=16, default="running", index=True)
    host = Varchar(length=120, default="")
    started_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
    summary = Text(default="")
    error = Text(default="")


TABLES = [JobRun]
