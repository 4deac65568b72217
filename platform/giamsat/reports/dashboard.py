"""The committee's dashboard: figures by month, indicator, channel and child committee.

Read from the stored daily snapshot while it is fresh (snapshots.py); otherwise computed live:
by month comes from one grouped query over the subtree's signals; by indicator and channel from
the committee's report (own work + children's submitted reports); by child from the children's
submitted snapshots. Anything about the subtree is suppressed; reporter identities never appear.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from babel.dates import format_date

from giamsat.db.engine import is_postgres
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import subtree_bounds
from giamsat.reports.charts import bar_chart
from giamsat.reports.labels import Names, channel_label, figure_code, figure_label, shown
from giamsat.reports.plan import Period, ReportingPlan
from giamsat.reports.privacy import suppress
from giamsat.reports.schemas import ChildLine, ReportView, ShownFigure
from giamsat.reports.snapshots import Snapshot, fresh_snapshot
from giamsat.reports.submissions import draft_report
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, Translator


class SeriesRow(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a series: its name in the page's language, the indicator code shown as a
    tag (or ""), and the figure worded for the reader ("1.234", "dưới 3")."""

    label: str
    value: ShownFigure
    text: str
    code: str = ""


class Series(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    title: str
    rows: list[SeriesRow]
    svg: str
    #: What a line of the series is ("Month", "Indicator" …), the table's first header.
    header: str = ""


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    report: ReportView
    series: list[Series]
    #: When the figures come from the stored daily snapshot, when it was computed (else live).
    computed_at: datetime | None = None


async def monthly_signals(path: str, starts_on: date, ends_on: date) -> dict[str, int]:
    """Signals received in the subtree per month (YYYY-MM), one grouped query."""
    month = "to_char(received_on, 'YYYY-MM')" if is_postgres() else "substr(received_on, 1, 7)"
    rows = await Signal.raw(
        f"SELECT {month} AS month, COUNT(*) AS n FROM signal WHERE tenant_path >= {{}} "
        "AND tenant_path < {} AND received_on BETWEEN {} AND {} GROUP BY 1 ORDER BY 1",
        *subtree_bounds(path),
        starts_on,
        ends_on,
    )
    return {str(r["month"]): int(r["n"]) for r in rows}


def month_name(key: str, lang: str) -> str:
    """``2026-12`` as "tháng 12/2026" (Vietnamese) or "December 2026" (English)."""
    try:
        year, month = (int(part) for part in key.split("-", 1))
        first = date(year, month, 1)
    except ValueError:
        return key
    if lang == "en":
        return format_date(first, "MMMM y", locale="en")
    return f"tháng {first.month}/{first.year}"


def worded(value: ShownFigure, lang: str) -> str:
    """A figure for the page: 1.234 / 1,234, or a withheld count in words."""
    from giamsat.web.labels import number

    shown_value = shown(value, lang)
    if isinstance(shown_value, int | float):
        return number(shown_value, lang)
    return getattr(shown_value, "text", str(shown_value))


def _by_prefix(view: ReportView, prefix: str, lang: str, names: Names) -> list[SeriesRow]:
    return [
        SeriesRow(
            label=_without_lead(figure_label(k, lang, names), prefix, lang, names, k),
            value=v,
            text=worded(v, lang),
            code=figure_code(k),
        )
        for k, v in view.figures.items()
        if k.startswith(prefix)
    ]


def _without_lead(label: str, prefix: str, lang: str, names: Names, key: str) -> str:
    """Inside a series titled "Signals by indicator" a line is the indicator's text alone."""
    rest = key[len(prefix) :]
    if prefix == "signals.channel.":
        return channel_label(rest, lang)
    if rest in names:
        vi, en = names[rest]
        return (en or vi) if lang == "en" else vi
    return label


def _child_signals(view: ReportView, lang: str) -> list[SeriesRow]:
    rows: list[SeriesRow] = []
    for child in view.children:
        if not child.figures:
            continue
        values = [v for k, v in child.figures.items() if k.startswith("signals.channel.")]
        if all(isinstance(v, int) for v in values):
            total: ShownFigure = sum(int(v) for v in values)
        else:
            # Some parts are hidden: show only a lower bound, never the exact total.
            total = "≥" + str(sum(v for v in values if isinstance(v, int)))
        rows.append(SeriesRow(label=child.name, value=total, text=worded(total, lang)))
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
        period_name_en=period.name_en,
        deadline=period.deadline,
        status="snapshot",
        version=None,
        figures=suppress(snap.figures, plan),
        own_figures=suppress(snap.own_figures, plan),
        children=children,
        narrative={},
        suppressed=True,
    )


SERIES_HEADERS = {
    "thang": N_("Month"),
    "bieu_hien": N_("Indicator"),
    "kenh": N_("Channel"),
    "don_vi": N_("Committee"),
}
SERIES_TITLES = {
    "thang": N_("Signals by month"),
    "bieu_hien": N_("Signals by indicator"),
    "kenh": N_("Signals by channel"),
    "don_vi": N_("Signals by committee below (reports sent)"),
}


async def build_dashboard(
    ctx: TenantContext,
    plan: ReportingPlan,
    period_id: str,
    today: date,
    lang: str = "vi",
    names: Names | None = None,
) -> Dashboard:
    """From the stored snapshot while fresh (no subtree recomputation per request), else live.

    Every line is named in ``lang`` (months "tháng 12/2026" / "December 2026", indicators by
    their text with the code as a tag, channels by name), one language at a time."""
    names = names or {}
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
    tr = Translator(lang)
    rows = {
        "thang": [
            SeriesRow(label=month_name(k.split(".", 1)[1], lang), value=v, text=worded(v, lang))
            for k, v in monthly
        ],
        "bieu_hien": _by_prefix(view, "signals.indicator.", lang, names),
        "kenh": _by_prefix(view, "signals.channel.", lang, names),
        "don_vi": _child_signals(view, lang),
    }
    series = []
    for key, lines in rows.items():
        title = tr.gettext(SERIES_TITLES[key])
        bars = [(f"{r.code} {r.label}" if r.code else r.label, r.value, r.text) for r in lines]
        svg = bar_chart(title, bars, f"chart-{key}")
        header = tr.gettext(SERIES_HEADERS[key])
        series.append(Series(key=key, title=title, rows=lines, svg=svg, header=header))
    return Dashboard(report=view, series=series, computed_at=snap.computed_at if snap else None)
