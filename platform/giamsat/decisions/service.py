"""Deciding committed signals: a batch of ids → the pack in force → ``cases``.

A batch is decided as a set (:mod:`giamsat.decisions.batch`): the signals, their cadres and
every cadre's recent signals (the replay the pack counts in) are read in one query per table,
the pack in force comes from the process's :mod:`giamsat.plans.in_force`, every signal is
evaluated, and the decisions are written together in one transaction under per-cadre locks. A
decision that opens a case either extends the cadre's open case at the handling committee
(attached, findings added) or opens a new one recording the pack version, the rules that fired
(the reason shown to staff) and the :class:`~giamsat.cases.policy.CasePolicy` the pack gives
it. The signal then records its status (``evaluated`` / ``attached``), case and version.

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

import msgspec
from piccolo.query.functions.aggregate import Count, Min

from giamsat.db.scope import system_scope
from giamsat.decisions.batch import decide_set
from giamsat.decisions.outcome import NO_PLAN_IN_FORCE, Outcome, evaluator
from giamsat.decisions.outcome import count as _count
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext

__all__ = ["NO_PLAN_IN_FORCE", "Outcome", "decide_signal", "decide_signals", "evaluator"]

logger = logging.getLogger("giamsat.decisions")

#: A committed signal the pack can decide (it names a cadre) that is still undecided; those
#: received on a date no pack covers stay so, and are counted as waiting too.
_UNDECIDED = (Signal.status == "received") & Signal.case_id.is_null() & Signal.cadre.is_not_null()

#: What intake calls after its commit (tests hand in their own to prove nothing is lost).
AfterCommit = Callable[[TenantContext, list[int]], Awaitable[object]]


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
    """Decide the batch as a set (see :mod:`giamsat.decisions.batch`); one failure never blocks
    the others (a signal whose evaluation fails stays ``received``; when the batch's writes
    fail, each signal is decided again on its own)."""
    if not signal_ids:
        return []
    ids = list(signal_ids)
    try:
        return await decide_set(ids)
    except Exception as exc:
        if len(ids) == 1:
            _failed(ids[0], exc)
            return [Outcome(signal_id=ids[0], status="received", note="error")]
        logger.warning("deciding %s signals as a set failed (%s): deciding them one by one",
                       len(ids), type(exc).__name__)  # fmt: skip
    outcomes: list[Outcome] = []
    for signal_id in ids:
        try:
            outcomes += await decide_set([signal_id])
        except Exception as exc:
            _failed(signal_id, exc)
            outcomes.append(Outcome(signal_id=signal_id, status="received", note="error"))
    return outcomes


def _failed(signal_id: int, exc: Exception) -> None:
    _count("error")
    logger.debug("rule evaluation error", exc_info=exc)
    logger.warning("deciding signal %s failed: %s", signal_id, type(exc).__name__)


async def decide_signal(signal_id: int) -> Outcome:
    """Decide one signal (see the module docstring); errors propagate."""
    return (await decide_set([signal_id], raise_errors=True))[0]


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
