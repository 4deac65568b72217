"""Published yearly plans: storing rule packs, choosing the active one, and evaluating signals.

``service`` publishes (validate → store with audit, all or nothing) and looks packs up by
committee and date; ``pipeline`` evaluates committed signals and opens or extends cases;
``simulation`` replays existing signals through a candidate pack. Call :func:`install` once
per process (the web app, the CLI and the tests do) to hook the pipeline into intake.
"""

from __future__ import annotations


def install() -> None:
    """Register the evaluation handler in ``giamsat.signals.pipeline`` and the pack's case
    policies in ``giamsat.cases.policy`` (idempotent)."""
    from giamsat.plans import case_policies
    from giamsat.plans.pipeline import evaluate_signals
    from giamsat.signals.pipeline import SIGNAL_HANDLERS

    if evaluate_signals not in SIGNAL_HANDLERS:
        SIGNAL_HANDLERS.append(evaluate_signals)
    case_policies.install()
