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
from giamsat.db.subtree import subtree_bounds
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
    def bounds(self) -> tuple[str, str]:
        """``[lower, upper)``: the paths of the subtree (or of the committee alone, if exact).

        The subtree is :func:`giamsat.db.subtree.subtree_bounds`, the row-level-security
        policy's own range; no path but ``within`` itself lies before ``within + '/'``."""
        lower, upper = subtree_bounds(self.within)
        return (lower, lower + "/") if self.exact else (lower, upper)

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
    alongside: bool = False
    """Its query is parallel safe (no CTE) and big enough to run alongside the others in one
    statement on PostgreSQL (see :func:`own_figures`)."""


def _in(values: tuple[str, ...]) -> str:
    # Constants of this module only, never user input: inlined so both dialects share one text.
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


#: The window's paths, with the two bounds of :attr:`Window.bounds` as parameters.
_WITHIN = "tenant_path >= {} AND tenant_path < {}"


def _range(w: Window) -> tuple[Any, ...]:
    return (*w.bounds, w.starts_on, w.ends_on)


def _channel_sql(pg: bool, wanted: frozenset[str]) -> str:
    """Signals per channel: one GROUP BY in the order of the ``(tenant_path, channel,
    received_on)`` index, so PostgreSQL reads the index alone and groups as it streams."""
    return (
        "SELECT tenant_path AS path, 'signals.channel.' || channel AS figure, COUNT(*) AS n "
        f"FROM signal WHERE {_WITHIN} AND received_on BETWEEN {{}} AND {{}} "
        "GROUP BY tenant_path, channel ORDER BY tenant_path, channel"
    )


def _comment_sql(pg: bool, wanted: frozenset[str]) -> str:
    """Residence comments (the assessments' results): only the residence assessments are read,
    from their own partial index (which carries ``facts`` on PostgreSQL)."""
    result = "(facts::json ->> 'result')" if pg else "json_extract(facts, '$.result')"
    return (
        "SELECT path, 'residence_comments.' || result AS figure, COUNT(*) AS n FROM ("
        f"SELECT tenant_path AS path, {result} AS result FROM signal "
        "WHERE channel = 'residence' AND kind = 'assessment' "
        f"AND {_WITHIN} AND received_on BETWEEN {{}} AND {{}}"
        ") AS assessed WHERE result IS NOT NULL GROUP BY path, result"
    )


def _indicator_sql(pg: bool, wanted: frozenset[str]) -> str:
    """Signals per indicator (tiêu chí): one GROUP BY over the normalised indicator rows, which
    carry the signal's path and received date so the signal table is not joined.

    Grouped in the order of the ``(tenant_path, code, received_on)`` index: an index-only scan
    and a streaming group, instead of hashing ~200,000 (committee, code) groups."""
    return (
        "SELECT tenant_path AS path, 'signals.indicator.' || code AS figure, COUNT(*) AS n "
        f"FROM signal_indicator WHERE {_WITHIN} AND received_on BETWEEN {{}} AND {{}} "
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
        f"FROM supervision_case WHERE {_WITHIN} AND received_on BETWEEN {{}} AND {{}} "
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
            f"COUNT(*) AS n FROM cadre WHERE {_WITHIN} AND active = {{}} GROUP BY tenant_path"
        ),
        params=lambda w: (*w.bounds, True),
    ),
    FigureSource(
        families=("signals",), table="signal", sql=_channel_sql, params=_range, alongside=True
    ),
    FigureSource(
        families=("residence_comments",),
        table="signal",
        sql=_comment_sql,
        params=_range,
        alongside=True,
    ),
    FigureSource(
        families=("signals",),
        table="signal_indicator",
        sql=_indicator_sql,
        params=_range,
        alongside=True,
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
            "WHERE f.tenant_path >= {} AND f.tenant_path < {} "
            "AND c.received_on BETWEEN {} AND {} "
            "GROUP BY f.tenant_path, f.indicator"
        ),
        params=_range,
        alongside=True,
    ),
    FigureSource(
        families=("delegations",),
        table="delegation",
        sql=lambda pg, wanted: (
            "SELECT tenant_path AS path, 'delegations.formed' AS figure, "
            f"COUNT(*) AS n FROM delegation WHERE {_WITHIN} "
            "AND period_start BETWEEN {} AND {} GROUP BY tenant_path"
        ),
        params=_range,
    ),
    FigureSource(
        families=("recommendations",),
        table="recommendation",
        sql=lambda pg, wanted: (
            "SELECT tenant_path AS path, 'recommendations.issued' AS figure, "
            f"COUNT(*) AS n FROM recommendation WHERE {_WITHIN} "
            "AND issued_on BETWEEN {} AND {} GROUP BY tenant_path UNION ALL "
            "SELECT tenant_path AS path, 'recommendations.answered' AS figure, "
            f"COUNT(*) AS n FROM recommendation WHERE {_WITHIN} "
            "AND issued_on BETWEEN {} AND {} AND answered_on IS NOT NULL GROUP BY tenant_path"
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
#: Without parallel workers the planner keeps a source's streaming plan in index order (each row
#: read once, no sort); its parallel plans hashed in workers, then sorted ~200,000 partial
#: groups. Workers are allowed only for the sources run side by side (:data:`_SIDE_BY_SIDE`).
_PG_SETTINGS = (("work_mem", "32MB"), ("jit", "off"), ("max_parallel_workers_per_gather", "0"))
#: Workers for the one statement of the sources run side by side: a ``Parallel Append`` runs each
#: source's own plan whole in one process (two workers and the leader, like the floor's plan).
_SIDE_BY_SIDE = "2"
_WORKERS = "SELECT set_config('max_parallel_workers_per_gather', {}, true)"


class Statement(msgspec.Struct, frozen=True):
    """One figure statement: its text, its parameters, and whether it is the sources' statement
    run side by side (``UNION ALL``, with parallel workers)."""

    sql: str
    params: tuple[Any, ...]
    side_by_side: bool = False


async def figure_statements(
    window: Window, families: list[str], one_statement: bool = True
) -> list[Statement]:
    """The statements :func:`own_figures` runs: one per source, except that on PostgreSQL (with
    ``one_statement``) the sources marked ``alongside`` are one statement, side by side."""
    wanted = frozenset(families)
    chosen = [s for s in SOURCES if wanted & set(s.families)]
    present = await existing_tables({s.table for s in chosen})
    postgres = is_postgres()
    # each source's (path, figure, n) rows, before they are gathered per committee
    built = [
        (
            Statement(
                source.sql(postgres, wanted & frozenset(source.families)), source.params(window)
            ),
            source.alongside,
        )
        for source in chosen
        if source.table in present
    ]
    alongside = [statement for statement, side in built if side]
    if not (postgres and one_statement and len(alongside) > 1):
        return [Statement(_per_committee(s.sql, postgres), s.params) for s, _ in built]
    # One statement for the big sources, gathered per committee over all of them (their figure
    # names do not meet: each source has its own prefix), so a committee is one row, not one
    # per source. Placeholders are positional in the text: the parameters follow in order.
    joined = Statement(
        _per_committee(" UNION ALL ".join(f"({s.sql})" for s in alongside), postgres),
        tuple(p for s in alongside for p in s.params),
        side_by_side=True,
    )
    others = [Statement(_per_committee(s.sql, postgres), s.params) for s, side in built if not side]
    return [*others, joined]


async def own_figures(
    window: Window, families: list[str], one_statement: bool = True
) -> FiguresByPath:
    """Own-work figures of every committee under ``window.within``: each source one grouped
    pass over its rows (channels and comments from the signal table's covering indexes,
    indicators from ``signal_indicator``'s), one JSON row per committee and source.

    On PostgreSQL the big sources are one statement (``one_statement``, the default), their
    queries joined by ``UNION ALL``: on a big subtree the planner runs them side by side in
    parallel workers (a ``Parallel Append`` whose children are the sources' own streaming
    plans, each run whole by one process), so the national roll-up reads its two million-row
    indexes at once instead of one after the other; a small subtree is planned without workers,
    as before. ``one_statement=False`` runs one query per source (SQLite always does)."""
    statements = await figure_statements(window, families, one_statement)
    if is_postgres():
        for name, value in _PG_SETTINGS:  # local to the caller's transaction (its scope)
            await Committee.raw("SELECT set_config({}, {}, true)", name, value)
    result: dict[str, Figures] = defaultdict(dict)
    for statement in statements:
        if statement.side_by_side:  # workers for this statement alone
            await Committee.raw(_WORKERS, _SIDE_BY_SIDE)
        for row in await Committee.raw(statement.sql, *statement.params):
            figures, more = result[row["path"]], _figure_object(row)
            if figures.keys().isdisjoint(more):
                figures.update(more)  # the usual case: each source adds its own figures
            else:
                add_into(figures, more)
        if statement.side_by_side:
            await Committee.raw(_WORKERS, "0")
    return dict(result)


def add_into(total: Figures, more: Figures) -> Figures:
    """``total`` plus ``more``, key by key (returns ``total``)."""
    for key, value in more.items():
        total[key] = total.get(key, 0) + int(value)
    return total


def family_of(key: str) -> str:
    return key.split(".", 1)[0]
