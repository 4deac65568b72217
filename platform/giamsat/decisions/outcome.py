"""What deciding a signal gives back, and the process's evaluator (shared by the service and
the set-based batch)."""

from __future__ import annotations

import msgspec

from giamsat.rulepacks import AsyncDurableEvaluator

_EVALUATOR: AsyncDurableEvaluator | None = None


def evaluator() -> AsyncDurableEvaluator:
    """The one durable_rules evaluator of this process (one host, one worker thread)."""
    global _EVALUATOR
    if _EVALUATOR is None:
        _EVALUATOR = AsyncDurableEvaluator()
    return _EVALUATOR


def count(outcome: str, n: int = 1) -> None:
    from giamsat.observability.metrics import RULE_EVALUATIONS

    if n:
        RULE_EVALUATIONS.labels(engine="durable_rules", outcome=outcome).inc(n)


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
