"""Roll-up (tổng hợp) up the committee tree.

A committee's report = its own work + its partner organisations' reports at its level + the
latest SUBMITTED report of each child (which already contains the child's own children). So a
report is exact to any depth while reading only one level of snapshots; drafts of children are
never read. Everything here works on a whole subtree at once: one query for the tree, one per
figure family, one for the snapshots; combining is done in memory.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import msgspec

from giamsat import clock
from giamsat.db.subtree import path_within
from giamsat.reports.drafts import closing_of
from giamsat.reports.figures import Figures, FiguresByPath, Window, add_into, own_figures
from giamsat.reports.plan import COMMITTEE_KIND, Period, ReportingPlan
from giamsat.reports.schemas import ReportClosing
from giamsat.reports.tables import ReportSubmission
from giamsat.tenancy.repository import code_on, in_force_on
from giamsat.tenancy.tables import Committee


class CommitteeNode(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None


class SubmittedReport(msgspec.Struct, frozen=True, kw_only=True):
    """The latest submitted version of one committee's report (or a partner's)."""

    id: int
    committee_id: int
    kind: str
    version: int
    submitted_on: date
    late: bool
    figures: Figures
    narrative: dict[str, str]
    children_included: list[str]
    closing: ReportClosing | None = None


class Draft(msgspec.Struct, kw_only=True):
    """A committee's report as it would be submitted now: exact figures and coverage."""

    node: CommitteeNode
    own: Figures
    figures: Figures
    children_included: list[str]
    children_missing: list[str]


async def subtree(
    within: str, max_depth: int | None = None, on: date | None = None
) -> list[CommitteeNode]:
    """Committees under ``within`` (inclusive) as the tree was on ``on`` (a period's last day;
    today by default), parents before children."""
    query = Committee.select(
        Committee.id,
        Committee.code,
        Committee.name,
        Committee.level,
        Committee.path,
        Committee.parent,
        Committee.depth,
    ).where(Committee.path.like(within + "%") & in_force_on(on or clock.today()))
    if max_depth is not None:
        query = query.where(Committee.depth <= max_depth)
    rows = await query.order_by(Committee.depth).order_by(Committee.path)
    return [
        CommitteeNode(
            id=r["id"],
            code=r["code"],
            name=r["name"],
            level=r["level"],
            path=r["path"],
            parent_id=r["parent"],
        )
        for r in rows
    ]


async def children_of(committee_id: int, on: date | None = None) -> list[CommitteeNode]:
    rows = (
        await Committee.select(
            Committee.id,
            Committee.code,
            Committee.name,
            Committee.level,
            Committee.path,
            Committee.parent,
        )
        .where((Committee.parent == committee_id) & in_force_on(on or clock.today()))
        .order_by(Committee.code)
    )
    return [
        CommitteeNode(
            id=r["id"],
            code=r["code"],
            name=r["name"],
            level=r["level"],
            path=r["path"],
            parent_id=r["parent"],
        )
        for r in rows
    ]


async def node_by_code(code: str, on: date | None = None) -> CommitteeNode | None:
    """The committee ``code`` meant on ``on`` (a period's last day; today by default)."""
    r = (
        await Committee.select(
            Committee.id,
            Committee.code,
            Committee.name,
            Committee.level,
            Committee.path,
            Committee.parent,
        )
        .where(code_on(code, on))
        .first()
    )
    if r is None:
        return None
    return CommitteeNode(
        id=r["id"],
        code=r["code"],
        name=r["name"],
        level=r["level"],
        path=r["path"],
        parent_id=r["parent"],
    )


async def node_by_id(committee_id: int) -> CommitteeNode | None:
    r = await Committee.select(*_NODE_COLUMNS).where(Committee.id == committee_id).first()
    return None if r is None else _node(r)


_NODE_COLUMNS = (
    Committee.id, Committee.code, Committee.name, Committee.level, Committee.path,
    Committee.parent,
)  # fmt: skip


def _node(r: dict[str, Any]) -> CommitteeNode:
    return CommitteeNode(
        id=r["id"], code=r["code"], name=r["name"], level=r["level"], path=r["path"],
        parent_id=r["parent"],
    )  # fmt: skip


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


async def latest_submissions(within: str, period_id: str) -> dict[tuple[int, str], SubmittedReport]:
    """The latest version per (committee, kind) under ``within`` for one period."""
    rows = await ReportSubmission.select(
        ReportSubmission.id,
        ReportSubmission.committee,
        ReportSubmission.kind,
        ReportSubmission.version,
        ReportSubmission.submitted_on,
        ReportSubmission.late,
        ReportSubmission.figures,
        ReportSubmission.narrative,
        ReportSubmission.closing,
        ReportSubmission.children_included,
    ).where(
        path_within(ReportSubmission.tenant_path, within)
        & (ReportSubmission.period_id == period_id)
    )
    latest: dict[tuple[int, str], SubmittedReport] = {}
    for r in rows:
        key = (r["committee"], r["kind"])
        if key in latest and latest[key].version >= r["version"]:
            continue
        latest[key] = SubmittedReport(
            id=r["id"],
            committee_id=r["committee"],
            kind=r["kind"],
            version=r["version"],
            submitted_on=r["submitted_on"],
            late=r["late"],
            figures=_json(r["figures"]) or {},
            narrative=_json(r["narrative"]) or {},
            closing=closing_of(r["closing"]),
            children_included=_json(r["children_included"]) or [],
        )
    return latest


def window_for(plan_period: Period, within: str, today: date) -> Window:
    return Window(
        within=within, starts_on=plan_period.starts_on, ends_on=plan_period.ends_on, as_of=today
    )


def partner_figures(
    node: CommitteeNode, submitted: dict[tuple[int, str], SubmittedReport], plan: ReportingPlan
) -> Figures:
    """Partner organisations' submitted channel reports at this committee, as ``partners.*``."""
    result: Figures = {}
    for org in plan.partners:
        report = submitted.get((node.id, org.code))
        if report is not None:
            for key, value in report.figures.items():
                result[f"partners.{org.code}.{key}"] = int(value)
    return result


def combine(
    node: CommitteeNode,
    children: list[CommitteeNode],
    own: FiguresByPath,
    submitted: dict[tuple[int, str], SubmittedReport],
    plan: ReportingPlan,
) -> Draft:
    """Own work + partners + children's latest submitted reports (never their drafts)."""
    mine = dict(own.get(node.path, {}))
    add_into(mine, partner_figures(node, submitted, plan))
    figures = dict(mine)
    included, missing = [], []
    for child in children:
        report = submitted.get((child.id, COMMITTEE_KIND))
        if report is None:
            missing.append(child.code)
            continue
        add_into(figures, report.figures)
        included.append(child.code)
    return Draft(
        node=node, own=mine, figures=figures, children_included=included, children_missing=missing
    )


async def draft_of(node: CommitteeNode, plan: ReportingPlan, period: Period, today: date) -> Draft:
    """One committee's draft (call inside a scope covering ``node``)."""
    children = await children_of(node.id, period.ends_on)
    window = msgspec.structs.replace(window_for(period, node.path, today), exact=True)
    own = await own_figures(window, plan.families)
    submitted = await latest_submissions(node.path, period.id)
    return combine(node, children, own, submitted, plan)


async def all_drafts(within: str, plan: ReportingPlan, period: Period, today: date) -> list[Draft]:
    """Every committee's draft under ``within`` with set-based queries (the national roll-up)."""
    nodes = await subtree(within, on=period.ends_on)
    own = await own_figures(window_for(period, within, today), plan.families)
    submitted = await latest_submissions(within, period.id)
    children: dict[int, list[CommitteeNode]] = defaultdict(list)
    for node in nodes:
        if node.parent_id is not None:
            children[node.parent_id].append(node)
    return [combine(n, children[n.id], own, submitted, plan) for n in nodes]


def subtree_totals(nodes: list[CommitteeNode], own: FiguresByPath) -> dict[int, Figures]:
    """Each committee's own work plus everything below it, bottom-up in one pass."""
    totals: dict[int, Figures] = {n.id: dict(own.get(n.path, {})) for n in nodes}
    for node in sorted(nodes, key=lambda n: n.path.count("/"), reverse=True):
        if node.parent_id is not None and node.parent_id in totals:
            add_into(totals[node.parent_id], totals[node.id])
    return totals
