"""Deciding committed signals: a batch of ids → the pack in force → ``cases``.

For a batch, the signals and their cadres are read at once and the pack in force is loaded once
per (receiving committee, receipt date). Per signal: the cadre's recent signals are replayed
from the database, the pack decides, and a decision that opens a case either extends the
cadre's open case at the handling committee (attached, findings added) or opens a new one
recording the pack version, the rules that fired (the reason shown to staff) and the
:class:`~giamsat.cases.policy.CasePolicy` the pack gives it. The signal then records its status
(``evaluated`` / ``attached``), case and version.

A signal received on a date no pack covers gets no decision: it stays ``received`` with
:data:`NO_PLAN_IN_FORCE` in its ``pack_version`` column so staff see why, and a later run
decides it once a pack covering the date is published.

Idempotent: a signal that is no longer ``received`` is skipped. On an engine error the signal
stays ``received`` (a later run retries it); logs carry ids and exception types only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count, Min

from giamsat.cadres.tables import Cadre
from giamsat.cases.committees import by_id, common_scope
from giamsat.cases.opening import attach_signal, open_case, open_case_about
from giamsat.cases.policy import CommitteeNode
from giamsat.cases.schemas import FiredRule as CaseRule
from giamsat.cases.schemas import OpenCase
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.policy import case_policy
from giamsat.decisions.routing import handling_committee
from giamsat.plans.additions import combined
from giamsat.plans.facts import case_facts, signal_facts, window_days, window_signals
from giamsat.plans.service import PublishedPack, active_pack
from giamsat.residence.recording import record_findings, residence_codes
from giamsat.rulepacks import AsyncDurableEvaluator, CompiledPack, Decision
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext

logger = logging.getLogger("giamsat.decisions")

#: A committed signal the pack can decide (it names a cadre) that is still undecided; those
#: received on a date no pack covers stay so, and are counted as waiting too.
_UNDECIDED = (Signal.status == "received") & Signal.case_id.is_null() & Signal.cadre.is_not_null()

_EVALUATOR: AsyncDurableEvaluator | None = None


def evaluator() -> AsyncDurableEvaluator:
    """The one durable_rules evaluator of this process (one host, one worker thread)."""
    global _EVALUATOR
    if _EVALUATOR is None:
        _EVALUATOR = AsyncDurableEvaluator()
    return _EVALUATOR


def _count(outcome: str) -> None:
    from giamsat.observability.metrics import RULE_EVALUATIONS

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
#: a pack covering the date is published and the signal is decided).
NO_PLAN_IN_FORCE = "no plan in force for this date (chưa có kế hoạch áp dụng)"

#: What intake calls after its commit (tests hand in their own to prove nothing is lost).
AfterCommit = Callable[[TenantContext, list[int]], Awaitable[object]]


class _Packs:
    """The packs of one batch, each loaded once per (receiving committee, date)."""

    def __init__(self) -> None:
        self._active: dict[tuple[str, dt.date], tuple[PublishedPack, CompiledPack] | None] = {}

    async def in_force(self, path: str, on: dt.date) -> tuple[PublishedPack, CompiledPack] | None:
        key = (path, on)
        if key not in self._active:
            base = await active_pack(path, on)
            self._active[key] = (base, await combined(base, on)) if base is not None else None
        return self._active[key]


async def decide_batch(ctx: TenantContext, signal_ids: list[int]) -> list[Outcome]:
    """The batch ``ctx``'s committee has just committed, decided (the default hand-off)."""
    return await decide_signals(signal_ids)


async def decide_after_commit(
    ctx: TenantContext, signal_ids: list[int], decide: AfterCommit | None = None
) -> None:
    """Intake's hand-off, after its commit: decide the batch (``decide`` defaults to
    :func:`decide_batch`). A failure is logged by ids and exception type only and loses
    nothing: the signals stay ``received`` for the ``decisions.pending`` job."""
    if not signal_ids:
        return
    try:
        await (decide or decide_batch)(ctx, list(signal_ids))
    except Exception as exc:
        _count("error")
        logger.warning("deciding failed for committee %s, signals %s: %s",
                       ctx.committee_code, signal_ids[:20], type(exc).__name__)  # fmt: skip


async def decide_signals(signal_ids: list[int]) -> list[Outcome]:
    """Decide each signal of the batch on its own, so one failure never blocks the others (a
    failed one stays ``received``)."""
    if not signal_ids:
        return []
    async with system_scope():
        rows = await Signal.select().where(Signal.id.is_in(list(signal_ids)))
        cadre_ids = sorted({r["cadre"] for r in rows if r["cadre"] is not None})
        cadres = await Cadre.select().where(Cadre.id.is_in(cadre_ids)) if cadre_ids else []
    by_signal = {int(r["id"]): dict(r) for r in rows}
    by_cadre = {int(c["id"]): dict(c) for c in cadres}
    packs, receivers = _Packs(), dict[int, CommitteeNode]()
    outcomes: list[Outcome] = []
    for signal_id in signal_ids:
        try:
            outcomes.append(
                await _decide(signal_id, by_signal.get(signal_id), by_cadre, packs, receivers)
            )
        except Exception as exc:
            _count("error")
            logger.debug("rule evaluation error", exc_info=True)
            logger.warning("deciding signal %s failed: %s", signal_id, type(exc).__name__)
            outcomes.append(Outcome(signal_id=signal_id, status="received", note="error"))
    return outcomes


async def decide_signal(signal_id: int) -> Outcome:
    """Decide one signal (see the module docstring); errors propagate."""
    async with system_scope():
        row = await Signal.select().where(Signal.id == signal_id).first()
        cadre = (
            await Cadre.select().where(Cadre.id == row["cadre"]).first()
            if row is not None and row["cadre"] is not None
            else None
        )
    cadres = {int(cadre["id"]): dict(cadre)} if cadre is not None else {}
    return await _decide(signal_id, dict(row) if row else None, cadres, _Packs(), {})


async def _decide(
    signal_id: int,
    row: dict[str, Any] | None,
    cadres: dict[int, dict[str, Any]],
    packs: _Packs,
    receivers: dict[int, CommitteeNode],
) -> Outcome:
    if row is None or row["status"] != "received" or row["case_id"] is not None:
        status = row["status"] if row else "missing"
        return Outcome(signal_id=signal_id, status=status, case_id=row["case_id"] if row else None)
    if row["cadre"] is None:
        return Outcome(signal_id=signal_id, status="received")
    if row["committee"] not in receivers:
        receivers[row["committee"]] = await by_id(row["committee"])
    receiver = receivers[row["committee"]]
    found = await packs.in_force(receiver.path, row["received_on"])
    if found is None:
        return await _no_plan(receiver, row)
    base, compiled = found
    cadre = cadres[int(row["cadre"])]
    async with system_scope():
        replay = await window_signals(row["cadre"], row["received_on"], window_days(compiled),
                                      signal_id)  # fmt: skip
    facts = case_facts(signal_id, row["received_on"], receiver.level, cadre, replay, receiver.path)
    decision = await evaluator().evaluate(compiled, facts)
    _count("case" if decision.open_case else "no_case")
    residence = await _residence(row, cadre, receiver, decision, compiled)
    if not decision.open_case:
        if residence is not None:
            return await _record_only(row, receiver, residence, decision)
        await _mark(receiver, signal_id, "evaluated", None, decision.pack_version)
        return Outcome(signal_id=signal_id, status="evaluated", pack_version=decision.pack_version)
    owner = await handling_committee(receiver, decision.route_to_level, cadre)
    return await _act(row, receiver, owner, cadre, decision, base, residence)


class _AtResidence(msgspec.Struct, frozen=True):
    """Where the pack records the signal's residence duties, and which."""

    commune: CommitteeNode
    codes: list[str]
    rule_id: str


async def _residence(
    row: dict[str, Any],
    cadre: dict[str, Any],
    receiver: CommitteeNode,
    decision: Decision,
    compiled: CompiledPack,
) -> _AtResidence | None:
    """The commune where the member lives (the receiver when none is recorded) and the
    signal's codes among the duties the fired rules record there; None when there are none."""
    codes = residence_codes(row, decision.residence_duties)
    if not codes:
        return None
    lives = cadre.get("residence_commune")
    commune = await by_id(int(lives)) if lives is not None else receiver
    fired = {f.id for f in decision.fired}
    rule = next((r.id for r in compiled.rules if r.id in fired
                 and set(r.actions.record_at_residence) & set(codes)), "")  # fmt: skip
    return _AtResidence(commune, codes, rule)


async def _record_at(residence: _AtResidence, row: dict[str, Any], decision: Decision) -> None:
    await record_findings(residence.commune, int(row["cadre"]), row, residence.codes,
                          rule_id=residence.rule_id,
                          pack_version=decision.pack_version)  # fmt: skip


async def _record_only(
    row: dict[str, Any], receiver: CommitteeNode, residence: _AtResidence, decision: Decision
) -> Outcome:
    """Findings on the residence record and the signal marked decided, in one transaction."""
    signal_id = int(row["id"])
    async with tenant_scope(common_scope(receiver.path, residence.commune.path)):
        if await _taken(signal_id):
            return Outcome(signal_id=signal_id, status="evaluated",
                           pack_version=decision.pack_version)  # fmt: skip
        await _record_at(residence, row, decision)
        await _mark_rows(signal_id, "evaluated", None, decision.pack_version)
    return Outcome(signal_id=signal_id, status="evaluated", pack_version=decision.pack_version,
                   note="residence")  # fmt: skip


async def _no_plan(receiver: CommitteeNode, row: dict[str, Any]) -> Outcome:
    """Leave the signal ``received`` (never decided by an ended pack) and say why on it."""
    _count("no_plan")
    if row["pack_version"] == NO_PLAN_IN_FORCE:  # said once; the job keeps retrying quietly
        return Outcome(signal_id=int(row["id"]), status="received", note=NO_PLAN_IN_FORCE)
    logger.warning("signal %s received on %s at committee %s: no plan in force for this date; "
                   "it stays received until a pack covering the date is published",
                   row["id"], row["received_on"], receiver.code)  # fmt: skip
    await _mark(receiver, int(row["id"]), "received", None, NO_PLAN_IN_FORCE)
    return Outcome(signal_id=int(row["id"]), status="received", note=NO_PLAN_IN_FORCE)


async def _act(
    row: dict[str, Any],
    receiver: CommitteeNode,
    owner: CommitteeNode,
    cadre: dict[str, Any],
    decision: Decision,
    base: PublishedPack,
    residence: _AtResidence | None = None,
) -> Outcome:
    signal_id = int(row["id"])
    rule_ids = [f.id for f in decision.fired]
    paths = [owner.path, receiver.path] + ([residence.commune.path] if residence else [])
    # One transaction from "is there an open case?" to opening one (see open_case_about).
    async with tenant_scope(common_scope(*paths)):
        existing = await open_case_about(int(cadre["id"]), owner)
        if await _taken(signal_id):  # decided meanwhile (the job and intake may overlap)
            return Outcome(
                signal_id=signal_id, status="attached", case_id=await _case_of(signal_id)
            )
        if residence is not None:  # the duties stay at the residence; the case takes the rest
            await _record_at(residence, row, decision)
        if existing is not None:
            await attach_signal(existing, owner, signal_id, list(decision.findings),
                                rule_ids=rule_ids, pack_version=decision.pack_version)  # fmt: skip
            await _mark_rows(signal_id, "attached", existing, decision.pack_version)
            return Outcome(signal_id=signal_id, status="attached", case_id=existing,
                           pack_version=decision.pack_version)  # fmt: skip
        answer = next((c.working_days for c in decision.clocks if c.name == "answer"), None)
        indicator = next((f for f in decision.fired if f.kind == "indicator"), decision.fired[0])
        policy = case_policy(base.compiled(), str(cadre["managing_level"]), owner.level,
                             propose_delegation=decision.propose_delegation)  # fmt: skip
        view = await open_case(owner.id, OpenCase(
            owner=owner.code, origin=receiver.code, title=indicator.title_vi[:255],
            received_on=row["received_on"], cadre_id=int(cadre["id"]),
            subject_name=str(cadre["full_name"])[:255], priority=decision.priority or "normal",
            complex_case=bool(signal_facts(row).get("complex")),
            managing_level=str(cadre["managing_level"]), pack_version=decision.pack_version,
            fired_rules=[CaseRule(id=f.id, title=f.title_vi, title_en=f.title_en, kind=f.kind)
                         for f in decision.fired],
            signal_ids=[signal_id], findings=decision.findings, clock_days=answer,
        ), policy=policy)  # fmt: skip
        await _mark_rows(signal_id, "attached", view.id, decision.pack_version)
    return Outcome(signal_id=signal_id, status="attached", case_id=view.id,
                   pack_version=decision.pack_version, opened=True)  # fmt: skip


async def _taken(signal_id: int) -> bool:
    row = await Signal.select(Signal.status, Signal.case_id).where(Signal.id == signal_id).first()
    return row is None or row["status"] != "received" or row["case_id"] is not None


async def _case_of(signal_id: int) -> int | None:
    row = await Signal.select(Signal.case_id).where(Signal.id == signal_id).first()
    return int(row["case_id"]) if row is not None and row["case_id"] is not None else None


async def _mark_rows(signal_id: int, status: str, case_id: int | None, version: str) -> None:
    await Signal.update({Signal.status: status, Signal.case_id: case_id,
                         Signal.pack_version: version}).where(Signal.id == signal_id)  # fmt: skip


async def _mark(receiver: CommitteeNode, signal_id: int, status: str, case_id: int | None,
                version: str) -> None:  # fmt: skip
    async with tenant_scope(receiver.path):
        await _mark_rows(signal_id, status, case_id, version)


class Waiting(msgspec.Struct, frozen=True, kw_only=True):
    """Committed signals with a cadre still undecided (``count``; the commit time of the oldest)
    and, apart, those waiting for a pack that covers their receipt date (``no_plan``)."""

    count: int
    oldest: dt.datetime | None
    no_plan: int


async def waiting() -> Waiting:
    """How many committed signals wait for a decision (for ``/metrics``)."""
    no_plan = Signal.pack_version == NO_PLAN_IN_FORCE
    async with system_scope():
        row = (
            await Signal.select(Count(Signal.id, alias="n"), Min(Signal.created_at, alias="oldest"))
            .where(_UNDECIDED & (Signal.pack_version != NO_PLAN_IN_FORCE))
            .first()
        )
        parked = await Signal.count().where(_UNDECIDED & no_plan)
    oldest = row["oldest"] if row else None
    if isinstance(oldest, str):  # SQLite hands back text for an aggregate
        oldest = dt.datetime.fromisoformat(oldest)
    return Waiting(count=int(row["n"]) if row else 0, oldest=oldest, no_plan=int(parked))


async def decide_pending(limit: int = 10_000, *, batch: int = 500) -> int:
    """Decide signals still ``received`` with a cadre (after a crash or an engine error, or rows
    loaded in bulk without the intake hand-off); returns how many were looked at."""
    async with system_scope():
        rows = await (
            Signal.select(Signal.id)
            .where(_UNDECIDED)
            .order_by(Signal.received_on)
            .order_by(Signal.id)
            .limit(limit)
        )
    ids = [int(r["id"]) for r in rows]
    for start in range(0, len(ids), batch):
        await decide_signals(ids[start : start + batch])
    return len(ids)
