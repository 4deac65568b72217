"""Drafts, submissions and what a parent may read of its children's reports.

A submission freezes the committee's draft (own work + partners + children's latest submitted
reports) as a JSON snapshot; it is never updated, a resubmission adds a version and needs a
reason. Submitting is audited. Reading a child's report from above always suppresses small counts.
"""

from __future__ import annotations

from datetime import date

import msgspec

from giamsat.audit.service import record
from giamsat.db.engine import is_postgres
from giamsat.db.scope import tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from giamsat.reports.drafts import (
    checked_closing,
    discard_draft,
    officials_closing,
    saved_draft,
    unknown_sections,
)
from giamsat.reports.labels import PARTNER_FIGURES
from giamsat.reports.plan import COMMITTEE_KIND, Period, ReportingPlan
from giamsat.reports.privacy import exact, suppress
from giamsat.reports.rollup import (
    CommitteeNode,
    Draft,
    SubmittedReport,
    children_of,
    draft_of,
    latest_submissions,
    node_by_code,
    node_by_id,
)
from giamsat.reports.schemas import (
    ChildLine,
    ReportClosing,
    ReportView,
    SubmissionView,
    SubmitRequest,
)
from giamsat.reports.tables import ReportSubmission
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, InBoth

#: Second key space of the advisory lock serialising submissions of one committee.
_LOCK_NAMESPACE = 0x5250  # "RP"


def child_status(report: SubmittedReport | None, deadline: date, today: date) -> str:
    """submitted / late / missing (deadline passed, nothing) / pending (not due yet)."""
    if report is None:
        return "missing" if today > deadline else "pending"
    return "late" if report.late else "submitted"


async def _node(ctx: TenantContext, period: Period, code: str | None = None) -> CommitteeNode:
    """The caller's committee, or ``code`` as it was at the end of ``period`` (codes are reused
    across registers, and a dissolved district's reports stay readable)."""
    node = await node_by_code(code, period.ends_on) if code else await node_by_id(ctx.committee_id)
    if node is None or not ctx.covers(node.path):
        raise NotFound(
            N_("There is no committee with code %(code)s in this committee's scope."),
            params={"code": code},
        )
    return node


def _child_lines(
    draft: Draft,
    submitted: dict[tuple[int, str], SubmittedReport],
    children: list[CommitteeNode],
    plan: ReportingPlan,
    deadline: date,
    today: date,
) -> list[ChildLine]:
    lines = []
    for child in children:
        report = submitted.get((child.id, COMMITTEE_KIND))
        lines.append(
            ChildLine(
                code=child.code,
                name=child.name,
                status=child_status(report, deadline, today),
                version=report.version if report else None,
                submitted_on=report.submitted_on if report else None,
                figures=suppress(report.figures, plan) if report else {},
            )
        )
    return lines


async def draft_report(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, today: date, *, leaving: bool = False
) -> ReportView:
    """The committee's report as it stands; ``leaving`` suppresses small counts (exports)."""
    period = plan.period(period_id)
    async with tenant_scope(ctx.path):
        node = await _node(ctx, period)
        draft = await draft_of(node, plan, period, today)
        submitted = await latest_submissions(node.path, period.id)
        children = await children_of(node.id, period.ends_on)
        drafted, drafted_at, drafted_closing = await saved_draft(node.id, period.id)
        parent = await node_by_id(node.parent_id) if node.parent_id is not None else None
        mine = submitted.get((node.id, COMMITTEE_KIND))
        closing = (
            drafted_closing or (mine.closing if mine else None) or await officials_closing(node.id)
        )
    shown = suppress if leaving else (lambda figures, _plan: exact(figures))
    return ReportView(
        committee_code=node.code,
        committee_name=node.name,
        period=period.id,
        period_name=period.name,
        period_name_en=period.name_en,
        deadline=period.deadline,
        status="draft" if mine is None else child_status(mine, period.deadline, today),
        version=mine.version if mine else None,
        figures=shown(draft.figures, plan),
        own_figures=shown(draft.own, plan),
        children=_child_lines(draft, submitted, children, plan, period.deadline, today),
        narrative=drafted or (mine.narrative if mine else {}),
        suppressed=leaving,
        draft_saved_at=drafted_at if drafted or drafted_closing else None,
        closing=closing,
        parent_name=parent.name if parent else "",
    )


async def submitted_report(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, code: str, today: date
) -> ReportView:
    """A committee below the caller's, as submitted (drill-down): suppressed, no drafts."""
    period = plan.period(period_id)
    async with tenant_scope(ctx.path):
        node = await _node(ctx, period, code)
        if node.path == ctx.path:
            raise InvalidInput("use the draft view for your own committee's report", field="code")
        report = (await latest_submissions(node.path, period.id)).get((node.id, COMMITTEE_KIND))
        if report is None:
            raise NotFound(
                N_("%(name)s has not submitted its report for this period."),
                params={"name": node.name},
            )
        submitted = await latest_submissions(node.path, period.id)
        children = await children_of(node.id, period.ends_on)
    return ReportView(
        committee_code=node.code,
        committee_name=node.name,
        period=period.id,
        period_name=period.name,
        period_name_en=period.name_en,
        deadline=period.deadline,
        status=child_status(report, period.deadline, today),
        version=report.version,
        figures=suppress(report.figures, plan),
        own_figures={},
        children=[
            ChildLine(
                code=c.code,
                name=c.name,
                status=child_status(submitted.get((c.id, COMMITTEE_KIND)), period.deadline, today),
            )
            for c in children
        ],
        narrative=report.narrative,
        suppressed=True,
        closing=report.closing or ReportClosing(),
    )


def _check_narrative(plan: ReportingPlan, request: SubmitRequest) -> dict[str, str]:
    if request.kind != COMMITTEE_KIND:
        return {k: v.strip() for k, v in request.narrative.items()}
    unknown = sorted(set(request.narrative) - {s.key for s in plan.mandatory_sections})
    if unknown:
        raise unknown_sections(unknown)
    empty = [
        s
        for s in plan.mandatory_sections
        if s.required and not request.narrative.get(s.key, "").strip()
    ]
    if empty:
        raise InvalidInput(
            N_("Some mandatory sections are still empty: %(sections)s."),
            field="narrative",
            params={
                "sections": InBoth(
                    "; ".join(s.heading for s in empty),
                    "; ".join(s.heading_en or s.heading for s in empty),
                )
            },
        )
    return {
        s.key: request.narrative.get(s.key, "").strip()
        for s in plan.mandatory_sections
        if request.narrative.get(s.key, "").strip()
    }


def _check_partner_figures(plan: ReportingPlan, request: SubmitRequest) -> dict[str, int]:
    if request.kind == COMMITTEE_KIND:
        if request.figures:
            raise InvalidInput("a committee's figures are computed, not sent", field="figures")
        return {}
    plan.partner(request.kind)
    unknown = sorted(set(request.figures) - set(plan.partner_figures))
    if unknown:
        raise InvalidInput(
            N_("A partner organisation's report counts only %(figures)s."),
            field="figures",
            params={"figures": _figure_names(plan.partner_figures)},
        )
    negative = [k for k in plan.partner_figures if request.figures.get(k, 0) < 0]
    if negative:
        raise InvalidInput(
            N_("These figures cannot be negative: %(figures)s."),
            field="figures",
            params={"figures": _figure_names(negative)},
        )
    return dict(request.figures)


def _figure_names(keys: list[str]) -> InBoth:
    """A partner report's figures by their names ("signals received, …"), never their keys."""
    return InBoth.joined([PARTNER_FIGURES.get(k, N_("another value")) for k in keys])


async def _insert_once(row: ReportSubmission, period_id: str) -> None:
    """Insert ``row`` unless its (committee, period, kind, version) already exists.

    The advisory lock (PostgreSQL) and ``BEGIN IMMEDIATE`` (SQLite) already serialise submitters;
    the unique key is the database's own guarantee, turned into a clean refusal, not a 500.
    """
    inserted = (
        await ReportSubmission.insert(row)
        .on_conflict(target=ReportSubmission.submission_key, action="DO NOTHING")
        .returning(ReportSubmission.id)
    )
    if not inserted:
        raise Conflict(
            N_(
                "Version %(version)s of this report was just submitted by someone else: reload "
                "the page and submit again with a reason."
            ),
            field="reason",
            params={"version": row.version},
        )
    row.id = int(inserted[0]["id"])


async def submit(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, request: SubmitRequest, today: date
) -> SubmissionView:
    """Freeze and submit the committee's (or a partner's) report for ``period_id``."""
    period = plan.period(period_id)
    narrative = _check_narrative(plan, request)
    closing = checked_closing(request.closing) if request.closing is not None else None
    partner_figures = _check_partner_figures(plan, request)
    if request.kind != COMMITTEE_KIND and ctx.role not in {
        "partner_officer",
        "admin",
        "standing_board",
        "democracy_law",
    }:
        raise PermissionDenied("only partner officers or lead staff submit partner reports")
    async with tenant_scope(ctx.path):
        if is_postgres():
            await ReportSubmission.raw(
                "SELECT pg_advisory_xact_lock({}, {})", _LOCK_NAMESPACE, ctx.committee_id
            )
        node = await _node(ctx, period)
        previous = (await latest_submissions(node.path, period.id)).get((node.id, request.kind))
        if previous is not None and not request.reason.strip():
            raise Conflict(
                N_(
                    "The report for this period was already submitted (version %(version)s); "
                    "submitting it again needs a reason."
                ),
                field="reason",
                params={"version": previous.version},
            )
        if request.kind == COMMITTEE_KIND and closing is None:
            closing = (await saved_draft(node.id, period.id))[2]
        if request.kind == COMMITTEE_KIND:
            draft = await draft_of(node, plan, period, today)
            figures, own, included = draft.figures, draft.own, draft.children_included
        else:
            figures, own, included = partner_figures, partner_figures, []
        version = (previous.version + 1) if previous else 1
        row = ReportSubmission(
            submission_key=f"{node.id}:{period.id}:{request.kind}:{version}",
            committee=node.id,
            tenant_path=node.path,
            period_id=period.id,
            kind=request.kind,
            version=version,
            reason=request.reason.strip(),
            submitted_on=today,
            late=today > period.deadline,
            submitted_by=ctx.user_id,
            figures=figures,
            own_figures=own,
            narrative=narrative,
            closing=msgspec.to_builtins(closing) if closing is not None else {},
            children_included=included,
        )
        await _insert_once(row, period.id)
        if request.kind == COMMITTEE_KIND:
            await discard_draft(node.id, period.id)
        await record(
            ctx,
            "report.submitted",
            "report_submission",
            row.id,
            {
                "period": period.id,
                "kind": request.kind,
                "version": row.version,
                "late": row.late,
                "children_included": len(included),
            },
        )
    return SubmissionView(
        id=row.id,
        committee_code=node.code,
        period=period.id,
        kind=row.kind,
        version=row.version,
        submitted_on=today,
        late=row.late,
        reason=row.reason,
    )
