"""The evaluation pipeline: each committed signal about a cadre → the pack in force → a case.

Per signal: the active pack of the receiving committee on the receipt date; the cadre's recent
signals replayed from the database; durable_rules decides. A decision that opens a case either
extends the cadre's open case at the handling committee (the signal is attached and findings
added) or opens a new one recording the pack version and the rules that fired (the reason shown
to staff). The signal then records its status (``evaluated`` / ``attached``), case and version.

A signal received on a date no pack covers (after every pack's ``effective_to``, or before
the first one) gets no decision: it stays ``received`` with :data:`NO_PLAN_IN_FORCE` in its
``pack_version`` column so staff see why, and a later run (``giamsat rules evaluate-pending``
after the new year's pack is published) decides it.

Idempotent: a signal that is no longer ``received`` is skipped. On an engine error the signal
stays ``received`` (a later run retries it); logs carry ids and exception types only.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec

from giamsat.cadres.tables import Cadre
from giamsat.cases.committees import by_id, common_scope
from giamsat.cases.opening import open_case
from giamsat.cases.policy import CommitteeNode
from giamsat.cases.schemas import FiredRule as CaseRule
from giamsat.cases.schemas import OpenCase
from giamsat.cases.tables import Case, CaseEvent, Finding
from giamsat.db.engine import is_postgres
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.plans.additions import active_ruleset
from giamsat.plans.facts import case_facts, signal_facts, window_days, window_signals
from giamsat.rulepacks import AsyncDurableEvaluator, Decision
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.paths import ancestor_paths
from giamsat.tenancy.tables import Committee

logger = logging.getLogger("giamsat.plans.pipeline")

_EVALUATOR: AsyncDurableEvaluator | None = None


def evaluator() -> AsyncDurableEvaluator:
    """The one durable_rules evaluator of this process (one host, one worker thread)."""
    global _EVALUATOR
    if _EVALUATOR is None:
        _EVALUATOR = AsyncDurableEvaluator()
    return _EVALUATOR


def _count(outcome: str) -> None:
    try:
        from giamsat.observability.metrics import RULE_EVALUATIONS
    except ImportError:  # pragma: no cover - observability is optional
        return
    RULE_EVALUATIONS.labels(engine="durable_rules", outcome=outcome).inc()


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    """What happened to one signal (for callers, tests and the CLI)."""

    signal_id: int
    status: str
    case_id: int | None = None
    pack_version: str = ""
    opened: bool = False
    note: str = ""


#: Shown on a signal that stays ``received`` because no pack covers its receipt date (kept in
#: ``Signal.pack_version``, which otherwise holds the deciding version; it is overwritten when
#: a pack covering the date is published and the signal is evaluated).
NO_PLAN_IN_FORCE = "no plan in force for this date (chưa có kế hoạch áp dụng)"


async def evaluate_signals(ctx: TenantContext, signal_ids: list[int]) -> None:
    """The ``SIGNAL_HANDLERS`` entry: evaluate each signal on its own, so one failure never
    blocks the others (a failed one stays ``received``)."""
    for signal_id in signal_ids:
        try:
            await evaluate_signal(signal_id)
        except Exception as exc:
            _count("error")
            logger.debug("rule evaluation error", exc_info=True)
            logger.warning("rule evaluation failed for signal %s (committee %s): %s",
                           signal_id, ctx.committee_code, type(exc).__name__)  # fmt: skip


async def _signal(signal_id: int) -> dict[str, Any] | None:
    async with system_scope():
        row = await Signal.select().where(Signal.id == signal_id).first()
    return dict(row) if row is not None else None


async def evaluate_signal(signal_id: int) -> Outcome:
    """Decide one signal and act on the decision (see the module docstring)."""
    row = await _signal(signal_id)
    if row is None or row["status"] != "received" or row["case_id"] is not None:
        status = row["status"] if row else "missing"
        return Outcome(signal_id=signal_id, status=status, case_id=row["case_id"] if row else None)
    if row["cadre"] is None:
        return Outcome(signal_id=signal_id, status="received")
    receiver = await by_id(row["committee"])
    compiled = await active_ruleset(receiver.path, row["received_on"])
    if compiled is None:
        return await _no_plan(receiver, row)
    async with system_scope():
        cadre = await Cadre.select().where(Cadre.id == row["cadre"]).first()
        rows = await window_signals(row["cadre"], row["received_on"], window_days(compiled),
                                    signal_id)  # fmt: skip
    assert cadre is not None
    facts = case_facts(signal_id, row["received_on"], receiver.level, cadre, rows, receiver.path)
    decision = await evaluator().evaluate(compiled, facts)
    _count("case" if decision.open_case else "no_case")
    if not decision.open_case:
        await _mark(receiver, signal_id, "evaluated", None, decision.pack_version)
        return Outcome(signal_id=signal_id, status="evaluated", pack_version=decision.pack_version)
    owner = await handling_committee(receiver, decision.route_to_level, cadre)
    return await _act(row, receiver, owner, cadre, decision)


async def _no_plan(receiver: CommitteeNode, row: dict[str, Any]) -> Outcome:
    """Leave the signal ``received`` (never decided by an ended pack) and say why on it."""
    _count("no_plan")
    logger.warning("signal %s received on %s at committee %s: no plan in force for this date; "
                   "it stays received until a pack covering the date is published",
                   row["id"], row["received_on"], receiver.code)  # fmt: skip
    await _mark(receiver, int(row["id"]), "received", None, NO_PLAN_IN_FORCE)
    return Outcome(signal_id=int(row["id"]), status="received", note=NO_PLAN_IN_FORCE)


async def handling_committee(
    receiver: CommitteeNode, level: str | None, cadre: dict[str, Any]
) -> CommitteeNode:
    """The ancestor-or-self of the receiver at the routed level; the cadre's managing committee
    when it sits at that level; otherwise the receiver keeps the case."""
    if level is None or level == receiver.level:
        return receiver
    managing = cadre.get("managing_committee")
    if managing is not None:
        node = await by_id(managing)
        if node.level == level and (receiver.path.startswith(node.path)
                                    or node.path.startswith(receiver.path)):  # fmt: skip
            return node
    async with system_scope():
        found = (
            await Committee.select(Committee.id)
            .where(
                Committee.path.is_in(ancestor_paths(receiver.path, include_root=False))
                & (Committee.level == level)
            )
            .first()
        )
    return await by_id(found["id"]) if found is not None else receiver


async def _act(
    row: dict[str, Any],
    receiver: CommitteeNode,
    owner: CommitteeNode,
    cadre: dict[str, Any],
    decision: Decision,
) -> Outcome:
    signal_id = int(row["id"])
    scope = common_scope(owner.path, receiver.path)
    # One transaction from "is there an open case?" to opening one, serialised per cadre, so
    # two replicas evaluating signals about the same person never open two cases.
    async with tenant_scope(scope):
        if is_postgres():
            await Case.raw("SELECT pg_advisory_xact_lock({}, {})", _CASE_LOCK, int(cadre["id"]))
        open_row = await Case.select(Case.id).where(
            (Case.cadre == cadre["id"]) & (Case.committee == owner.id)
            & Case.closed_at.is_null() & Case.merged_into.is_null()
            & Case.status.not_in(["closed", "merged"])
        ).order_by(Case.id, ascending=False).first()  # fmt: skip
        if open_row is not None:
            await _attach(int(open_row["id"]), owner, signal_id, decision)
            await _mark_rows(signal_id, "attached", int(open_row["id"]), decision.pack_version)
            return Outcome(signal_id=signal_id, status="attached", case_id=int(open_row["id"]),
                           pack_version=decision.pack_version)  # fmt: skip
        answer = next((c.working_days for c in decision.clocks if c.name == "answer"), None)
        indicator = next((f for f in decision.fired if f.kind == "indicator"), decision.fired[0])
        view = await open_case(owner.id, OpenCase(
            owner=owner.code, origin=receiver.code, title=indicator.title_vi[:255],
            received_on=row["received_on"], cadre_id=int(cadre["id"]),
            subject_name=str(cadre["full_name"])[:255], priority=decision.priority or "normal",
            complex_case=bool(signal_facts(row).get("complex")),
            managing_level=str(cadre["managing_level"]), pack_version=decision.pack_version,
            fired_rules=[CaseRule(id=f.id, title=f.title_vi, title_en=f.title_en, kind=f.kind)
                         for f in decision.fired],
            signal_ids=[signal_id], findings=decision.findings, clock_days=answer,
        ))  # fmt: skip
        await _mark_rows(signal_id, "attached", view.id, decision.pack_version)
    return Outcome(signal_id=signal_id, status="attached", case_id=view.id,
                   pack_version=decision.pack_version, opened=True)  # fmt: skip


#: First key of the advisory lock taken while deciding whether a cadre's case exists ("case").
_CASE_LOCK = 0x63617365


async def _attach(case_id: int, owner: CommitteeNode, signal_id: int, decision: Decision) -> None:
    known = {r["indicator"] for r in await Finding.select(Finding.indicator).where(
        Finding.case == case_id)}  # fmt: skip
    rule = decision.fired[0].id[:80] if decision.fired else ""
    for code in decision.findings:
        if code not in known:
            await Finding(case=case_id, tenant_path=owner.path, indicator=code,
                          signal_id=signal_id, rule_id=rule).save()  # fmt: skip
    await CaseEvent(case=case_id, tenant_path=owner.path, action="signal_attached",
                    details={"signal": signal_id, "pack_version": decision.pack_version,
                             "rules": [f.id for f in decision.fired][:20]}).save()  # fmt: skip


async def _mark_rows(signal_id: int, status: str, case_id: int | None, version: str) -> None:
    await Signal.update({Signal.status: status, Signal.case_id: case_id,
                         Signal.pack_version: version}).where(Signal.id == signal_id)  # fmt: skip


async def _mark(receiver: CommitteeNode, signal_id: int, status: str, case_id: int | None,
                version: str) -> None:  # fmt: skip
    async with tenant_scope(receiver.path):
        await _mark_rows(signal_id, status, case_id, version)


async def evaluate_pending(limit: int = 10_000) -> int:
    """Evaluate signals still ``received`` (e.g. after an engine error, or rows loaded in bulk
    without the intake hand-off); returns how many were looked at."""
    async with system_scope():
        rows = await Signal.select(Signal.id).where(
            (Signal.status == "received") & Signal.case_id.is_null() & Signal.cadre.is_not_null()
        ).order_by(Signal.received_on).order_by(Signal.id).limit(limit)  # fmt: skip
    for row in rows:
        try:
            await evaluate_signal(int(row["id"]))
        except Exception as exc:
            _count("error")
            logger.warning("rule evaluation failed for signal %s: %s", row["id"],
                           type(exc).__name__)  # fmt: skip
    return len(rows)
