"""The committee's dashboard: figures by month, indicator, channel and child committee.

Read from the stored daily snapshot while it is fresh (snapshots.py); otherwise computed live:
by month comes from one grouped query over the subtree's signals; by indicator and channel from
the committee's report (own work + children's submitted reports); by child from the children's
submitted snapshots. Anything about the subtree is suppressed; reporter identities never appear.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from giamsat.db.engine import is_postgres
from giamsat.db.scope import tenant_scope
from giamsat.reports.charts import bar_chart
from giamsat.reports.plan import Period, ReportingPlan
from giamsat.reports.privacy import suppress
from giamsat.reports.schemas import ChildLine, ReportView, ShownFigure
from giamsat.reports.snapshots import Snapshot, fresh_snapshot
from giamsat.reports.submissions import draft_report
from giamsat.rulepacks.vocabulary import channel_name
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext


class Series(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: str
    rows: list[tuple[str, ShownFigure]]
    svg: str


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    report: ReportView
    series: list[Series]
    #: When the figures come from the stored daily snapshot, when it was computed (else live).
    computed_at: datetime | None = None


async def monthly_signals(path: str, starts_on: date, ends_on: date) -> dict[str, int]:
    """Signals received in the subtree per month (YYYY-MM), one grouped query."""
    month = "to_char(received_on, 'YYYY-MM')" if is_postgres() else "substr(received_on, 1, 7)"
    rows = await Signal.raw(
        f"SELECT {month} AS month, COUNT(*) AS n FROM signal WHERE tenant_path LIKE {{}} "
        "AND received_on BETWEEN {} AND {} GROUP BY 1 ORDER BY 1",
        path + "%",
        starts_on,
        ends_on,
    )
    return {str(r["month"]): int(r["n"]) for r in rows}


def _by_prefix(view: ReportView, prefix: str) -> list[tuple[str, ShownFigure]]:
    return [
        (channel_name(k[len(prefix) :]), v) for k, v in view.figures.items() if k.startswith(prefix)
    ]


def _child_signals(view: ReportView) -> list[tuple[str, ShownFigure]]:
    rows: list[tuple[str, ShownFigure]] = []
    for child in view.children:
        if not child.figures:
            continue
        values = [v for k, v in child.figures.items() if k.startswith("signals.channel.")]
        if all(isinstance(v, int) for v in values):
            rows.append((child.name, sum(int(v) for v in values)))
        else:
            # Some parts are hidden: show only a lower bound, never the exact total.
            rows.append((child.name, "≥" + str(sum(v for v in values if isinstance(v, int)))))
    return rows


def view_from_snapshot(
    ctx: TenantContext, snap: Snapshot, plan: ReportingPlan, period: Period, today: date
) -> ReportView:
    """The committee's report as the stored snapshot has it, suppressed like any dashboard."""
    children = [
        ChildLine(
            code=c.code,
            name=c.name,
            status=(
                ("missing" if today > period.deadline else "pending")
                if c.version is None
                else ("late" if c.late else "submitted")
            ),
            version=c.version,
            submitted_on=c.submitted_on,
            figures=suppress(c.figures, plan) if c.version is not None else {},
        )
        for c in snap.children
    ]
    return ReportView(
        committee_code=ctx.committee_code,
        committee_name=ctx.committee_name,
        period=period.id,
        period_name=period.name,
        deadline=period.deadline,
        status="snapshot",
        version=None,
        figures=suppress(snap.figures, plan),
        own_figures=suppress(snap.own_figures, plan),
        children=children,
        narrative={},
        suppressed=True,
    )


async def build_dashboard(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, today: date
) -> Dashboard:
    """From the stored snapshot while fresh (no subtree recomputation per request), else live."""
    period = plan.period(period_id)
    snap = await fresh_snapshot(ctx.committee_id, ctx.path, period.id)
    if snap is not None:
        view = view_from_snapshot(ctx, snap, plan, period, today)
        months = snap.monthly
    else:
        view = await draft_report(ctx, plan, period.id, today, leaving=True)
        async with tenant_scope(ctx.path):
            months = await monthly_signals(ctx.path, period.starts_on, period.ends_on)
    monthly = list(suppress({f"signals.{m}": n for m, n in months.items()}, plan).items())
    specs = [
        ("thang", "Phản ánh theo tháng", [(k.split(".", 1)[1], v) for k, v in monthly]),
        ("bieu_hien", "Phản ánh theo biểu hiện", _by_prefix(view, "signals.indicator.")),
        ("kenh", "Phản ánh theo kênh", _by_prefix(view, "signals.channel.")),
        ("don_vi", "Phản ánh theo đơn vị trực thuộc (báo cáo đã gửi)", _child_signals(view)),
    ]
    series = [
        Series(key=k, title=t, rows=rows, svg=bar_chart(t, rows, f"chart-{k}"))
        for k, t, rows in specs
    ]
    return Dashboard(report=view, series=series, computed_at=snap.computed_at if snap else None)
