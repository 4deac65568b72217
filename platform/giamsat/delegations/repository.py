"""Reading delegations of one committee (inside its scope); a sibling gets "not found"."""

from __future__ import annotations

from typing import Any

import msgspec

from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.db.subtree import path_within
from giamsat.delegations.schemas import (
    CostLineView,
    DelegationSummary,
    DelegationView,
    FindingIn,
    IndicatorIn,
    MemberView,
    SessionView,
)
from giamsat.delegations.tables import CostLine, Delegation, DelegationMember, WorkingSession
from giamsat.errors import NotFound
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

#: Which documents exist once a delegation reached a status.
_DOCUMENTS_BY_STATUS = {
    "planned": [],
    "decided": ["decision"],
    "notified": ["decision", "notice", "outline"],
    "report_received": ["decision", "notice", "outline"],
    "in_session": ["decision", "notice", "outline"],
    "reported": ["decision", "notice", "outline", "results"],
    "recommended": ["decision", "notice", "outline", "results", "letter"],
    "answered": ["decision", "notice", "outline", "results", "letter"],
}


def _json(raw: Any) -> Any:
    return msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw


async def delegation_row(
    ctx: TenantContext, delegation_id: int, *, owned: bool = True
) -> dict[str, Any]:
    condition: Any = Delegation.id == delegation_id
    condition &= (
        (Delegation.tenant_path == ctx.path)
        if owned
        else path_within(Delegation.tenant_path, ctx.path)
    )
    row = (
        await Delegation.select(*Delegation.all_columns(), Delegation.committee.code)
        .where(condition)
        .first()
    )
    if row is None:
        raise NotFound(N_("This delegation is not among your committee's delegations."))
    return dict(row)


async def view(ctx: TenantContext, delegation_id: int) -> DelegationView:
    row = await delegation_row(ctx, delegation_id, owned=False)
    members = (
        await DelegationMember.select()
        .where(DelegationMember.delegation == row["id"])
        .order_by(DelegationMember.id)
    )
    sessions = (
        await WorkingSession.select()
        .where(WorkingSession.delegation == row["id"])
        .order_by(WorkingSession.held_on)
    )
    costs = await CostLine.select().where(CostLine.delegation == row["id"]).order_by(CostLine.id)
    return DelegationView(
        id=row["id"],
        committee_code=row["committee.code"],
        case_id=row["case_id"],
        subject=row["subject"],
        supervised_name=row["supervised_name"],
        supervised_address=row["supervised_address"],
        plan_reference=row["plan_reference"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        status=row["status"],
        min_notice_days=row["min_notice_days"],
        indicators=msgspec.convert(_json(row["indicators"]) or [], list[IndicatorIn]),
        findings=msgspec.convert(_json(row["findings"]) or [], list[FindingIn]),
        decision_number=row["decision_number"],
        decision_on=row["decision_on"],
        notice_number=row["notice_number"],
        notice_on=row["notice_on"],
        report_due=row["report_due"],
        report_received_on=row["report_received_on"],
        results_number=row["results_number"],
        results_on=row["results_on"],
        letter_number=row["letter_number"],
        letter_on=row["letter_on"],
        answer_by=row["answer_by"],
        answered_on=row["answered_on"],
        answer_summary=row["answer_summary"],
        signer_name=row["signer_name"],
        signer_title=row["signer_title"],
        signer_capacity=row["signer_capacity"],
        members=[
            MemberView(
                id=m["id"],
                full_name=m["full_name"],
                role=m["role"],
                position=m["position"],
                organisation=m["organisation"],
                source=m["source"],
                official=m["official"],
            )
            for m in members
        ],
        sessions=[
            SessionView(
                id=s["id"],
                held_on=s["held_on"],
                time=s["time"],
                place=s["place"],
                activity=s["activity"],
                minutes=s["minutes"],
            )
            for s in sessions
        ],
        costs=[
            CostLineView(
                item=c["item"],
                label=c["label"],
                unit_amount=c["unit_amount"],
                quantity=c["quantity"],
                amount=c["amount"],
                verified=c["verified"],
            )
            for c in costs
        ],
        documents=list(_DOCUMENTS_BY_STATUS.get(row["status"], [])),
    )


_SUMMARY_COLUMNS = (
    Delegation.id,
    Delegation.subject,
    Delegation.supervised_name,
    Delegation.status,
    Delegation.decision_on,
    Delegation.answer_by,
    Delegation.committee.code,
    Delegation.committee.name,
)


def _summary(row: dict[str, Any]) -> DelegationSummary:
    return DelegationSummary(
        id=row["id"],
        subject=row["subject"],
        supervised_name=row["supervised_name"],
        status=row["status"],
        decision_on=row["decision_on"],
        answer_by=row["answer_by"],
        committee_code=row["committee.code"],
        committee_name=row["committee.name"],
    )


async def page_delegations(ctx: TenantContext, request: PageRequest) -> Page[DelegationSummary]:
    """One page of the subtree's delegations, newest first, with their total."""
    where = [path_within(Delegation.tenant_path, ctx.path)]
    order: list[Order] = [(Delegation.id, False)]
    return (await fetch_page(Delegation, _SUMMARY_COLUMNS, where, order, request)).map(_summary)
