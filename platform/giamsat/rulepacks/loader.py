"""Load a pack folder and check it, collecting every problem with its file and line.

Order: YAML syntax → schema (each plan/indicator/rule/example decoded on its own, so one
bad item does not hide the next) → references (indicator codes, levels, channels, clocks,
duplicate ids) → level cycles → conditions → compile → example cases.
The engine trial compile in a subprocess is added by :func:`validate_pack`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, get_args

import msgspec

from giamsat.rulepacks.conditions import ConditionError, Expr, FieldType, parse_condition
from giamsat.rulepacks.errors import PackError, PackInvalid
from giamsat.rulepacks.facts import ManagingLevel, PositionKind, SignalFlag, SignalKind
from giamsat.rulepacks.model import (
    Example,
    Indicator,
    Plan,
    Reporting,
    Rule,
    RulePack,
    RuleSet,
)
from giamsat.rulepacks.wording import schema_problem
from giamsat.rulepacks.yamlsrc import (
    PathKey,
    YamlDoc,
    load_yaml,
    msgspec_path,
    strip_msgspec_path,
    value_at,
)

FILES = ("pack.yaml", "indicators.yaml", "rules.yaml", "examples.yaml")


class Loaded:
    """A pack that passed every in-process check, with the parsed conditions."""

    def __init__(
        self,
        pack: RulePack,
        parsed: dict[str, Expr],
        fields: dict[str, FieldType],
        docs: dict[str, YamlDoc],
    ) -> None:
        self.pack = pack
        self.parsed = parsed
        self.fields = fields
        self.docs = docs


def decode_part(
    doc: YamlDoc,
    value: Any,
    path: tuple[str | int, ...],
    kind: type[Any],
    rule_id: str,
    errors: list[PackError],
) -> Any:
    """``value`` as ``kind``, or None with every problem recorded at its file and line.

    msgspec stops at the first bad field; staff fixing a plan want all of them at once, so a
    struct that fails is checked again field by field.
    """
    try:
        return msgspec.convert(value, kind, strict=False)
    except msgspec.ValidationError as exc:
        found = _field_problems(value, kind) if isinstance(value, dict) else []
        if not found:
            found = [(msgspec_path(str(exc)), strip_msgspec_path(str(exc)))]
        for sub, message in found:
            vi, en = schema_problem(message, value_at(value, sub))
            slot = rule_id if rule_id != "rules" else str(sub[0]) if sub else "-"
            where = (*path, *sub)
            errors.append(
                PackError(
                    file=doc.file,
                    line=doc.line(where),
                    rule_id=slot,
                    message=f"schema: {en}",
                    message_vi=vi,
                )
            )
        return None


def _field_problems(value: dict[str, Any], kind: type[Any]) -> list[tuple[PathKey, str]]:
    """Every field of the struct ``kind`` that ``value`` gets wrong, with its path."""
    if not (isinstance(kind, type) and issubclass(kind, msgspec.Struct)):
        return []
    problems: list[tuple[PathKey, str]] = []
    known = msgspec.structs.fields(kind)
    names = {f.encode_name for f in known}
    for key in value:
        if key not in names:
            problems.append(((str(key),), f"Object contains unknown field `{key}`"))
    for field in known:
        if field.encode_name not in value:
            if field.required:
                problems.append(((), f"Object missing required field `{field.encode_name}`"))
            continue
        try:
            msgspec.convert(value[field.encode_name], field.type, strict=False)
        except msgspec.ValidationError as exc:
            sub = (field.encode_name, *msgspec_path(str(exc)))
            problems.append((sub, strip_msgspec_path(str(exc))))
    return problems


def _items(doc: YamlDoc, key: str, errors: list[PackError]) -> list[Any]:
    data = doc.data if isinstance(doc.data, dict) else {}
    value = data.get(key)
    if not isinstance(value, list):
        errors.append(doc.error((key,), "-", f"schema: '{key}' must be a list"))
        return []
    return value


def _item_id(item: Any, fallback: str) -> str:
    if isinstance(item, dict):
        return str(item.get("id") or item.get("code") or fallback)
    return fallback


def field_types(indicators: list[Indicator], rules: RuleSet) -> dict[str, FieldType]:
    """The fields a condition may use, typed from the pack's own catalogues."""
    levels = frozenset(lvl.code for lvl in rules.levels)
    return {
        "subject.managing_level": FieldType(
            "enum", frozenset(get_args(ManagingLevel)), "managing level"
        ),
        "subject.is_party_member": FieldType("bool"),
        "subject.position": FieldType("enum", frozenset(get_args(PositionKind)), "position kind"),
        "signal.channel": FieldType("enum", frozenset(rules.channels), "channel"),
        "signal.kind": FieldType("enum", frozenset(get_args(SignalKind)), "signal kind"),
        "signal.indicators": FieldType(
            "set", frozenset(i.code for i in indicators), "indicator code"
        ),
        "signal.flags": FieldType("set", frozenset(get_args(SignalFlag)), "flag"),
        "signal.receiving_level": FieldType("enum", levels, "committee level"),
        "case.receiving_level": FieldType("enum", levels, "committee level"),
    }


def _read_docs(root: Path, errors: list[PackError]) -> dict[str, YamlDoc]:
    docs: dict[str, YamlDoc] = {}
    for name in FILES:
        loaded = load_yaml(root / name, str(root / name))
        if isinstance(loaded, PackError):
            errors.append(loaded)
        else:
            docs[name] = loaded
    return docs


def _decode_all(docs: dict[str, YamlDoc], errors: list[PackError]) -> tuple[Any, ...]:
    pack_doc, ind_doc, rules_doc, ex_doc = (docs[name] for name in FILES)
    plan_raw = pack_doc.data.get("plan") if isinstance(pack_doc.data, dict) else None
    plan = decode_part(pack_doc, plan_raw, ("plan",), Plan, "plan", errors)
    indicators = [
        decode_part(
            ind_doc, item, ("indicators", i), Indicator, _item_id(item, f"indicator[{i}]"), errors
        )
        for i, item in enumerate(_items(ind_doc, "indicators", errors))
    ]
    rules_data = rules_doc.data if isinstance(rules_doc.data, dict) else {}
    decoded_rules: dict[str, list[Rule | None]] = {}
    for section in ("indicator_rules", "routing_rules"):
        decoded_rules[section] = [
            decode_part(
                rules_doc, item, (section, i), Rule, _item_id(item, f"{section}[{i}]"), errors
            )
            for i, item in enumerate(_items(rules_doc, section, errors))
        ]
    skeleton = {
        k: v for k, v in rules_data.items() if k not in ("indicator_rules", "routing_rules")
    }
    skeleton.update(indicator_rules=[], routing_rules=[])
    ruleset = decode_part(rules_doc, skeleton, (), RuleSet, "rules", errors)
    examples = [
        decode_part(ex_doc, item, ("examples", i), Example, _item_id(item, f"example[{i}]"), errors)
        for i, item in enumerate(_items(ex_doc, "examples", errors))
    ]
    return plan, indicators, ruleset, decoded_rules, examples


def read_pack(path: str | Path) -> Loaded:
    """Load and check a pack folder in-process; raise :class:`PackInvalid` with all errors."""
    from giamsat.rulepacks.checks import check_pack

    root = Path(path)
    errors: list[PackError] = []
    if not root.is_dir():
        raise PackInvalid(
            [PackError(file=str(root), line=1, rule_id="-", message="not a pack folder")]
        )
    docs = _read_docs(root, errors)
    if errors:
        raise PackInvalid(errors)
    plan, indicators, ruleset, decoded_rules, examples = _decode_all(docs, errors)
    if errors or plan is None or ruleset is None:
        raise PackInvalid(errors)
    ruleset = msgspec.structs.replace(
        ruleset,
        indicator_rules=[r for r in decoded_rules["indicator_rules"] if r is not None],
        routing_rules=[r for r in decoded_rules["routing_rules"] if r is not None],
    )
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    pack = RulePack(
        plan=plan,
        indicators=[i for i in indicators if i is not None],
        rules=ruleset,
        examples=[e for e in examples if e is not None],
        content_hash=digest.hexdigest(),
    )
    fields = field_types(pack.indicators, pack.rules)
    parsed = check_pack(pack, docs, fields, errors)
    if errors:
        raise PackInvalid(errors)
    return Loaded(pack, parsed, fields, docs)


def parse_rules(
    pack: RulePack, docs: dict[str, YamlDoc], fields: dict[str, FieldType], errors: list[PackError]
) -> dict[str, Expr]:
    """Parse every rule's ``when`` into an expression, reporting the exact line."""
    doc = docs["rules.yaml"]
    parsed: dict[str, Expr] = {}
    for section in ("indicator_rules", "routing_rules"):
        rules: list[Rule] = getattr(pack.rules, section)
        for i, rule in enumerate(rules):
            try:
                parsed[rule.id] = parse_condition(rule.when, fields)
            except ConditionError as exc:
                where = (section, i, "when", *exc.path)
                errors.append(doc.error(where, rule.id, exc.template, **exc.params))
    return parsed


__all__ = ["FILES", "Loaded", "Reporting", "field_types", "parse_rules", "read_pack"]
