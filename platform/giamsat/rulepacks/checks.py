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
                    f"unknown committee level {lvl.parent!r}",
                    f"cấp {lvl.parent!r} không có trong danh sách cấp (levels)",
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
                            "routing cycle in level parents: " + " -> ".join(cycle),
                            "các cấp chuyển lên nhau thành vòng: " + " → ".join(cycle),
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
                "duplicate indicator code",
                "mã biểu hiện bị trùng",
            )
        )
    all_rules = [("indicator_rules", i, r) for i, r in enumerate(pack.rules.indicator_rules)]
    all_rules += [("routing_rules", i, r) for i, r in enumerate(pack.rules.routing_rules)]
    for j in _duplicates([r.id for _, _, r in all_rules]):
        section, i, rule = all_rules[j]
        errors.append(
            rules_doc.error((section, i, "id"), rule.id, "duplicate rule id", "mã quy tắc bị trùng")
        )
    for section, i, rule in all_rules:
        acts = rule.then
        for code in acts.add_findings:
            if code not in codes:
                errors.append(
                    rules_doc.error(
                        (section, i, "then", "add_findings"),
                        rule.id,
                        f"unknown indicator code {code!r}",
                        f"mã biểu hiện {code!r} không có trong danh mục",
                    )
                )
        for name in acts.start_clocks:
            if name not in clocks:
                errors.append(
                    rules_doc.error(
                        (section, i, "then", "start_clocks"),
                        rule.id,
                        f"unknown clock {name!r}",
                        f"thời hạn {name!r} không có trong danh sách thời hạn (clocks)",
                    )
                )
        if acts.route_to is not None and acts.route_to not in levels:
            errors.append(
                rules_doc.error(
                    (section, i, "then", "route_to"),
                    rule.id,
                    f"unknown committee level {acts.route_to!r}",
                    f"cấp {acts.route_to!r} không có trong danh sách cấp (levels)",
                )
            )
        if section == "routing_rules" and acts.route_to is None:
            errors.append(
                rules_doc.error(
                    (section, i, "then"),
                    rule.id,
                    "a routing rule must name route_to",
                    "quy tắc phân cấp phải ghi route_to (chuyển đến cấp nào)",
                )
            )
        if section == "indicator_rules" and acts.route_to is not None:
            errors.append(
                rules_doc.error(
                    (section, i, "then", "route_to"),
                    rule.id,
                    "route_to belongs in routing_rules",
                    "route_to chỉ dùng trong quy tắc phân cấp (routing_rules)",
                )
            )
    rep = pack.rules.reporting
    for lvl in [*rep.from_levels, rep.to_level]:
        if lvl not in levels:
            errors.append(
                rules_doc.error(
                    ("reporting",),
                    "reporting",
                    f"unknown committee level {lvl!r}",
                    f"cấp {lvl!r} không có trong danh sách cấp (levels)",
                )
            )
    for i, clock in enumerate(pack.rules.clocks):
        if not 0 < clock.working_days <= clock.complex_working_days:
            errors.append(
                rules_doc.error(
                    ("clocks", i),
                    clock.id,
                    "need 0 < working_days <= complex_working_days",
                    "số ngày làm việc phải lớn hơn 0 và không quá số ngày cho vụ việc phức tạp",
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
                f"unknown committee level {facts.receiving_level!r}",
                f"cấp {facts.receiving_level!r} không có trong danh sách cấp (levels)",
            )
        )
    for j, sig in enumerate(facts.signals):
        where = ("examples", i, "facts", "signals", j)
        if sig.receiving_level not in levels:
            errors.append(
                doc.error(
                    (*where, "receiving_level"),
                    ex.id,
                    f"unknown committee level {sig.receiving_level!r}",
                    f"cấp {sig.receiving_level!r} không có trong danh sách cấp (levels)",
                )
            )
        if sig.channel not in channels:
            errors.append(
                doc.error(
                    (*where, "channel"),
                    ex.id,
                    f"unknown channel {sig.channel!r}",
                    f"kênh {sig.channel!r} không có trong danh sách kênh (channels)",
                )
            )
        for code in sig.indicators:
            if code not in codes:
                errors.append(
                    doc.error(
                        (*where, "indicators"),
                        ex.id,
                        f"unknown indicator code {code!r}",
                        f"mã biểu hiện {code!r} không có trong danh mục",
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
    }
    problems: list[str] = []
    for name, value in actual.items():
        wanted = getattr(exp, name)
        if wanted is None:
            continue
        if name in ("findings", "fired"):
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
                "duplicate example id",
                "mã ví dụ bị trùng",
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
                    f"failing example: {problem}",
                    "ví dụ không cho kết quả như đã ghi: "
                    + problem.replace("expected ", "cần ").replace(", got ", ", được "),
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

    def warn(doc: YamlDoc, path: tuple[str | int, ...], rule_id: str, en: str, vi: str) -> None:
        found.append(msgspec.structs.replace(doc.error(path, rule_id, en, vi), warning=True))

    if not plan.effective_from.year <= plan.year <= plan.effective_to.year:
        warn(
            docs["pack.yaml"],
            ("plan", "year"),
            "plan",
            f"the plan year {plan.year} lies outside its effective dates "
            f"{plan.effective_from} to {plan.effective_to}",
            f"năm của kế hoạch ({plan.year}) nằm ngoài thời gian hiệu lực "
            f"{plan.effective_from:%d/%m/%Y} – {plan.effective_to:%d/%m/%Y}",
        )
    deadline = pack.rules.reporting.deadline
    if deadline.year != plan.year:
        warn(
            docs["rules.yaml"],
            ("reporting", "deadline"),
            "reporting",
            f"the reporting deadline {deadline} is not in the plan year {plan.year}",
            f"hạn báo cáo {deadline:%d/%m/%Y} không thuộc năm của kế hoạch ({plan.year})",
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
            f"{len(indexes)} example(s) are dated {year}, outside the plan year {plan.year}",
            f"{len(indexes)} ví dụ ghi ngày của năm {year}, ngoài năm của kế hoạch ({plan.year})",
        )
    return found
