"""The delegation's budget at Thông tư 337/2016/TT-BTC rates, kept as editable data.

The shipped rates (``rates_tt337.yaml``) carry ``verified: false`` until someone checks the
circular is still in force; a committee's own rate for an item replaces the shipped one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

import msgspec

from giamsat.audit.service import record
from giamsat.db.scope import tenant_scope
from giamsat.delegations.repository import delegation_row, view
from giamsat.delegations.schemas import DelegationView
from giamsat.delegations.tables import CostLine, CostRate, DelegationMember, WorkingSession
from giamsat.errors import InvalidInput
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_


class Rate(msgspec.Struct, frozen=True, kw_only=True):
    item: str
    label: str
    amount: Annotated[int, msgspec.Meta(ge=0)]
    verified: bool = False


@cache
def shipped_rates() -> tuple[Rate, ...]:
    raw = resources.files("giamsat.delegations").joinpath("rates_tt337.yaml").read_bytes()
    return tuple(msgspec.yaml.decode(raw, type=list[Rate]))


async def rates(ctx: TenantContext) -> dict[str, Rate]:
    """The committee's rates: shipped ones, replaced item by item by its own (in scope)."""
    result = {r.item: r for r in shipped_rates()}
    own = await CostRate.select().where(CostRate.committee == ctx.committee_id)
    for row in own:
        result[row["item"]] = Rate(
            item=row["item"], label=row["label"], amount=row["amount"], verified=row["verified"]
        )
    return result


async def set_rate(ctx: TenantContext, rate: Rate) -> Rate:
    if rate.item not in {r.item for r in shipped_rates()}:
        raise InvalidInput(
            N_("There is no budget item %(item)s among the rates of Circular 337/2016/TT-BTC."),
            field="item",
            params={"item": rate.item},
        )
    async with tenant_scope(ctx.path):
        await CostRate.delete().where(
            (CostRate.committee == ctx.committee_id) & (CostRate.item == rate.item)
        )
        await CostRate(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            item=rate.item,
            label=rate.label,
            amount=rate.amount,
            verified=rate.verified,
        ).save()
        await record(
            ctx,
            "delegation.rate_set",
            "cost_rate",
            rate.item,
            {"amount": rate.amount, "verified": rate.verified},
        )
    return rate


async def compute_costs(ctx: TenantContext, delegation_id: int) -> DelegationView:
    """(Re)write the cost lines: member-days by kind, results report and letter once each."""
    async with tenant_scope(ctx.path):
        row = await delegation_row(ctx, delegation_id)
        table = await rates(ctx)
        members = await DelegationMember.select().where(
            DelegationMember.delegation == delegation_id
        )
        days = len(
            {
                s["held_on"]
                for s in await WorkingSession.select(WorkingSession.held_on).where(
                    WorkingSession.delegation == delegation_id
                )
            }
        )
        officials = sum(1 for m in members if m["official"])
        lines = [
            ("member_day_official", officials * days),
            ("member_day_other", (len(members) - officials) * days),
            ("results_report", 1 if row["results_on"] else 0),
            ("recommendation_letter", 1 if row["letter_on"] else 0),
        ]
        await CostLine.delete().where(CostLine.delegation == delegation_id)
        total = 0
        for item, quantity in lines:
            if quantity <= 0:
                continue
            rate = table[item]
            total += rate.amount * quantity
            await CostLine(
                delegation=delegation_id,
                tenant_path=ctx.path,
                item=item,
                label=rate.label,
                unit_amount=rate.amount,
                quantity=quantity,
                amount=rate.amount * quantity,
                verified=rate.verified,
            ).save()
        await record(
            ctx, "delegation.costs_computed", "delegation", delegation_id, {"total": total}
        )
        return await view(ctx, delegation_id)
