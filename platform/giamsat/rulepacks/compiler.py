"""Typed rules → durable_rules JSON, plus the fact rows both evaluators consume.

Every signal of a case becomes one **fact row** (asserted, not posted: an event would be
consumed by the first rule that matches it, and every rule must see every signal). A row
flattens the subject, the signal, and the precomputed windowed counts, so each rule is a
single-fact match: ``{"all": [{"m": <expr>}]}``. Strings are NFC-normalised because the
engine compares bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from giamsat.rulepacks.conditions import (
    AllOf,
    AnyOf,
    Cmp,
    Count,
    Expr,
    FieldType,
    Has,
    In,
    Value,
    referenced,
)
from giamsat.rulepacks.facts import CaseFacts, Signal
from giamsat.rulepacks.model import Actions, Clock, RulePack

_DURABLE_OP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


@dataclass(frozen=True)
class CompiledRule:
    """One rule as compiled: ``key`` is its name inside the durable ruleset."""

    key: str
    id: str
    kind: str
    title_vi: str
    title_en: str
    actions: Actions
    expr: Expr


@dataclass(frozen=True)
class CompiledPack:
    """A pack ready to evaluate: the durable ruleset and what is needed to build rows."""

    version: str
    ruleset_name: str
    ruleset: dict[str, Any]
    rules: tuple[CompiledRule, ...]
    counts: tuple[Count, ...]
    set_values: dict[str, tuple[str, ...]]
    scalar_fields: tuple[str, ...]
    level_parent: dict[str, str | None]
    clocks: tuple[Clock, ...]
    indicator_order: dict[str, int] = field(default_factory=dict)


def nfc(text: str) -> str:
    """NFC-normalise: an NFD "Phường" would match neither equality nor patterns."""
    return unicodedata.normalize("NFC", text)


def field_key(name: str) -> str:
    """Row key of a scalar field (``signal.channel`` → ``signal__channel``)."""
    return name.replace(".", "__")


def set_key(name: str, index: int) -> str:
    """Row key of one member of a set field (indices keep codes like ``DD-CV`` safe)."""
    return f"{field_key(name)}__{index}"


def count_key(index: int) -> str:
    return f"count__{index}"


def _norm(value: Value) -> Value:
    return nfc(value) if isinstance(value, str) else value


def to_durable(expr: Expr, pack: CompiledPack | _Keys) -> dict[str, Any]:
    """Translate an expression to durable_rules' JSON condition syntax."""
    if isinstance(expr, AnyOf | AllOf):
        op = "$or" if isinstance(expr, AnyOf) else "$and"
        return {op: [to_durable(item, pack) for item in expr.items]}
    if isinstance(expr, Cmp):
        key = field_key(expr.field)
        if expr.op == "==":
            return {key: _norm(expr.value)}
        return {_DURABLE_OP[expr.op]: {key: _norm(expr.value)}}
    if isinstance(expr, In):
        key = field_key(expr.field)
        if expr.negate:
            return {"$and": [{"$neq": {key: _norm(v)}} for v in expr.values]}
        return {"$or": [{key: _norm(v)} for v in expr.values]}
    if isinstance(expr, Has):
        members = pack.set_values[expr.field]
        return {"$or": [{set_key(expr.field, members.index(v)): True} for v in expr.values]}
    index = pack.counts.index(expr)
    if expr.op == "==":
        return {count_key(index): expr.value}
    return {_DURABLE_OP[expr.op]: {count_key(index): expr.value}}


@dataclass(frozen=True)
class _Keys:
    set_values: dict[str, tuple[str, ...]]
    counts: tuple[Count, ...]


def ruleset_name(pack: RulePack) -> str:
    """Unique per pack version: a durable ruleset can never be unloaded or replaced."""
    slug = re.sub(r"[^a-z0-9]+", "_", pack.plan.id.lower()).strip("_")
    return f"giamsat_{slug}_{pack.content_hash[:16]}"


def compile_pack(
    pack: RulePack, parsed: dict[str, Expr], fields: dict[str, FieldType]
) -> CompiledPack:
    """Compile a validated pack; ``parsed`` maps rule id → its parsed ``when``."""
    rules: list[CompiledRule] = []
    used_fields: set[str] = set()
    counts: list[Count] = []
    for kind, source in (
        ("indicator", pack.rules.indicator_rules),
        ("routing", pack.rules.routing_rules),
    ):
        for rule in source:
            expr = parsed[rule.id]
            rule_fields, rule_counts = referenced(expr)
            used_fields |= rule_fields
            counts.extend(c for c in sorted(rule_counts, key=repr) if c not in counts)
            rules.append(
                CompiledRule(rule.id, rule.id, kind, rule.title_vi, rule.title_en, rule.then, expr)
            )
    for count in counts:
        for atom in count.where:
            used_fields.add(atom.field)
    set_values = {
        name: tuple(sorted(ftype.allowed)) for name, ftype in fields.items() if ftype.kind == "set"
    }
    keys = _Keys(set_values, tuple(counts))
    ruleset = {r.key: {"all": [{"m": to_durable(r.expr, keys)}]} for r in rules}
    return CompiledPack(
        version=pack.version,
        ruleset_name=ruleset_name(pack),
        ruleset=ruleset,
        rules=tuple(rules),
        counts=tuple(counts),
        set_values={k: v for k, v in set_values.items() if k in used_fields},
        scalar_fields=tuple(sorted(f for f in used_fields if fields[f].kind != "set")),
        level_parent={lvl.code: lvl.parent for lvl in pack.rules.levels},
        clocks=tuple(pack.rules.clocks),
        indicator_order={ind.code: i for i, ind in enumerate(pack.indicators)},
    )


def _signal_value(facts: CaseFacts, signal: Signal, name: str) -> Any:
    scope, _, attr = name.partition(".")
    source: Any = {"subject": facts.subject, "signal": signal, "case": facts}[scope]
    value = getattr(source, attr)
    return nfc(value) if isinstance(value, str) else value


def _atom_holds(atom: Cmp | In | Has, facts: CaseFacts, signal: Signal) -> bool:
    value = _signal_value(facts, signal, atom.field)
    if isinstance(atom, Has):
        return any(nfc(v) in {nfc(x) for x in value} for v in atom.values)
    if isinstance(atom, In):
        found = value in {_norm(v) for v in atom.values}
        return not found if atom.negate else found
    return compare(value, atom.op, _norm(atom.value))


def compare(left: Any, op: str, right: Any) -> bool:
    """The six comparison operators, shared by counts and the reference evaluator."""
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def count_signals(count: Count, facts: CaseFacts) -> int:
    """How many of the case's signals satisfy ``count`` inside its window."""
    total = 0
    for signal in facts.signals:
        if count.within_days is not None:
            earliest = facts.as_of - dt.timedelta(days=count.within_days)
            if not earliest < signal.received_on <= facts.as_of:
                continue
        if all(_atom_holds(atom, facts, signal) for atom in count.where):
            total += 1
    return total


def fact_rows(compiled: CompiledPack, facts: CaseFacts, sid: str) -> list[dict[str, Any]]:
    """One fact row per signal, holding only the fields the pack's rules use."""
    counts = {count_key(i): count_signals(c, facts) for i, c in enumerate(compiled.counts)}
    rows: list[dict[str, Any]] = []
    for index, signal in enumerate(facts.signals):
        row: dict[str, Any] = {"sid": sid, "id": f"row{index}", **counts}
        for name in compiled.scalar_fields:
            row[field_key(name)] = _signal_value(facts, signal, name)
        for name, members in compiled.set_values.items():
            present = {nfc(v) for v in _signal_value(facts, signal, name)}
            for i, member in enumerate(members):
                row[set_key(name, i)] = nfc(member) in present
        rows.append(row)
    return rows
