"""Evaluation with durable_rules 2.0.28, driven through its C extension, within its limits.

``durable.engine`` wraps each fired rule in Python objects (a closure, a promise, the matched
message decoded from JSON, the state encoded back to JSON) before asking the engine for the next
one: of ~81 µs per case the C engine took ~12. Our rules' actions only name the rule that fired,
so :class:`Engine` makes the calls ``durable.engine.Ruleset`` makes, without the host:

* ``create_ruleset`` once per pack version (a ruleset cannot be unloaded: names are versioned);
* per case, under a fresh sid: ``assert_facts`` with the rows, then ``start_action_for_state``
  and ``complete_and_start_action`` until the engine has no queued action left, reading each
  fired rule's name from the head of the action's message; then ``delete_state``, so live sids
  never pile up toward the 1,024 limit.

``delete_state`` on a sid whose actions are still queued crashes the process. Here a sid is
deleted only after its queue is drained, one case at a time, and the drain is checked once more
before the delete even when the case failed half-way (:meth:`Engine.release`); rows of
another sid are refused.

One engine per process, every call behind one lock: the C engine is not documented
thread-safe. No host means no timer threads. ``MessageNotHandled`` (no rule matched) is no error.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import durable_rules_engine as engine
import msgspec

from giamsat.rulepacks.compiler import CompiledPack, fact_rows
from giamsat.rulepacks.decide import decide
from giamsat.rulepacks.facts import CaseFacts, Decision
from giamsat.rulepacks.reference import check_facts

#: ``assert_facts`` result codes (durable.engine.Ruleset._handle_result).
_HANDLED = 0
#: ``delete_state``'s error code for a sid that has no state.
_SID_NOT_FOUND = 309

_encode = msgspec.json.Encoder()


def _rule_name(message: str) -> str:
    """The fired rule: an action's message is ``{"<rule name>": {…matched row…}}``. Never
    raises (a started action must always be completed)."""
    end = message.find('"', 2)
    name = message[2:end]
    if end > 2 and message.startswith('{"') and "\\" not in name:
        return name
    try:  # an escaped name: decode the message properly
        return str(next(iter(json.loads(message))))
    except (ValueError, TypeError, StopIteration):
        return message


class Engine:
    """durable_rules' C engine for this process; not thread-safe: call under :data:`_LOCK`."""

    def __init__(self) -> None:
        self._handles: dict[str, int] = {}
        self._sids = itertools.count(1)

    def register(self, name: str, ruleset: dict[str, Any]) -> None:
        """Create ``ruleset`` under ``name`` once; the engine raises on a rule it rejects."""
        if name not in self._handles:
            self._handles[name] = engine.create_ruleset(name, json.dumps(ruleset))

    def registered(self, name: str) -> bool:
        return name in self._handles

    def next_sid(self) -> str:
        return f"c{next(self._sids)}"

    def handle(self, name: str) -> int:
        """The engine's handle of a registered ruleset (for the C calls themselves)."""
        return self._handles[name]

    def fired(self, name: str, rows: list[dict[str, Any]], sid: str) -> set[str]:
        """Assert one case's ``rows`` (all under ``sid``) and return the rules that fired."""
        if any(row.get("sid") != sid for row in rows):
            # several sids in one assert leave the others' actions queued: refuse it
            raise ValueError(f"every row of a case must carry its sid {sid!r}")
        handle = self._handles[name]
        names: set[str] = set()
        drained = False
        try:
            code, state = engine.assert_facts(handle, _encode.encode(rows).decode())
            if code == _HANDLED:
                started = engine.start_action_for_state(handle, state)
                if started:
                    names.add(_rule_name(started[1]))
                    _complete(handle, state, names)
                drained = True  # the state's queue ran dry: nothing is left for this sid
        finally:
            # a leftover action is not this case's decision; taking it keeps the delete safe
            self._delete(handle, sid, drained)
        return names

    def release(self, name: str, sid: str) -> int:
        """Delete ``sid``'s state, first taking every action still queued (deleting a sid with
        queued actions crashes the engine); return how many were left (0 after a whole case)."""
        return self._delete(self._handles[name], sid, drained=False)

    @staticmethod
    def _delete(handle: int, sid: str, drained: bool) -> int:
        left = 0 if drained else _drain(handle, set())
        try:
            engine.delete_state(handle, sid)
        except engine.error as exc:
            if not str(exc).endswith(f"error code: {_SID_NOT_FOUND}"):
                raise  # no state to delete (nothing was asserted) is fine; anything else is not
        return left


def _complete(handle: int, state: int, names: set[str]) -> int:
    """Complete the started action of ``state`` and every one queued after it; return how many
    were completed."""
    done, message = 1, engine.complete_and_start_action(handle, state)
    while message:
        names.add(_rule_name(message))
        done, message = done + 1, engine.complete_and_start_action(handle, state)
    return done


def _drain(handle: int, names: set[str]) -> int:
    """Take and complete every action still queued, so a sid can be deleted safely (after a
    whole case there is none; after a failure half-way there may be); return how many."""
    taken, started = 0, engine.start_action(handle)
    while started:
        names.add(_rule_name(started[1]))
        taken += _complete(handle, started[2], names)
        started = engine.start_action(handle)
    return taken


_LOCK = threading.Lock()
_ENGINE: Engine | None = None


def process_engine() -> Engine:
    """The process's engine (created on first use). Call under :data:`_LOCK`."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


class DurableEvaluator:
    """Evaluates a compiled pack through the process-wide durable_rules engine (blocking)."""

    def fired(self, compiled: CompiledPack, facts: CaseFacts) -> set[str]:
        check_facts(facts)
        with _LOCK:
            eng = process_engine()
            if not eng.registered(compiled.ruleset_name):
                eng.register(compiled.ruleset_name, compiled.ruleset)
            sid = eng.next_sid()
            return eng.fired(compiled.ruleset_name, fact_rows(compiled, facts, sid), sid)

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
