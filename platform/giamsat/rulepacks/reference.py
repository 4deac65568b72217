"""Pure-Python evaluator of the *compiled* durable_rules JSON.

It interprets exactly the JSON the engine receives, so the agreement property test checks
the compiler's output against durable_rules' behaviour, not two copies of our intent.
It is also the fast path (no lock, no C engine) for validation and simulation.
"""

from __future__ import annotations

from typing import Any

from giamsat.rulepacks.compiler import CompiledPack, compare, fact_rows
from giamsat.rulepacks.decide import decide
from giamsat.rulepacks.errors import FactsInvalid
from giamsat.rulepacks.facts import CaseFacts, Decision

_OPS = {"$neq": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


def matches(expr: dict[str, Any], row: dict[str, Any]) -> bool:
    """Evaluate one durable condition against one fact row (missing field → no match)."""
    for key, body in expr.items():
        if key == "$and":
            ok = all(matches(item, row) for item in body)
        elif key == "$or":
            ok = any(matches(item, row) for item in body)
        elif key in _OPS:
            ((name, value),) = body.items()
            ok = name in row and compare(row[name], _OPS[key], value)
        else:
            ok = key in row and _equal(row[key], body)
        if not ok:
            return False
    return True


def _equal(left: Any, right: Any) -> bool:
    # Numbers compare by value (2 == 2.0); otherwise types must agree (True is not 1).
    numeric = (int, float)
    if (
        isinstance(left, numeric)
        and isinstance(right, numeric)
        and not isinstance(left, bool)
        and not isinstance(right, bool)
    ):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


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
        return {
            key
            for key, rule in compiled.ruleset.items()
            if any(matches(rule["all"][0]["m"], row) for row in rows)
        }

    def evaluate(self, compiled: CompiledPack, facts: CaseFacts) -> Decision:
        return decide(compiled, facts, self.fired(compiled, facts))
