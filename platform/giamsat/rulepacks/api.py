"""The pure functions the platform calls: load, validate, compile, evaluate, diff."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from giamsat.rulepacks.compiler import CompiledPack, GuardedRules, fact_rows
from giamsat.rulepacks.compiler import compile_pack as _compile
from giamsat.rulepacks.conditions import parse_condition
from giamsat.rulepacks.durable_eval import DurableEvaluator
from giamsat.rulepacks.errors import PackError, PackInvalid
from giamsat.rulepacks.facts import CaseFacts, Decision
from giamsat.rulepacks.loader import field_types, read_pack
from giamsat.rulepacks.model import RulePack
from giamsat.rulepacks.reference import ReferenceEvaluator
from giamsat.rulepacks.trial import run_trial
from giamsat.web.i18n import N_

Evaluator = ReferenceEvaluator | DurableEvaluator


def load_pack(path: str | Path) -> RulePack:
    """Load a pack folder; raise :class:`PackInvalid` (all errors) if any check fails.

    Does not run the engine trial compile (see :func:`validate_pack`).
    """
    return read_pack(path).pack


def compile_pack(pack: RulePack, additions: Sequence[GuardedRules] = ()) -> CompiledPack:
    """Compile a loaded pack, with lower committees' additions as guarded rules, into one
    durable_rules ruleset (named per version and set of additions)."""
    fields = field_types(pack.indicators, pack.rules)
    parsed = {
        rule.id: parse_condition(rule.when, fields)
        for rule in (*pack.rules.indicator_rules, *pack.rules.routing_rules)
    }
    return _compile(pack, parsed, fields, tuple(additions))


def trial_additions(pack: RulePack, compiled: CompiledPack) -> list[str]:
    """Engine trial of a combined ruleset in a child process: it must register, and the
    pack's examples, replayed as if received inside each addition's subtree (so the guarded
    rules are live), must fire in durable_rules exactly what the reference evaluator fires."""
    reference = ReferenceEvaluator()
    cases: list[dict[str, Any]] = []
    expected: dict[str, set[str]] = {}
    for scope in compiled.scopes or ("",):
        for ex in pack.examples:
            facts = msgspec.structs.replace(ex.facts, committee_path=scope)
            case_id, sid = f"{ex.id}@{scope}", f"trial-{len(cases)}"
            cases.append({"id": case_id, "sid": sid, "rows": fact_rows(compiled, facts, sid)})
            expected[case_id] = reference.fired(compiled, facts)
    result = run_trial(compiled.ruleset_name, compiled.ruleset, cases)
    problems = [str(e["message"]) for e in result["errors"]]
    for case_id, wanted in expected.items():
        got = set(result["fired"].get(case_id, wanted if problems else []))
        if got != wanted:
            problems.append(f"example {case_id}: durable_rules fired {sorted(got)}, "
                            f"reference {sorted(wanted)}")  # fmt: skip
    return problems


def pack_warnings(path: str | Path) -> list[PackError]:
    """What a valid pack probably forgot to update from last year (never blocks publishing)."""
    from giamsat.rulepacks.checks import sanity_warnings

    try:
        loaded = read_pack(path)
    except PackInvalid:
        return []
    return sanity_warnings(loaded.pack, loaded.docs)


def validate_pack(path: str | Path) -> list[PackError]:
    """Every problem in the pack (empty when it may be published), including the engine
    trial compile in a subprocess, which also replays the examples through durable_rules
    and requires the same fired rules as the reference evaluator."""
    try:
        loaded = read_pack(path)
    except PackInvalid as exc:
        return exc.errors
    compiled = compile_pack(loaded.pack)
    reference = ReferenceEvaluator()
    cases: list[dict[str, Any]] = []
    expected: dict[str, set[str]] = {}
    for ex in loaded.pack.examples:
        sid = f"trial-{ex.id}"
        cases.append({"id": ex.id, "sid": sid, "rows": fact_rows(compiled, ex.facts, sid)})
        expected[ex.id] = reference.fired(compiled, ex.facts)
    result = run_trial(compiled.ruleset_name, compiled.ruleset, cases)
    rules_doc = loaded.docs["rules.yaml"]
    lines = _rule_lines(loaded.pack, rules_doc)
    errors = [
        PackError.worded(
            file=rules_doc.file,
            line=lines.get(str(e["rule"]), 1),
            rule_id=str(e["rule"] or "-"),
            message=N_("the rule engine refused this rule: %(detail)s"),
            detail=e["message"],
        )
        for e in result["errors"]
    ]
    ex_doc = loaded.docs["examples.yaml"]
    for i, ex in enumerate(loaded.pack.examples):
        got = set(result["fired"].get(ex.id, expected[ex.id] if errors else []))
        if got != expected[ex.id]:
            errors.append(
                ex_doc.error(
                    ("examples", i),
                    ex.id,
                    N_("durable_rules fired %(fired)s, reference %(expected)s"),
                    fired=sorted(got),
                    expected=sorted(expected[ex.id]),
                )
            )
    return errors


def _rule_lines(pack: RulePack, doc: object) -> dict[str, int]:
    from giamsat.rulepacks.yamlsrc import YamlDoc

    assert isinstance(doc, YamlDoc)
    lines = {
        r.id: doc.line(("indicator_rules", i)) for i, r in enumerate(pack.rules.indicator_rules)
    }
    lines |= {r.id: doc.line(("routing_rules", i)) for i, r in enumerate(pack.rules.routing_rules)}
    return lines


def evaluate(
    compiled: CompiledPack, facts: CaseFacts, evaluator: Evaluator | None = None
) -> Decision:
    """Decide one case (default: the reference evaluator; pass a DurableEvaluator to use
    the engine). Blocking: from async code use :class:`AsyncDurableEvaluator`."""
    return (evaluator or ReferenceEvaluator()).evaluate(compiled, facts)


class DecisionChange(msgspec.Struct, frozen=True, kw_only=True):
    """One field that differs between the active pack's decision and a candidate's."""

    field: str
    old: object
    new: object


def diff_decisions(old: Decision, new: Decision) -> list[DecisionChange]:
    """What would change for a case if ``new``'s pack replaced ``old``'s (for simulation)."""
    changes: list[DecisionChange] = []
    for name in Decision.__struct_fields__:
        if name == "pack_version":
            continue
        before, after = getattr(old, name), getattr(new, name)
        if name == "fired":
            before, after = [f.id for f in before], [f.id for f in after]
        elif name == "clocks":
            before = {c.name: c.working_days for c in before}
            after = {c.name: c.working_days for c in after}
        if before != after:
            changes.append(DecisionChange(field=name, old=before, new=after))
    return changes
