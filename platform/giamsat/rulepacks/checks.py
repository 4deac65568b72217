"""Reference checks of a decoded pack: every code, level, channel and clock it names must
exist, levels must form a tree (no forwarding cycle), ids must be unique, and its own
example cases must come out as expected."""

from __future__ import annotations

import msgspec

from giamsat.rulepacks.compiler import compile_pack
from giamsat.rulepacks.conditions import Expr, FieldType
from giamsat.rulepacks.errors import FactsInvalid, PackError
from giamsat.rulepacks.facts import Decision
from giamsat.rulepacks.loader import parse_rules
from giamsat.rulepacks.model import Example, RulePack
from giamsat.rulepacks.reference import ReferenceEvaluator
from giamsat.rulepacks.yamlsrc import YamlDoc
from giamsat.web.i18n import N_


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    dup: list[int] = []
    for i, ident in enumerate(ids):
        if ident in seen:
            dup.append(i)
        seen.add(ident)
    return dup


def _check_levels(pack: RulePack, doc: YamlDoc, errors: list[PackError]) -> None:
    parents = {lvl.code: lvl.parent for lvl in pack.rules.levels}
    for i, lvl in enumerate(pack.rules.levels):
        if lvl.parent is not None and lvl.parent not in parents:
            errors.append(
                doc.error(
                    ("levels", i, "parent"),
                    lvl.code,
                    N_("unknown committee level %(level)r"),
                    level=lvl.parent,
                )
            )
    reported: set[str] = set()
    for i, lvl in enumerate(pack.rules.levels):
        chain = [lvl.code]
        current = parents.get(lvl.code)
        while current is not None and current in parents:
            if current in chain:
                cycle = [*chain[chain.index(current) :], current]
                if not reported & set(cycle):
                    errors.append(
                        doc.error(
                            ("levels", i, "parent"),
                            lvl.code,
                            N_("routing cycle in level parents: %(cycle)s"),
                            cycle=" → ".join(cycle),
                        )
                    )
                    reported |= set(cycle)
                break
            chain.append(current)
            current = parents.get(current)


def _check_refs(pack: RulePack, docs: dict[str, YamlDoc], errors: list[PackError]) -> None:
    rules_doc, ind_doc = docs["rules.yaml"], docs["indicators.yaml"]
    codes = {ind.code for ind in pack.indicators}
    levels = {lvl.code for lvl in pack.rules.levels}
    clocks = {c.id for c in pack.rules.clocks}
    for i in _duplicates([ind.code for ind in pack.indicators]):
        errors.append(
            ind_doc.error(
                ("indicators", i),
                pack.indicators[i].code,
                N_("duplicate indicator code"),
            )
        )
    all_rules = [("indicator_rules", i, r) for i, r in enumerate(pack.rules.indicator_rules)]
    all_rules += [("routing_rules", i, r) for i, r in enumerate(pack.rules.routing_rules)]
    for j in _duplicates([r.id for _, _, r in all_rules]):
        section, i, rule = all_rules[j]
        errors.append(rules_doc.error((section, i, "id"), rule.id, N_("duplicate rule id")))
    for section, i, rule in all_rules:
        acts = rule.then
        for key, code in [("add_findings", c) for c in acts.add_findings] + [
            ("record_at_residence", c) for c in acts.record_at_residence
        ]:
            if code not in codes:
                errors.append(
                    rules_doc.error(
                        (section, i, "then", key),
                        rule.id,
                        N_("unknown indicator code %(code)r"),
                        code=code,
                    )
                )
        for name in acts.start_clocks:
            if name not in clocks:
                errors.append(
                    rules_doc.error(
                        (section, i, "then", "start_clocks"),
                        rule.id,
                        N_("unknown clock %(clock)r"),
                        clock=name,
                    )
                )
        if acts.route_to is not None and acts.route_to not in levels:
            errors.append(
                rules_doc.error(
                    (section, i, "then", "route_to"),
                    rule.id,
                    N_("unknown committee level %(level)r"),
                    level=acts.route_to,
                )
            )
        if section == "routing_rules" and acts.route_to is None:
            errors.append(
                rules_doc.error(
                    (section, i, "then"),
                    rule.id,
                    N_("a routing rule must name route_to"),
                )
            )
        if section == "indicator_rules" and acts.route_to is not None:
            errors.append(
                rules_doc.error(
                    (section, i, "then", "route_to"),
                    rule.id,
                    N_("route_to belongs in routing_rules"),
                )
            )
    rep = pack.rules.reporting
    for lvl in [*rep.from_levels, rep.to_level]:
        if lvl not in levels:
            errors.append(
                rules_doc.error(
                    ("reporting",),
                    "reporting",
                    N_("unknown committee level %(level)r"),
                    level=lvl,
                )
            )
    for i, clock in enumerate(pack.rules.clocks):
        if not 0 < clock.working_days <= clock.complex_working_days:
            errors.append(
                rules_doc.error(
                    ("clocks", i),
                    clock.id,
                    N_("need 0 < working_days <= complex_working_days"),
                )
            )


def _check_example_facts(
    pack: RulePack, doc: YamlDoc, i: int, ex: Example, errors: list[PackError]
) -> None:
    levels = {lvl.code for lvl in pack.rules.levels}
    codes = {ind.code for ind in pack.indicators}
    channels = set(pack.rules.channels)
    facts = ex.facts
    if facts.receiving_level not in levels:
        errors.append(
            doc.error(
                ("examples", i, "facts", "receiving_level"),
                ex.id,
                N_("unknown committee level %(level)r"),
                level=facts.receiving_level,
            )
        )
    for j, sig in enumerate(facts.signals):
        where = ("examples", i, "facts", "signals", j)
        if sig.receiving_level not in levels:
            errors.append(
                doc.error(
                    (*where, "receiving_level"),
                    ex.id,
                    N_("unknown committee level %(level)r"),
                    level=sig.receiving_level,
                )
            )
        if sig.channel not in channels:
            errors.append(
                doc.error(
                    (*where, "channel"),
                    ex.id,
                    N_("unknown channel %(channel)r"),
                    channel=sig.channel,
                )
            )
        for code in sig.indicators:
            if code not in codes:
                errors.append(
                    doc.error(
                        (*where, "indicators"),
                        ex.id,
                        N_("unknown indicator code %(code)r"),
                        code=code,
                    )
                )


def compare_expectation(ex: Example, got: Decision) -> list[str]:
    """Describe every way ``got`` differs from the example's expectation."""
    exp = ex.expect
    actual: dict[str, object] = {
        "open_case": got.open_case,
        "priority": got.priority,
        "findings": got.findings,
        "route_to_level": got.route_to_level,
        "forward_up": got.forward_up,
        "clocks": {c.name: c.working_days for c in got.clocks},
        "propose_delegation": got.propose_delegation,
        "fired": [f.id for f in got.fired],
        "residence_duties": got.residence_duties,
    }
    problems: list[str] = []
    for name, value in actual.items():
        wanted = getattr(exp, name)
        if wanted is None:
            continue
        if name in ("findings", "fired", "residence_duties"):
            wanted, value = sorted(wanted), sorted(value)  # type: ignore[call-overload]
        if wanted != value:
            problems.append(f"expected {name} {wanted!r}, got {value!r}")
    return problems


def check_pack(
    pack: RulePack, docs: dict[str, YamlDoc], fields: dict[str, FieldType], errors: list[PackError]
) -> dict[str, Expr]:
    """Run reference, cycle, condition and example checks; append to ``errors``."""
    _check_refs(pack, docs, errors)
    _check_levels(pack, docs["rules.yaml"], errors)
    parsed = parse_rules(pack, docs, fields, errors)
    ex_doc = docs["examples.yaml"]
    for i, ex in enumerate(pack.examples):
        _check_example_facts(pack, ex_doc, i, ex, errors)
    for j in _duplicates([ex.id for ex in pack.examples]):
        errors.append(
            ex_doc.error(
                ("examples", j, "id"),
                pack.examples[j].id,
                N_("duplicate example id"),
            )
        )
    if errors:
        return parsed
    compiled = compile_pack(pack, parsed, fields)
    evaluator = ReferenceEvaluator()
    for i, ex in enumerate(pack.examples):
        try:
            got = evaluator.evaluate(compiled, ex.facts)
        except FactsInvalid as exc:
            errors.append(ex_doc.error(("examples", i, "facts"), ex.id, str(exc)))
            continue
        for problem in compare_expectation(ex, got):
            errors.append(
                ex_doc.error(
                    ("examples", i, "expect"),
                    ex.id,
                    N_("failing example: %(problem)s"),
                    problem=problem,
                )
            )
    return parsed


def sanity_warnings(pack: RulePack, docs: dict[str, YamlDoc]) -> list[PackError]:
    """Things that pass validation yet are probably left over from last year's copy.

    A 2024 plan whose reporting deadline or worked examples are dated 2023 was copied and
    not fully edited: say so, without refusing it.
    """
    plan = pack.plan
    found: list[PackError] = []

    def warn(
        doc: YamlDoc, path: tuple[str | int, ...], rule_id: str, message: str, **params: object
    ) -> None:
        error = doc.error(path, rule_id, message, **params)
        found.append(msgspec.structs.replace(error, warning=True))

    if not plan.effective_from.year <= plan.year <= plan.effective_to.year:
        warn(
            docs["pack.yaml"],
            ("plan", "year"),
            "plan",
            N_("the plan year %(year)s lies outside its effective dates %(start)s to %(end)s"),
            year=plan.year,
            start=f"{plan.effective_from:%d/%m/%Y}",
            end=f"{plan.effective_to:%d/%m/%Y}",
        )
    deadline = pack.rules.reporting.deadline
    if deadline.year != plan.year:
        warn(
            docs["rules.yaml"],
            ("reporting", "deadline"),
            "reporting",
            N_("the reporting deadline %(deadline)s is not in the plan year %(year)s"),
            deadline=f"{deadline:%d/%m/%Y}",
            year=plan.year,
        )
    stale: dict[int, list[int]] = {}
    for i, ex in enumerate(pack.examples):
        dates = [ex.facts.as_of, *(s.received_on for s in ex.facts.signals)]
        for year in sorted({d.year for d in dates if d.year != plan.year}):
            stale.setdefault(year, []).append(i)
    for year, indexes in sorted(stale.items()):
        first = pack.examples[indexes[0]]
        warn(
            docs["examples.yaml"],
            ("examples", indexes[0], "facts"),
            first.id,
            N_("%(count)s example(s) are dated %(year)s, outside the plan year %(plan_year)s"),
            count=len(indexes),
            year=year,
            plan_year=plan.year,
        )
    return found
