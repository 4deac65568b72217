"""A lower committee's additions to the pack in force (quy định bổ sung của cấp dưới).

The city's pack applies to its whole subtree; a district or commune may **add** indicator
rules for its own subtree but never weaken the city's. An addition is one YAML file::

    addition:
      id: ba-dinh-2022-bo-sung
      title_vi: Bổ sung của quận Ba Đình
      title_en: Ba Đình's additions
    indicator_rules:
      - id: ba-dinh-waste
        title_vi: …
        title_en: …
        when: signal.indicators has DD8
        then: {open_case: normal, add_findings: [DD8], start_clocks: [answer]}

Its rules may use the parent pack's indicators, channels, levels and clocks, and the same
verbs as the city's indicator rules except ``route_to``. Refused, with the file and line:
any other section (routing rules, clocks, levels, channels, indicators, reporting, anything
that removes, disables or overrides), a rule id that the city's pack or an ancestor's
addition already uses, and routing. Priorities combine by maximum, so an added rule can
raise a case's priority but never lower the one the city's rules set.

Accepted additions are compiled into the pack version's one ruleset as guarded rules
(see :class:`giamsat.rulepacks.compiler.GuardedRules`), never into a ruleset of their own.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from giamsat.rulepacks.compiler import GuardedRules
from giamsat.rulepacks.conditions import ConditionError, parse_condition
from giamsat.rulepacks.errors import PackError
from giamsat.rulepacks.loader import decode_part, field_types
from giamsat.rulepacks.model import Rule, RulePack
from giamsat.rulepacks.yamlsrc import YamlDoc, parse_yaml

_CITY = "belongs to the parent pack"
REFUSED_SECTIONS = {
    "routing_rules": f"routing {_CITY}: an addition may not route or re-route cases",
    "clocks": f"clocks {_CITY}: an addition may not define or change deadlines",
    "levels": f"committee levels {_CITY}: an addition may not change them",
    "channels": f"channels {_CITY}: an addition may not change them",
    "indicators": f"the indicator catalogue {_CITY}: an addition may not change it",
    "reporting": f"reporting {_CITY}: an addition may not change what rolls up or when",
    "plan": f"the plan {_CITY}: an addition may not change it",
    "examples": "examples belong to the parent pack",
}
_WEAKENING_WORDS = ("remove", "disable", "override", "replace", "delete", "exempt", "skip")


class AdditionHeader(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who adds what: the addition's id and titles (shown beside its rules)."""

    id: str
    title_vi: str
    title_en: str = ""


class Addition(msgspec.Struct, frozen=True, kw_only=True):
    """A checked addition: its header, its extra indicator rules and its content hash."""

    header: AdditionHeader
    rules: list[Rule]
    content_hash: str


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _section_error(doc: YamlDoc, key: str, value: Any, base: RulePack) -> PackError:
    if key == "clocks" and isinstance(value, list):
        city = {c.id: c for c in base.rules.clocks}
        for i, item in enumerate(value):
            if not isinstance(item, dict) or item.get("id") not in city:
                continue
            days, mine = city[item["id"]].working_days, item.get("working_days")
            if isinstance(mine, int) and mine < days:
                return doc.error(
                    ("clocks", i, "working_days"),
                    str(item["id"]),
                    f"would shorten the parent pack's clock {item['id']!r} from {days} to "
                    f"{mine} working days: {REFUSED_SECTIONS['clocks']}",
                )
    if key in REFUSED_SECTIONS:
        return doc.error((key,), key, REFUSED_SECTIONS[key])
    if any(word in key.lower() for word in _WEAKENING_WORDS):
        return doc.error(
            (key,),
            key,
            "an addition may only add rules: it may not remove, disable or "
            "override the parent pack's rules",
        )
    return doc.error(
        (key,), key, "unknown section: an addition holds 'addition' and 'indicator_rules' only"
    )


def _check_rule(
    doc: YamlDoc, i: int, rule: Rule, base: RulePack, inherited: dict[str, str]
) -> list[PackError]:
    where: tuple[str | int, ...] = ("indicator_rules", i)
    errors: list[PackError] = []
    if rule.id in inherited:
        errors.append(
            doc.error(
                (*where, "id"),
                rule.id,
                f"rule id {rule.id!r} is already used by {inherited[rule.id]}: an "
                "addition may only add rules, never override or replace one",
            )
        )
    acts = rule.then
    if acts.route_to is not None:
        errors.append(
            doc.error(
                (*where, "then", "route_to"),
                rule.id,
                f"route_to: routing {_CITY}; an addition may not route cases",
            )
        )
    codes = {ind.code for ind in base.indicators}
    for key, code in [("add_findings", c) for c in acts.add_findings] + [
        ("record_at_residence", c) for c in acts.record_at_residence
    ]:
        if code not in codes:
            errors.append(
                doc.error((*where, "then", key), rule.id, f"unknown indicator code {code!r}")
            )
    clocks = {c.id for c in base.rules.clocks}
    for name in acts.start_clocks:
        if name not in clocks:
            errors.append(
                doc.error((*where, "then", "start_clocks"), rule.id, f"unknown clock {name!r}")
            )
    return errors


def _rules(
    doc: YamlDoc, base: RulePack, inherited: dict[str, str], errors: list[PackError]
) -> list[Rule]:
    raw = doc.data.get("indicator_rules")
    if not isinstance(raw, list) or not raw:
        errors.append(
            doc.error(
                ("indicator_rules",), "-", "schema: 'indicator_rules' must be a non-empty list"
            )
        )
        return []
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        ident = str(item.get("id", f"indicator_rules[{i}]")) if isinstance(item, dict) else "-"
        rule = decode_part(doc, item, ("indicator_rules", i), Rule, ident, errors)
        if rule is None:
            continue
        if rule.id in seen:
            errors.append(doc.error(("indicator_rules", i, "id"), rule.id, "duplicate rule id"))
        seen.add(rule.id)
        errors.extend(_check_rule(doc, i, rule, base, inherited))
        rules.append(rule)
    return rules


def read_addition(
    text: str, display: str, base: RulePack, inherited: dict[str, str] | None = None
) -> tuple[Addition | None, list[PackError]]:
    """Check an addition against the pack it adds to; return it, or every problem found.

    ``inherited`` maps rule ids already in force above the adding committee (the ancestors'
    additions) to who added them; the base pack's own rule ids are always included.
    """
    taken = {
        r.id: f"the parent pack {base.version}"
        for r in (*base.rules.indicator_rules, *base.rules.routing_rules)
    }
    taken |= inherited or {}
    doc = parse_yaml(text, display)
    if isinstance(doc, PackError):
        return None, [doc]
    if not isinstance(doc.data, dict):
        return None, [
            doc.error((), "-", "an addition is a mapping with 'addition' and 'indicator_rules'")
        ]
    errors = [
        _section_error(doc, str(key), value, base)
        for key, value in doc.data.items()
        if key not in ("addition", "indicator_rules")
    ]
    header = decode_part(
        doc, doc.data.get("addition"), ("addition",), AdditionHeader, "addition", errors
    )
    rules = _rules(doc, base, taken, errors)
    fields = field_types(base.indicators, base.rules)
    for i, rule in enumerate(rules):
        try:
            parse_condition(rule.when, fields)
        except ConditionError as exc:
            errors.append(
                doc.error(
                    ("indicator_rules", i, "when", *exc.path), rule.id, exc.template, **exc.params
                )
            )
    if errors or header is None:
        return None, errors
    return Addition(header=header, rules=rules, content_hash=content_hash(text)), []


def guarded(addition: Addition, base: RulePack, committee: str, scope_path: str) -> GuardedRules:
    """The addition as guarded rules for the compiler (applies below ``scope_path`` only)."""
    fields = field_types(base.indicators, base.rules)
    return GuardedRules(
        committee=committee,
        scope_path=scope_path,
        content_hash=addition.content_hash,
        rules=tuple(addition.rules),
        parsed={rule.id: parse_condition(rule.when, fields) for rule in addition.rules},
    )
