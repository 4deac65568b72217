"""Figures over each committee's own work, for every committee of a subtree at once.

Each figure family is one set-based query grouped by ``tenant_path`` (never one query per
committee), written for both PostgreSQL and SQLite. A family whose table does not exist yet
(delegations, recommendations are built by other areas) yields nothing instead of failing, so the
sources stay pluggable: add a :class:`FigureSource` to :data:`SOURCES`.

Figure keys are flat dotted names (``signals.channel.residence``) so snapshots are plain JSON
objects that sum key by key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

import msgspec

from giamsat.db.engine import is_postgres
from giamsat.tenancy.tables import Committee

Figures = dict[str, int]
Row = dict[str, Any]
#: Own figures by committee path.
FiguresByPath = dict[str, Figures]

#: Case statuses that count as answered by the same-level party committee.
ANSWERED_CASE_STATUSES = ("answered", "follow_up", "closed")
#: Case statuses whose clock still runs (an open case past ``due_on`` is overdue).
OPEN_CASE_STATUSES = (
    "received",
    "verifying",
    "reported",
    "awaiting_answer",
    "follow_up",
    "forwarded",
)


class Window(msgspec.Struct, frozen=True, kw_only=True):
    """The work a report covers: a subtree (path prefix) and a date range."""

    within: str
    starts_on: date
    ends_on: date
    as_of: date
    exact: bool = False
    """Only the committee at ``within`` itself, not its subtree."""

    @property
    def pattern(self) -> str:
        # The LIKE pattern; paths contain only digits and '/', so no escaping is needed.
        return self.within if self.exact else self.within + "%"

    @property
    def overdue_cutoff(self) -> date:
        return min(self.ends_on, self.as_of)


class FigureSource(msgspec.Struct, frozen=True, kw_only=True):
    """One query over one table giving (path, figure, n) for one or more families, one row per
    path and figure (gathered per committee by :func:`own_figures`); a source whose families are
    all unwanted, or whose table is missing, is skipped."""

    families: tuple[str, ...]
    table: str
    sql: Callable[[bool, frozenset[str]], str]
    params: Callable[[Window], tuple[Any, ...]]
    #: A source whose query gathers its own rows per committee (``path, figures``): the
    #: figures of one such row, for the wanted families.
    split: Callable[[frozenset[str]], Callable[[Row], Figures]] | None = None


def _in(values: tuple[str, ...]) -> str:
    # Constants of this module only, never user input: inlined so both dialects share one text.
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _range(w: Window) -> tuple[Any, ...]:
    return (w.pattern, w.starts_on, w.ends_on)


def _signal_sql(pg: bool, wanted: frozenset[str]) -> str:
    """Channels and residence comments from ONE scan of the signal table, one GROUP BY.

    The scan groups by (path, channel, assessment result): few groups per committee, gathered
    into one JSON list of ``[channel, result, n]`` per committee, which :func:`_signal_figures`
    reads both families from. Indicators come from ``signal_indicator``
    (:func:`_indicator_sql`), so no signal's JSON list is unpacked here.
    """
    result = "(facts::json ->> 'result')" if pg else "json_extract(facts, '$.result')"
    gather = (
        "json_agg(json_build_array(channel, result, n))::text"
        if pg
        else "json_group_array(json_array(channel, result, n))"
    )
    return (
        f"SELECT path, {gather} AS figures FROM (SELECT tenant_path AS path, channel, "
        f"CASE WHEN channel = 'residence' AND kind = 'assessment' THEN {result} END AS result, "
        "COUNT(*) AS n FROM signal "
        "WHERE tenant_path LIKE {} AND received_on BETWEEN {} AND {} GROUP BY 1, 2, 3"
        ") AS per_group GROUP BY path"
    )


_decode_groups = msgspec.json.Decoder(list[tuple[str, str | None, int]]).decode


def _signal_figures(wanted: frozenset[str]) -> Callable[[Row], Figures]:
    """A committee's (channel, result, n) groups → its channel figures and, for residence
    assessments with a result, its comment figures (each of the wanted families)."""
    channels, comments = "signals" in wanted, "residence_comments" in wanted

    def figures(row: Row) -> Figures:
        out: Figures = {}
        for channel, result, n in _decode_groups(row["figures"]):
            if channels:
                key = "signals.channel." + channel
                out[key] = out.get(key, 0) + n
            if comments and result is not None:
                key = "residence_comments." + result
                out[key] = out.get(key, 0) + n
        return out

    return figures


def _indicator_sql(pg: bool, wanted: frozenset[str]) -> str:
    """Signals per indicator (tiêu chí): one GROUP BY over the normalised indicator rows, which
    carry the signal's path and received date so the signal table is not joined.

    Grouped in the order of the ``(tenant_path, code, received_on)`` index: an index-only scan
    and a streaming group, instead of hashing ~200,000 (committee, code) groups."""
    return (
        "SELECT tenant_path AS path, 'signals.indicator.' || code AS figure, COUNT(*) AS n "
        "FROM signal_indicator WHERE tenant_path LIKE {} AND received_on BETWEEN {} AND {} "
        "GROUP BY tenant_path, code ORDER BY tenant_path, code"
    )


def _per_committee(sql: str, pg: bool) -> str:
    """A source's ``(path, figure, n)`` rows (one per path and figure) gathered into one JSON
    object per committee: a committee is one row to read, not one per figure."""
    gather = "json_object_agg(figure, n)::text" if pg else "json_group_object(figure, n)"
    return f"SELECT path, {gather} AS figures FROM ({sql}) AS per_figure GROUP BY path"


_decode_figures = msgspec.json.Decoder(dict[str, int]).decode


def _figure_object(row: Row) -> Figures:
    return _decode_figures(row["figures"])


def _case_sql(pg: bool, wanted: frozenset[str]) -> str:
    """Opened, answered and overdue cases from one scan (conditional sums work on both)."""
    answered = f"status IN {_in(ANSWERED_CASE_STATUSES)}"
    overdue = f"status IN {_in(OPEN_CASE_STATUSES)} AND due_on < {{}}"
    return (
        "WITH c AS (SELECT tenant_path AS path, "
        "SUM(CASE WHEN status <> 'merged' THEN 1 ELSE 0 END) AS opened, "
        f"SUM(CASE WHEN {answered} THEN 1 ELSE 0 END) AS answered, "
        f"SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END) AS overdue "
        "FROM supervision_case WHERE tenant_path LIKE {} AND received_on BETWEEN {} AND {} "
        "GROUP BY tenant_path) "
        "SELECT path, 'cases.opened' AS figure, opened AS n FROM c WHERE opened > 0 UNION ALL "
        "SELECT path, 'cases.answered' AS figure, answered AS n FROM c WHERE answered > 0 "
        "UNION ALL SELECT path, 'cases.overdue' AS figure, overdue AS n FROM c WHERE overdue > 0"
    )


SOURCES: list[FigureSource] = [
    FigureSource(
        families=("cadres",),
        table="cadre",
        sql=lambda pg, wanted: (
            "SELECT tenant_path AS path, 'cadres.supervised' AS figure, "
            "COUNT(*) AS n FROM cadre "
            "WHERE tenant_path LIKE {} AND active = {} GROUP BY tenant_path"
        ),
        params=lambda w: (w.pattern, True),
    ),
    FigureSource(
        families=("signals", "residence_comments"),
        table="signal",
        sql=_signal_sql,
        params=_range,
        split=_signal_figures,
    ),
    FigureSource(
        families=("signals",),
        table="signal_indicator",
        sql=_indicator_sql,
        params=_range,
    ),
    FigureSource(
        families=("cases",),
        table="supervision_case",
        sql=_case_sql,
        # The overdue cutoff comes first: it is the first placeholder in the text.
        params=lambda w: (w.overdue_cutoff, *_range(w)),
    ),
    FigureSource(
        families=("findings",),
        table="case_finding",
        sql=lambda pg, wanted: (
            "SELECT f.tenant_path AS path, 'findings.' || f.indicator AS figure, "
            "COUNT(*) AS n "
            'FROM case_finding f JOIN supervision_case c ON c.id = f."case" '
            "WHERE f.tenant_path LIKE {} AND c.received_on BETWEEN {} AND {} "
            "GROUP BY f.tenant_path, f.indicator"
        ),
        params=_range,
    ),
    FigureSource(
        families=("delegations",),
        table="delegation",
        sql=lambda pg, wanted: (
            "SELECT tenant_path AS path, 'delegations.formed' AS figure, "
            "COUNT(*) AS n FROM delegation "
            "WHERE tenant_path LIKE {} AND period_start BETWEEN {} AND {} GROUP BY tenant_path"
        ),
        params=_range,
    ),
    FigureSource(
        families=("recommendations",),
        table="recommendation",
        sql=lambda pg, wanted: (
            "SELECT tenant_path AS path, 'recommendations.issued' AS figure, "
            "COUNT(*) AS n FROM recommendation "
            "WHERE tenant_path LIKE {} AND issued_on BETWEEN {} AND {} "
            "GROUP BY tenant_path UNION ALL "
            "SELECT tenant_path AS path, 'recommendations.answered' AS figure, "
            "COUNT(*) AS n FROM recommendation "
            "WHERE tenant_path LIKE {} AND issued_on BETWEEN {} AND {} AND answered_on IS NOT NULL "
            "GROUP BY tenant_path"
        ),
        params=lambda w: (*_range(w), *_range(w)),
    ),
]


async def existing_tables(names: set[str]) -> set[str]:
    """Which of ``names`` exist in the database (sources of missing tables are skipped)."""
    if is_postgres():
        rows = await Committee.raw(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    else:
        rows = await Committee.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
    return names & {row["name"] for row in rows}


#: Transaction-local settings for the figure queries on PostgreSQL: the national roll-up groups
#: a million rows into ~200,000 (committee, figure) groups, which spill to disk and switch to
#: sort-based plans at the default ``work_mem``; JIT compiling them costs more than it saves.
_PG_SETTINGS = (("work_mem", "32MB"), ("jit", "off"))


async def own_figures(window: Window, families: list[str]) -> FiguresByPath:
    """Own-work figures of every committee under ``window.within``: one query per source
    (a single scan of the signal table for channels and comments, one of ``signal_indicator``
    for indicators)."""
    wanted = frozenset(families)
    chosen = [s for s in SOURCES if wanted & set(s.families)]
    present = await existing_tables({s.table for s in chosen})
    postgres = is_postgres()
    if postgres:
        for name, value in _PG_SETTINGS:  # local to the caller's transaction (its scope)
            await Committee.raw("SELECT set_config({}, {}, true)", name, value)
    result: dict[str, Figures] = defaultdict(dict)
    for source in chosen:
        if source.table not in present:
            continue
        mine = wanted & frozenset(source.families)
        sql = source.sql(postgres, mine)
        read: Callable[[Row], Figures] = _figure_object
        if source.split is None:
            sql = _per_committee(sql, postgres)
        else:
            read = source.split(mine)
        for row in await Committee.raw(sql, *source.params(window)):
            figures, more = result[row["path"]], read(row)
            if figures.keys().isdisjoint(more):
                figures.update(more)  # the usual case: each source adds its own figures
            else:
                add_into(figures, more)
    return dict(result)


def add_into(total: Figures, more: Figures) -> Figures:
    """``total`` plus ``more``, key by key (returns ``total``)."""
    for key, value in more.items():
        total[key] = total.get(key, 0) + int(value)
    return total


def family_of(key: str) -> str:
    return key.split(".", 1)[0]
