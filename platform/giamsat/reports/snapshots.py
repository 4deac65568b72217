"""Stored roll-ups (ảnh chụp số liệu): computed once by ``giamsat reports snapshot``, read by pages.

The daily run computes every committee's report at once (set-based, see rollup.py) and stores one
row per committee and period: exact figures, own figures, signals by month over the subtree and
the children's submitted reports. A dashboard reads its row while it is fresh: younger than
:data:`MAX_AGE` and no report submitted below since it was computed (a submission changes the
parent's figures); otherwise the page falls back to computing the committee's report live.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from giamsat.db.engine import is_postgres
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.db.subtree import path_within, subtree_bounds
from giamsat.reports.figures import Figures, add_into
from giamsat.reports.plan import COMMITTEE_KIND, Period, ReportingPlan
from giamsat.reports.rollup import CommitteeNode, Draft, SubmittedReport, all_drafts
from giamsat.reports.rollup import latest_submissions as latest
from giamsat.reports.tables import ReportSnapshot, ReportSubmission
from giamsat.signals.tables import Signal

#: A daily job plus slack: older snapshots are not trusted.
MAX_AGE = timedelta(hours=26)
_BATCH = 500


class SnapshotChild(msgspec.Struct, frozen=True, kw_only=True):
    """A child committee as its parent's snapshot saw it (figures exact; suppressed on display)."""

    code: str
    name: str
    version: int | None = None
    submitted_on: date | None = None
    late: bool = False
    figures: Figures = msgspec.field(default_factory=dict)


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    committee_id: int
    period: str
    as_of: date
    computed_at: datetime
    figures: Figures
    own_figures: Figures
    monthly: Figures
    children: list[SnapshotChild]


class SnapshotRun(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    committees: int
    stored: int


async def _monthly_by_path(within: str, period: Period) -> dict[str, Figures]:
    """Signals received per committee (own work) and month, one grouped query."""
    month = "to_char(received_on, 'YYYY-MM')" if is_postgres() else "substr(received_on, 1, 7)"
    rows = await Signal.raw(
        f"SELECT tenant_path AS path, {month} AS month, COUNT(*) AS n FROM signal "
        "WHERE tenant_path >= {} AND tenant_path < {} "
        "AND received_on BETWEEN {} AND {} GROUP BY 1, 2",
        *subtree_bounds(within),
        period.starts_on,
        period.ends_on,
    )
    by_path: dict[str, Figures] = defaultdict(dict)
    for r in rows:
        by_path[r["path"]][str(r["month"])] = int(r["n"])
    return by_path


def _subtree_monthly(drafts: list[Draft], own: dict[str, Figures]) -> dict[int, Figures]:
    """Each committee's months summed over its whole subtree, bottom-up in one pass."""
    totals = {d.node.id: dict(own.get(d.node.path, {})) for d in drafts}
    for d in sorted(drafts, key=lambda d: d.node.path.count("/"), reverse=True):
        parent = d.node.parent_id
        if parent is not None and parent in totals:
            add_into(totals[parent], totals[d.node.id])
    return totals


def _children(
    drafts: list[Draft], submitted: dict[tuple[int, str], SubmittedReport]
) -> dict[int, list[SnapshotChild]]:
    kids: dict[int, list[SnapshotChild]] = defaultdict(list)
    for d in sorted(drafts, key=lambda d: d.node.code):
        node: CommitteeNode = d.node
        if node.parent_id is None:
            continue
        report = submitted.get((node.id, COMMITTEE_KIND))
        kids[node.parent_id].append(
            SnapshotChild(
                code=node.code,
                name=node.name,
                version=report.version if report else None,
                submitted_on=report.submitted_on if report else None,
                late=report.late if report else False,
                figures=report.figures if report else {},
            )
        )
    return kids


async def store_snapshots(
    plan: ReportingPlan, period: Period, today: date, within: str = "/"
) -> SnapshotRun:
    """Compute every committee's report under ``within`` and replace their stored snapshots in
    one transaction (readers see the old set or the new one, never half)."""
    computed_at = datetime.now(UTC)
    async with system_scope():
        drafts = await all_drafts(within, plan, period, today)
        submitted = await latest(within, period.id)
        monthly = _subtree_monthly(drafts, await _monthly_by_path(within, period))
        kids = _children(drafts, submitted)
        await ReportSnapshot.delete().where(
            (ReportSnapshot.period_id == period.id)
            & path_within(ReportSnapshot.tenant_path, within)
        )
        rows = [
            ReportSnapshot(
                committee=d.node.id,
                tenant_path=d.node.path,
                period_id=period.id,
                snapshot_key=f"{d.node.id}:{period.id}",
                as_of=today,
                computed_at=computed_at,
                figures=d.figures,
                own_figures=d.own,
                monthly=monthly.get(d.node.id, {}),
                children=msgspec.to_builtins(kids.get(d.node.id, [])),
            )
            for d in drafts
        ]
        for start in range(0, len(rows), _BATCH):
            await ReportSnapshot.insert(*rows[start : start + _BATCH])
    return SnapshotRun(period=period.id, committees=len(drafts), stored=len(rows))


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


async def fresh_snapshot(
    committee_id: int, path: str, period_id: str, now: datetime | None = None
) -> Snapshot | None:
    """The committee's stored snapshot if it is still fresh, else ``None`` (compute live)."""
    now = now or datetime.now(UTC)
    async with tenant_scope(path):
        row = (
            await ReportSnapshot.select(*ReportSnapshot.all_columns())
            .where(
                (ReportSnapshot.snapshot_key == f"{committee_id}:{period_id}")
                # Also on SQLite (no row-level security): only rows inside the caller's subtree.
                & path_within(ReportSnapshot.tenant_path, path)
            )
            .first()
        )
        if row is None or row["computed_at"] < now - MAX_AGE:
            return None
        newer = await ReportSubmission.exists().where(
            path_within(ReportSubmission.tenant_path, path)
            & (ReportSubmission.period_id == period_id)
            & (ReportSubmission.created_at > row["computed_at"])
        )
    if newer:
        return None
    return Snapshot(
        committee_id=committee_id,
        period=period_id,
        as_of=row["as_of"],
        computed_at=row["computed_at"],
        figures=_json(row["figures"]) or {},
        own_figures=_json(row["own_figures"]) or {},
        monthly=_json(row["monthly"]) or {},
        children=msgspec.convert(_json(row["children"]) or [], list[SnapshotChild]),
    )
