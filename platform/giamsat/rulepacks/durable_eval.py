"""Evaluation with durable_rules 2.0.28, driven through its C extension, within its limits.

``durable.engine`` wraps each fired rule in Python objects (a closure, a promise, the matched
message decoded from JSON, the state encoded back to JSON) before asking the engine for the next
one: of ~81 µs per case the C engine took ~12. Our rules' actions only name the rule that fired,
so :class:`Engine` makes the calls ``durable.engine.Ruleset`` makes, without the host:

* ``create_ruleset`` once per pack version (a ruleset cannot be unloaded: names are versioned);
* per case, under a fresh sid: ``assert_facts`` with the rows (one JSON text, encoded by
  msgspec), then ``start_action_for_state`` and ``complete_and_start_action`` until the engine
  has no queued action left, reading each fired rule's name from the head of the action's
  message (never decoding it); then ``delete_state``, so live sids never pile up toward the
  1,024 limit.

Actions are batched: every rule is registered with a ``cap``, so the engine hands all of a
rule's matches in a case (one per matching row) to a single action instead of one action per
row – a case costs one round trip per rule that fired, not per matching row.

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
#: Matches of one rule handed to one action (a case has a handful of rows, so all of them).
ACTION_CAP = 1000

_assert_facts = engine.assert_facts
_start_action_for_state = engine.start_action_for_state
_complete_and_start_action = engine.complete_and_start_action

_encode = msgspec.json.Encoder().encode


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
        self._keys: dict[int, frozenset[str]] = {}
        self._sids = itertools.count(1)

    def register(self, name: str, ruleset: dict[str, Any]) -> None:
        """Create ``ruleset`` under ``name`` once, each rule capped so that its matches come in
        one action; the engine raises on a rule it rejects."""
        if name not in self._handles:
            capped = {key: {**rule, "cap": ACTION_CAP} for key, rule in ruleset.items()}
            handle = engine.create_ruleset(name, json.dumps(capped))
            self._handles[name] = handle
            self._keys[handle] = frozenset(ruleset)

    def registered(self, name: str) -> bool:
        return name in self._handles

    def next_sid(self) -> str:
        return f"c{next(self._sids)}"

    def handle(self, name: str) -> int:
        """The engine's handle of a registered ruleset (for the C calls themselves)."""
        return self._handles[name]

    def fired(self, name: str, rows: list[dict[str, Any]], sid: str) -> set[str]:
        """Assert one case's ``rows`` (all under ``sid``) and return the rules that fired."""
        for row in rows:
            if row.get("sid") != sid:
                # several sids in one assert leave the others' actions queued: refuse it
                raise ValueError(f"every row of a case must carry its sid {sid!r}")
        return self.fired_own(self._handles[name], rows, sid)

    def fired_own(self, handle: int, rows: list[dict[str, Any]], sid: str) -> set[str]:
        """:meth:`fired` for rows this module built itself (every row carries ``sid``)."""
        keys = self._keys[handle]
        names: set[str] = set()
        drained = False
        try:
            code, state = _assert_facts(handle, _encode(rows).decode())
            if code == _HANDLED:
                started = _start_action_for_state(handle, state)
                message = started[1] if started else None
                while message:
                    # the fired rule is the message's first key: ``{"<rule key>": …}``
                    name = message[2 : message.find('"', 2)]
                    names.add(name if name in keys else _rule_name(message))
                    message = _complete_and_start_action(handle, state)
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
        name = compiled.ruleset_name
        with _LOCK:
            eng = _ENGINE or process_engine()
            handle = eng._handles.get(name)
            if handle is None:
                eng.register(name, compiled.ruleset)
                handle = eng.handle(name)
            sid = eng.next_sid()
            return eng.fired_own(handle, fact_rows(compiled, facts, sid), sid)

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

    async def evaluate_each(
        self, work: list[tuple[CompiledPack, CaseFacts]]
    ) -> list[Decision | Exception]:
        """Evaluate many cases in one hand-off to the worker thread; a case that fails gives
        its exception in its place (the others are still decided)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._each, work)

    def _each(self, work: list[tuple[CompiledPack, CaseFacts]]) -> list[Decision | Exception]:
        out: list[Decision | Exception] = []
        for compiled, facts in work:
            try:
                out.append(self._inner.evaluate(compiled, facts))
            except Exception as exc:
                out.append(exc)
        return out

    def close(self) -> None:
        self._pool.shutdown(wait=True)
