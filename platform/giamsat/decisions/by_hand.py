"""A case opened by hand (mở vụ việc trực tiếp) goes through the pack like any signal.

Staff choose the cadre and the manifestations or duties (by code, from the catalogue of the pack
in force); the pack decides the routed level, the clock and the findings. The origin is always
the caller's committee. An owner other than the routed committee is allowed only at the routed
level or above (the routed committee's ancestors), with a reason, which is audited.

Every id and code of the request is resolved inside the caller's scope here, before anything is
written, on SQLite as on PostgreSQL; a refusal never tells whether the thing exists elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from giamsat.audit.service import record
from giamsat.cadres.tables import Cadre
from giamsat.cases.committees import by_code, by_id
from giamsat.cases.opening import open_case
from giamsat.cases.policy import CommitteeNode
from giamsat.cases.schemas import CaseByHand, CaseView, OpenCase
from giamsat.cases.schemas import FiredRule as CaseRule
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.decisions.outcome import evaluator
from giamsat.decisions.policy import case_policy
from giamsat.decisions.routing import handling_committee
from giamsat.errors import InvalidInput, NotFound, PermissionDenied
from giamsat.plans.additions import combined
from giamsat.plans.facts import case_facts, window_days, window_signals
from giamsat.plans.service import active_pack
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

_NO_SUCH = {
    "cadre_id": N_("There is no such cadre in this committee's scope."),
    "signal_ids": N_("There is no such signal in this committee's scope."),
    "owner": N_("There is no such committee in this committee's scope."),
}


def _refused(field: str) -> NotFound:
    return NotFound(_NO_SUCH[field], field=field)


async def _cadre(ctx: TenantContext, cadre_id: int) -> dict[str, Any]:
    row = await Cadre.select().where(
        (Cadre.id == cadre_id) & path_within(Cadre.tenant_path, ctx.path)
    ).first()  # fmt: skip
    if row is None:
        raise _refused("cadre_id")
    return dict(row)


async def _signals(ctx: TenantContext, ids: list[int]) -> None:
    if not ids:
        return
    rows = await Signal.select(Signal.id, Signal.case_id).where(
        Signal.id.is_in(sorted(set(ids))) & path_within(Signal.tenant_path, ctx.path)
    )  # fmt: skip
    if len(rows) != len(set(ids)):
        raise _refused("signal_ids")
    taken = sorted(r["id"] for r in rows if r["case_id"] is not None)
    if taken:
        raise InvalidInput(
            N_("Signals %(signals)s already belong to a case."),
            field="signal_ids",
            params={"signals": ", ".join(str(t) for t in taken)},
        )


async def _owner(
    ctx: TenantContext, routed: CommitteeNode, data: CaseByHand
) -> tuple[CommitteeNode, str]:
    """The routed committee, or the chosen one at the routed level or above, with its reason."""
    if data.owner is None or data.owner.strip() in {"", routed.code}:
        return routed, ""
    try:
        chosen = await by_code(data.owner, field="owner")
    except InvalidInput:
        raise _refused("owner") from None
    if not (routed.path.startswith(chosen.path) and chosen.path != routed.path):
        raise PermissionDenied(
            N_(
                "The plan gives this case to %(committee)s; only a committee above it can be "
                "chosen."
            ),
            params={"committee": routed.name},
        )
    if not data.owner_reason.strip():
        raise InvalidInput(
            N_("Give the reason for giving the case to a committee other than the plan's."),
            field="owner_reason",
        )
    return chosen, data.owner_reason.strip()


async def open_by_hand(ctx: TenantContext, data: CaseByHand, *, today: dt.date) -> CaseView:
    """Check every id in the caller's scope, let the pack route, open the case."""
    received = data.received_on or today
    if received > today:
        raise InvalidInput(N_("The received date cannot be in the future."), field="received_on")
    receiver = await by_id(ctx.committee_id)
    async with tenant_scope(ctx.path):
        cadre = await _cadre(ctx, data.cadre_id)
        await _signals(ctx, list(data.signal_ids))
    base = await active_pack(ctx.path, received)
    if base is None:
        raise InvalidInput(N_("No plan is in force on this received date."), field="received_on")
    catalogue = {i.code: i for i in base.pack().indicators}
    codes = [c.strip().upper() for c in data.indicators]
    unknown = [c for c in codes if c not in catalogue]
    if unknown:
        raise InvalidInput(
            N_("%(codes)s: not in the catalogue of plan %(version)s."),
            field="indicators",
            params={"codes": ", ".join(unknown), "version": base.version},
        )
    compiled = await combined(base, received)
    async with tenant_scope(ctx.path):
        replay = await window_signals(int(cadre["id"]), received, window_days(compiled), -1)
    flags = {"corruption": data.corruption, "press": data.press, "complex": data.complex_case}
    chosen = {"id": "by-hand", "channel": "staff", "kind": "report", "indicator_codes": codes,
              "facts": flags, "anonymous": False, "received_on": received,
              "level": receiver.level}  # fmt: skip
    facts = case_facts(0, received, receiver.level, cadre, [*replay, chosen], receiver.path)
    decision = await evaluator().evaluate(compiled, facts)
    routed = await handling_committee(receiver, decision.route_to_level, cadre)
    owner, reason = await _owner(ctx, routed, data)
    answer = next((c.working_days for c in decision.clocks if c.name == "answer"), None)
    title = data.title.strip() or catalogue[codes[0]].text_vi[:255]
    findings = sorted(set(codes) | set(decision.findings))
    policy = case_policy(base.compiled(), str(cadre["managing_level"]), owner.level,
                         propose_delegation=decision.propose_delegation)  # fmt: skip
    view = await open_case(ctx, OpenCase(
        owner=owner.code, origin=receiver.code, title=title, received_on=received,
        cadre_id=int(cadre["id"]), subject_name=str(cadre["full_name"])[:255],
        priority=decision.priority or "normal", complex_case=data.complex_case,
        managing_level=str(cadre["managing_level"]), pack_version=decision.pack_version,
        fired_rules=[CaseRule(id=f.id, title=f.title_vi, title_en=f.title_en, kind=f.kind)
                     for f in decision.fired],
        signal_ids=sorted(set(data.signal_ids)), findings=findings, clock_days=answer,
    ), policy=policy, routed_by_pack=True)  # fmt: skip
    if data.signal_ids:
        async with tenant_scope(ctx.path):
            await Signal.update({Signal.status: "attached", Signal.pack_version:
                                 decision.pack_version}).where(
                Signal.id.is_in(sorted(set(data.signal_ids))))  # fmt: skip
    if reason:
        async with tenant_scope(ctx.path):
            details = {"routed": routed.code, "owner": owner.code, "reason": reason}
            await record(ctx, "case.owner_chosen", "case", view.id, details)
    return view
