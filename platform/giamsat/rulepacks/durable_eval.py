"""Evaluation with durable_rules 2.0.28, respecting its measured limits.

* One host per process, created lazily, every call behind one lock: the C engine is not
  documented thread-safe. The host's own timer threads are not started (we use no engine
  timers, and they would call into the engine outside the lock).
* Per case: a fresh sid → assert the fact rows → collect fired rules → ``delete_state``,
  so live sids never pile up toward the 1,024 limit.
* A ruleset cannot be unloaded: it is registered once under its versioned name.
* An exception inside an action is swallowed into the state by the engine: we check the
  state and raise :class:`RuleEngineError`.
* ``MessageNotHandledException`` only means no rule matched: it is not an error.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from durable import engine

from giamsat.rulepacks.compiler import CompiledPack, fact_rows
from giamsat.rulepacks.decide import decide
from giamsat.rulepacks.errors import RuleEngineError
from giamsat.rulepacks.facts import CaseFacts, Decision
from giamsat.rulepacks.reference import check_facts


class _Host(engine.Host):  # type: ignore[misc]
    """A host whose actions record the fired rule name for the current sid."""

    def __init__(self) -> None:
        self.fired: list[tuple[str, str]] = []
        super().__init__()

    def _run(self) -> None:
        """Start no dispatch/timer threads (see module docstring)."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        def record(closure: Any) -> None:
            self.fired.append((str(closure.m["sid"]), action_name))

        return record


_LOCK = threading.Lock()
_HOST: _Host | None = None
_REGISTERED: set[str] = set()


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    return _HOST


def register(host: Any, compiled: CompiledPack) -> None:
    """Register a compiled ruleset on ``host`` (each rule's action is its own name)."""
    definition = {key: {**rule, "run": key} for key, rule in compiled.ruleset.items()}
    host.set_rulesets({compiled.ruleset_name: definition})


def run_case(host: _Host, ruleset: str, rows: list[dict[str, Any]], sid: str) -> set[str]:
    """Assert ``rows`` under ``sid``, return fired rule names, always delete the state."""
    host.fired.clear()
    try:
        try:
            state = host.assert_facts(ruleset, rows)
        except engine.MessageNotHandledException:
            state = None
        if isinstance(state, dict) and "exception" in state:
            raise RuleEngineError(f"an action failed inside durable_rules: {state['exception']}")
        return {name for fired_sid, name in host.fired if fired_sid == sid}
    finally:
        host.delete_state(ruleset, sid)
        host.fired.clear()


class DurableEvaluator:
    """Evaluates a compiled pack through the process-wide durable_rules host (blocking)."""

    def fired(self, compiled: CompiledPack, facts: CaseFacts) -> set[str]:
        check_facts(facts)
        sid = uuid.uuid4().hex
        rows = fact_rows(compiled, facts, sid)
        with _LOCK:
            host = _host()
            if compiled.ruleset_name not in _REGISTERED:
                register(host, compiled)
                _REGISTERED.add(compiled.ruleset_name)
            return run_case(host, compiled.ruleset_name, rows, sid)

    def evaluate(self, compiled: CompiledPack, facts: CaseFacts) -> Decision:
        return decide(compiled, facts, self.fired(compiled, facts))


class AsyncDurableEvaluator:
    """Runs :class:`DurableEvaluator` on one dedicated worker thread, off the event loop."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="durable-rules")
        self._inner = DurableEvaluator()

    async def evaluate(self, compiled: CompiledPack, facts: CaseFacts) -> Decision:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._inner.evaluate, compiled, facts)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
