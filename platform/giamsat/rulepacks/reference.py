"""Pure-Python evaluator of the *compiled* durable_rules JSON.

It interprets exactly the JSON the engine receives, so the agreement property test checks
the compiler's output against durable_rules' behaviour, not two copies of our intent.
It is also the fast path (no lock, no C engine) for validation and simulation: each rule's
JSON condition is turned into a Python closure once per compiled ruleset, and a case then
costs one closure call per rule and fact row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from giamsat.rulepacks.compiler import CompiledPack, fact_rows
from giamsat.rulepacks.decide import decide
from giamsat.rulepacks.errors import FactsInvalid
from giamsat.rulepacks.facts import CaseFacts, Decision
from giamsat.rulepacks.rows import COMPARE

Row = dict[str, Any]
Matcher = Callable[[Row], bool]

_OPS = {"$neq": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}
_MISSING = object()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(left: Any, right: Any) -> bool:
    # Numbers compare by value (2 == 2.0); otherwise types must agree (True is not 1).
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


def _equals(name: str, value: Any) -> Matcher:
    if isinstance(value, bool):
        # True/False are singletons: identity also refuses 1 and 1.0, as the engine does.
        return lambda row: row.get(name, _MISSING) is value
    if isinstance(value, str):
        return lambda row: row.get(name, _MISSING) == value
    return lambda row: name in row and _equal(row[name], value)


def _ordered(op: str, name: str, value: Any) -> Matcher:
    test = COMPARE[_OPS[op]]
    return lambda row: name in row and bool(test(row[name], value))


def _any_of(items: list[Any]) -> Matcher | None:
    """Fast forms of the two ``$or`` shapes the compiler emits most: one field equal to one
    of several texts (``in [...]``), and any of several set-member flags (``has [...]``)."""
    simple = [
        next(iter(i.items())) for i in items if len(i) == 1 and not next(iter(i)).startswith("$")
    ]
    if len(simple) != len(items):
        return None
    names = {name for name, _ in simple}
    if len(names) == 1 and all(isinstance(v, str) for _, v in simple):
        (name,) = names
        texts = frozenset(v for _, v in simple)
        return lambda row: row.get(name, _MISSING) in texts
    if all(v is True for _, v in simple):
        flags = tuple(names)
        return lambda row: any(row.get(k, _MISSING) is True for k in flags)
    return None


def _all_of(items: tuple[Matcher, ...]) -> Matcher:
    return lambda row: all(m(row) for m in items)


def _one_of(items: tuple[Matcher, ...]) -> Matcher:
    return lambda row: any(m(row) for m in items)


def compile_condition(expr: dict[str, Any]) -> Matcher:
    """Turn one durable JSON condition into a predicate on a fact row (missing field → no
    match). A mapping with several keys requires all of them, as in the engine."""
    parts: list[Matcher] = []
    for key, body in expr.items():
        fast = _any_of(body) if key == "$or" else None
        if fast is not None:
            parts.append(fast)
        elif key in ("$and", "$or"):
            items = tuple(compile_condition(item) for item in body)
            parts.append(_all_of(items) if key == "$and" else _one_of(items))
        elif key in _OPS:
            ((name, value),) = body.items()
            parts.append(_ordered(key, name, value))
        else:
            parts.append(_equals(key, body))
    if len(parts) == 1:
        return parts[0]
    return _all_of(tuple(parts))


def matches(expr: dict[str, Any], row: Row) -> bool:
    """Evaluate one durable condition against one fact row (missing field → no match)."""
    return compile_condition(expr)(row)


_MATCHERS: dict[str, tuple[tuple[str, Matcher], ...]] = {}
_MATCHERS_LOCK = threading.Lock()
_MATCHERS_KEPT = 64


def rule_matchers(compiled: CompiledPack) -> tuple[tuple[str, Matcher], ...]:
    """The closures of a compiled ruleset, built once per ruleset name (unique per version
    and set of additions, like the engine's own registration)."""
    found = _MATCHERS.get(compiled.ruleset_name)
    if found is None:
        found = tuple(
            (key, compile_condition(rule["all"][0]["m"])) for key, rule in compiled.ruleset.items()
        )
        with _MATCHERS_LOCK:
            if len(_MATCHERS) >= _MATCHERS_KEPT:
                _MATCHERS.clear()
            _MATCHERS[compiled.ruleset_name] = found
    return found


def check_facts(facts: CaseFacts) -> None:
    """Reject facts an evaluation cannot be based on."""
    if not facts.signals:
        raise FactsInvalid(f"case {facts.case_id!r}: a case evaluation needs at least one signal")


class ReferenceEvaluator:
    """Evaluates a compiled pack in plain Python."""

    def fired(self, compiled: CompiledPack, facts: CaseFacts) -> set[str]:
        """Keys of the rules that match at least one fact row of the case."""
        check_facts(facts)
        rows = fact_rows(compiled, facts, sid="reference")
        if len(rows) == 1:
            (row,) = rows
            return {key for key, match in rule_matchers(compiled) if match(row)}
        return {key for key, match in rule_matchers(compiled) if any(map(match, rows))}

    def evaluate(self, compiled: CompiledPack, facts: CaseFacts) -> Decision:
        return decide(compiled, facts, self.fired(compiled, facts))
