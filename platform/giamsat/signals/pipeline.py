"""What happens after signals are committed: the hand-off to the rule engine.

``SIGNAL_HANDLERS`` is empty by default; the rule-pack integration appends its async handler
(``async def handler(ctx, signal_ids) -> None``). Handlers run after the commit, so a failing
handler can never lose a signal: the signal simply stays ``received`` for a later sweep. Failures
are logged by signal id and exception type only, never with the signal's content or its reporter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from giamsat.tenancy.context import TenantContext

SignalHandler = Callable[[TenantContext, list[int]], Awaitable[None]]

#: Async handlers called, in order, with every batch of newly committed signal ids.
SIGNAL_HANDLERS: list[SignalHandler] = []

logger = logging.getLogger("giamsat.signals.pipeline")


async def on_signals_committed(ctx: TenantContext, signal_ids: list[int]) -> None:
    """Call every registered handler; a handler's failure is logged and the rest still run."""
    if not signal_ids:
        return
    for handler in list(SIGNAL_HANDLERS):
        try:
            await handler(ctx, list(signal_ids))
        except Exception as exc:
            logger.warning(
                "signal handler %s failed for committee %s, signals %s: %s",
                getattr(handler, "__qualname__", repr(handler)),
                ctx.committee_code,
                signal_ids,
                type(exc).__name__,
            )
