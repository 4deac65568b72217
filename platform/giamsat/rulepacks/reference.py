"""Pure-Python evaluator of the *compiled* durable_rules JSON.

It interprets exactly the JSON the engine receives, so the agreement property test checks
the compiler's output against durable_rules' behaviour, not two copies of our intent.
It is also the fast path (no lock, no C engine) for validation and simulation: the whole
ruleset's JSON conditions are turned into the source of one Python function once per compiled
ruleset (pack values enter it only as literals or bound constants, never as code), and a case
then costs one call of that function over its fact rows.
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

_OPS = {"$neq": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(left: Any, right: Any) -> bool:
    # Numbers compare by value (2 == 2.0); otherwise types must agree (True is not 1).
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


class _Source:
    """Python source for durable JSON conditions over a row ``r`` (``g`` is ``r.get``).

    Values from the pack never become code: texts, booleans and whole numbers are written with
    ``repr`` (always a valid literal), anything else (floats, sets of texts) is bound as a
    named constant of the generated function's namespace."""

    def __init__(self) -> None:
        self.consts: dict[str, Any] = {"_equal": _equal, "_COMPARE": COMPARE}

    def const(self, value: Any) -> str:
        name = f"_c{len(self.consts)}"
        self.consts[name] = value
        return name

    def literal(self, value: Any) -> str:
        if isinstance(value, str | bool) or type(value) is int:
            return repr(value)
        return self.const(value)

    def any_of(self, items: list[Any]) -> str | None:
        """Fast forms of the two ``$or`` shapes the compiler emits most: one field equal to
        one of several texts (``in [...]``), and any of several set-member flags (``has``)."""
        simple = [next(iter(i.items())) for i in items
                  if len(i) == 1 and not next(iter(i)).startswith("$")]  # fmt: skip
        if len(simple) != len(items):
            return None
        names = {name for name, _ in simple}
        if len(names) == 1 and all(isinstance(v, str) for _, v in simple):
            (name,) = names
            texts = self.const(frozenset(v for _, v in simple))
            return f"(g({name!r}) in {texts})"
        if all(v is True for _, v in simple):
            return "(" + " or ".join(f"g({name!r}) is True" for name, _ in simple) + ")"
        return None

    def equals(self, name: str, value: Any) -> str:
        if isinstance(value, bool):
            # True/False are singletons: identity also refuses 1 and 1.0, as the engine does.
            return f"(g({name!r}) is {value!r})"
        if isinstance(value, str):
            return f"(g({name!r}) == {value!r})"
        return f"({name!r} in r and _equal(r[{name!r}], {self.literal(value)}))"

    def condition(self, expr: dict[str, Any]) -> str:
        """One durable JSON condition as a Python expression (missing field → no match). A
        mapping with several keys requires all of them, as in the engine."""
        parts: list[str] = []
        for key, body in expr.items():
            fast = self.any_of(body) if key == "$or" else None
            if fast is not None:
                parts.append(fast)
            elif key in ("$and", "$or"):
                joiner = " and " if key == "$and" else " or "
                parts.append("(" + joiner.join(self.condition(item) for item in body) + ")")
            elif key in _OPS:
                ((name, value),) = body.items()
                test = f"_COMPARE[{_OPS[key]!r}]"
                parts.append(f"({name!r} in r and bool({test}(r[{name!r}], "
                             f"{self.literal(value)})))")  # fmt: skip
            else:
                parts.append(self.equals(key, body))
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"


FiredFunction = Callable[[list[Row]], set[str]]


def fired_function(ruleset: dict[str, Any]) -> FiredFunction:
    """One Python function testing every rule of a durable ruleset against a case's rows:
    ``rows → keys of the rules that match some row``. Generated once per ruleset, so a case
    costs one call instead of a closure call per rule, operator and row."""
    source = _Source()
    lines = ["def _fired(rows):", "    out = set()", "    add = out.add", "    for r in rows:",
             "        g = r.get"]  # fmt: skip
    for key, rule in ruleset.items():
        lines.append(f"        if {source.condition(rule['all'][0]['m'])}:")
        lines.append(f"            add({key!r})")
    lines.append("    return out")
    namespace = dict(source.consts)
    exec(compile("\n".join(lines), "<giamsat ruleset>", "exec"), namespace)  # noqa: S102
    fired: FiredFunction = namespace["_fired"]
    return fired


def matches(expr: dict[str, Any], row: Row) -> bool:
    """Evaluate one durable condition against one fact row (missing field → no match)."""
    return bool(fired_function({"x": {"all": [{"m": expr}]}})([row]))


_FIRED: dict[str, FiredFunction] = {}
_FIRED_LOCK = threading.Lock()
_FIRED_KEPT = 64


def ruleset_function(compiled: CompiledPack) -> FiredFunction:
    """The generated function of a compiled ruleset, built once per ruleset name (unique per
    version and set of additions, like the engine's own registration)."""
    found = _FIRED.get(compiled.ruleset_name)
    if found is None:
        found = fired_function(compiled.ruleset)
        with _FIRED_LOCK:
            if len(_FIRED) >= _FIRED_KEPT:
                _FIRED.clear()
            _FIRED[compiled.ruleset_name] = found
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
        return ruleset_function(compiled)(fact_rows(compiled, facts, sid="reference"))

    def evaluate(self, compiled: CompiledPack, facts: CaseFacts) -> Decision:
        return decide(compiled, facts, self.fired(compiled, facts))
