"""Typed rules → durable_rules JSON, plus the fact rows both evaluators consume.

Every signal of a case becomes one **fact row** (asserted, not posted: an event would be
consumed by the first rule that matches it, and every rule must see every signal). A row
flattens the subject, the signal, and the precomputed windowed counts, so each rule is a
single-fact match: ``{"all": [{"m": <expr>}]}``. Strings are NFC-normalised because the
engine compares bytes.
"""

from __future__ import annotations

import hashlib
import re
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
from giamsat.rulepacks.facts import CaseFacts, ClockDecision, FiredRule
from giamsat.rulepacks.model import Actions, Clock, Rule, RulePack
from giamsat.rulepacks.rows import (
    RowPlan,
    build_rows,
    compare,
    count_key,
    field_key,
    nfc,
    plan_rows,
    scope_key,
    set_key,
)

_DURABLE_OP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


@dataclass(frozen=True)
class CompiledRule:
    """One rule as compiled: ``key`` is its name inside the durable ruleset; ``scope`` is the
    path of the lower committee whose addition it belongs to (``None`` for the city's rules)."""

    key: str
    id: str
    kind: str
    title_vi: str
    title_en: str
    actions: Actions
    expr: Expr
    scope: str | None = None
    committee: str | None = None

    @property
    def view(self) -> FiredRule:
        return FiredRule(
            id=self.id,
            kind="routing" if self.kind == "routing" else "indicator",
            title_vi=self.title_vi,
            title_en=self.title_en,
        )


@dataclass(frozen=True)
class GuardedRules:
    """A lower committee's published addition (bổ sung của cấp dưới): extra indicator rules
    that only apply when the receiving committee lies in ``scope_path``'s subtree."""

    committee: str
    scope_path: str
    content_hash: str
    rules: tuple[Rule, ...]
    parsed: dict[str, Expr]


@dataclass(frozen=True)
class CompiledPack:
    """A pack ready to evaluate: the durable ruleset and what is needed to build rows.

    Everything that depends on the pack alone (row plan, fired-rule views, clock decisions,
    level depths) is computed here once, not per case."""

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
    scopes: tuple[str, ...] = ()
    base_version: str = ""
    row_plan: RowPlan = field(default_factory=lambda: plan_rows((), {}, (), ()))
    views: dict[str, FiredRule] = field(default_factory=dict)
    clock_decisions: dict[tuple[str, bool], ClockDecision] = field(default_factory=dict)
    level_depth: dict[str, int] = field(default_factory=dict)
    #: Decision outlines already assembled, by (fired keys, receiving level, complex case):
    #: derived, bounded, and safe to share (see :mod:`giamsat.rulepacks.decide`).
    decision_outlines: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


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


def additions_hash(additions: tuple[GuardedRules, ...] | list[GuardedRules]) -> str:
    """A digest of a set of additions (order-free): part of the combined version id."""
    digest = hashlib.sha256()
    for scope, content in sorted((a.scope_path, a.content_hash) for a in additions):
        digest.update(f"{scope}\0{content}\0".encode())
    return digest.hexdigest()


def ruleset_name(pack: RulePack, extra: str = "") -> str:
    """Unique per pack version (and set of additions): a durable ruleset can never be
    unloaded or replaced."""
    slug = re.sub(r"[^a-z0-9]+", "_", pack.plan.id.lower()).strip("_")
    suffix = f"_{extra[:12]}" if extra else ""
    return f"giamsat_{slug}_{pack.content_hash[:16]}{suffix}"


def _rules(
    pack: RulePack, parsed: dict[str, Expr], additions: tuple[GuardedRules, ...]
) -> list[CompiledRule]:
    rules: list[CompiledRule] = []
    for kind, source in (
        ("indicator", pack.rules.indicator_rules),
        ("routing", pack.rules.routing_rules),
    ):
        for rule in source:
            rules.append(
                CompiledRule(
                    rule.id, rule.id, kind, rule.title_vi, rule.title_en, rule.then, parsed[rule.id]
                )
            )
    for add in additions:
        for rule in add.rules:
            key = f"add_{add.committee}__{rule.id}"
            rules.append(CompiledRule(
                key, rule.id, "indicator", rule.title_vi, rule.title_en, rule.then,
                add.parsed[rule.id], scope=add.scope_path, committee=add.committee,
            ))  # fmt: skip
    return rules


def _durable_rule(rule: CompiledRule, keys: _Keys, scopes: tuple[str, ...]) -> dict[str, Any]:
    condition = to_durable(rule.expr, keys)
    if rule.scope is not None:
        # The guard is a precomputed boolean in the row: the receiving committee lies in the
        # adding committee's subtree. Siblings of the adder never satisfy it.
        condition = {"$and": [{scope_key(scopes.index(rule.scope)): True}, condition]}
    return {"all": [{"m": condition}]}


def _depths(level_parent: dict[str, str | None]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for level in level_parent:
        depth, parent = 0, level_parent.get(level)
        while parent is not None and depth <= len(level_parent):
            depth += 1
            parent = level_parent.get(parent)
        depths[level] = depth
    return depths


def compile_pack(
    pack: RulePack,
    parsed: dict[str, Expr],
    fields: dict[str, FieldType],
    additions: tuple[GuardedRules, ...] = (),
) -> CompiledPack:
    """Compile a validated pack, with the guarded rules of lower committees' additions, into
    one ruleset; ``parsed`` maps rule id → its parsed ``when``."""
    additions = tuple(sorted(additions, key=lambda a: (a.scope_path, a.content_hash)))
    rules = _rules(pack, parsed, additions)
    used_fields: set[str] = set()
    counts: list[Count] = []
    for rule in rules:
        rule_fields, rule_counts = referenced(rule.expr)
        used_fields |= rule_fields
        counts.extend(c for c in sorted(rule_counts, key=repr) if c not in counts)
    for count in counts:
        for atom in count.where:
            used_fields.add(atom.field)
    set_values = {
        name: tuple(sorted(ftype.allowed)) for name, ftype in fields.items() if ftype.kind == "set"
    }
    keys = _Keys(set_values, tuple(counts))
    scopes = tuple(sorted({a.scope_path for a in additions}))
    extra = additions_hash(additions) if additions else ""
    used_sets = {k: v for k, v in set_values.items() if k in used_fields}
    scalars = tuple(sorted(f for f in used_fields if fields[f].kind != "set"))
    level_parent = {lvl.code: lvl.parent for lvl in pack.rules.levels}
    return CompiledPack(
        version=f"{pack.version}+{extra[:12]}" if extra else pack.version,
        ruleset_name=ruleset_name(pack, extra),
        ruleset={r.key: _durable_rule(r, keys, scopes) for r in rules},
        rules=tuple(rules),
        counts=tuple(counts),
        set_values=used_sets,
        scalar_fields=scalars,
        level_parent=level_parent,
        clocks=tuple(pack.rules.clocks),
        indicator_order={ind.code: i for i, ind in enumerate(pack.indicators)},
        scopes=scopes,
        base_version=pack.version,
        row_plan=plan_rows(scalars, used_sets, tuple(counts), scopes),
        views={r.key: r.view for r in rules},
        clock_decisions={
            (c.id, complex_case): ClockDecision(
                name=c.id,
                title_vi=c.title_vi,
                on_overdue=c.on_overdue,
                working_days=c.complex_working_days if complex_case else c.working_days,
            )
            for c in pack.rules.clocks
            for complex_case in (False, True)
        },
        level_depth=_depths(level_parent),
    )


def fact_rows(compiled: CompiledPack, facts: CaseFacts, sid: str) -> list[dict[str, Any]]:
    """One fact row per signal, holding only the fields, counts and guards the rules use."""
    return build_rows(compiled.row_plan, facts, sid)


__all__ = [
    "CompiledPack",
    "CompiledRule",
    "GuardedRules",
    "compare",
    "compile_pack",
    "count_key",
    "fact_rows",
    "field_key",
    "nfc",
    "set_key",
    "to_durable",
]
