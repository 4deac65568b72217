"""The plan editor's forms: a rule (its rows of conditions and its outcome), the plan's facts
and the reporting section, read from the browser and put back into the pack.

Problems are returned per field (the form's field name) so that the page shows each one
beside the input it belongs to, with the input kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import msgspec

from giamsat.rulepacks import vocabulary as vocab
from giamsat.rulepacks.errors import PackError
from giamsat.rulepacks.model import Actions, Rule, RulePack
from giamsat.rulepacks.tables import (
    CONDITION_COLUMNS,
    Alternative,
    TableRule,
    condition_items,
    other_text,
    read_other,
    to_rule,
    to_table,
)
from giamsat.rulepacks.wording import date_problem
from giamsat.rulepacks.workbook_import import alt_item, path_at
from giamsat.rulepacks.yamlsrc import YamlDoc, parse_yaml
from giamsat.web.i18n import N_

SECTIONS = ("indicator_rules", "routing_rules")
#: The condition inputs of one row: form key → (vocabulary or source, label).
CONDITION_INPUTS: tuple[tuple[str, str], ...] = (
    ("signal.channel", "channels"),
    ("signal.kind", "kinds"),
    ("signal.indicators", "indicators"),
    ("signal.flags", "flags"),
    ("signal.receiving_level", "levels"),
    ("case.receiving_level", "levels"),
    ("subject.managing_level", "managing_levels"),
    ("subject.position", "positions"),
)

Problems = dict[str, list[str]]
_FIELD_IN_MESSAGE = re.compile(r"'((?:signal|subject|case)\.[a-z_]+)'")


class RuleForm(msgspec.Struct, kw_only=True):
    """A rule as typed into the form (texts kept as typed, for showing them back)."""

    section: str
    original_id: str = ""
    id: str = ""
    title_vi: str = ""
    title_en: str = ""
    alternatives: list[dict[str, Any]] = msgspec.field(default_factory=list)
    then: dict[str, Any] = msgspec.field(default_factory=dict)

    @classmethod
    def empty(cls, section: str) -> RuleForm:
        return cls(section=section, alternatives=[{}])

    @classmethod
    def of(cls, section: str, rule: Rule, fields: dict[str, Any]) -> RuleForm:
        table = to_table(rule, fields)
        alternatives = [
            {
                **alt.cells,
                "party_member": "" if alt.party_member is None else str(alt.party_member).lower(),
                "at_least": "" if alt.at_least is None else str(alt.at_least),
                "within_days": "" if alt.within_days is None else str(alt.within_days),
                "other": other_text(alt.other),
            }
            for alt in table.alternatives
        ]
        return cls(
            section=section,
            original_id=rule.id,
            id=rule.id,
            title_vi=rule.title_vi,
            title_en=rule.title_en,
            alternatives=alternatives,
            then=msgspec.to_builtins(rule.then),
        )


def read_rule_form(section: str, form: Any) -> RuleForm:
    """The rule form's fields (``a0.signal.channel`` … for each row of conditions)."""
    count = _int_or(form.get("alternatives"), 1)
    alternatives: list[dict[str, Any]] = []
    for n in range(max(1, min(count, 20))):
        prefix = f"a{n}."
        alt: dict[str, Any] = {
            key: list(form.getall(prefix + key, [])) for key, _ in CONDITION_INPUTS
        }
        for key in ("party_member", "at_least", "within_days", "other"):
            alt[key] = str(form.get(prefix + key) or "").strip()
        if n == 0 or any(alt.values()) or str(form.get(prefix + "keep") or ""):
            alternatives.append(alt)
    then: dict[str, Any] = {
        "open_case": str(form.get("open_case") or "") or None,
        "add_findings": list(form.getall("add_findings", [])),
        "record_signal_indicators": bool(form.get("record_signal_indicators")),
        "start_clocks": list(form.getall("start_clocks", [])),
        "propose_delegation": bool(form.get("propose_delegation")),
        "record_at_residence": list(form.getall("record_at_residence", [])),
        "route_to": str(form.get("route_to") or "") or None,
    }
    return RuleForm(
        section=section,
        original_id=str(form.get("original_id") or "").strip(),
        id=str(form.get("id") or "").strip(),
        title_vi=" ".join(str(form.get("title_vi") or "").split()),
        title_en=" ".join(str(form.get("title_en") or "").split()),
        alternatives=alternatives,
        then=then,
    )


def _int_or(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _whole(text: str, field: str, problems: Problems) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        problems.setdefault(field, []).append(N_("A positive whole number is needed here"))
        return None
    return int(text)


def to_table_rule(form: RuleForm, problems: Problems) -> TableRule | None:
    """The table rule the form describes, or None with the problems per field."""
    if not form.id:
        problems.setdefault("id", []).append(N_("A rule id is needed"))
    for key in ("title_vi", "title_en"):
        if not getattr(form, key):
            problems.setdefault(key, []).append(N_("The rule needs its name"))
    rows: list[Alternative] = []
    for n, alt in enumerate(form.alternatives):
        prefix = f"a{n}."
        cells = {k: [str(v) for v in alt.get(k, [])] for k, _ in CONDITION_INPUTS if alt.get(k)}
        party = alt.get("party_member") or ""
        try:
            other = read_other(str(alt.get("other") or ""))
        except Exception:  # the YAML of an any/all mapping typed by hand
            problems.setdefault(prefix + "other", []).append(N_("This condition cannot be read"))
            other = None
        row = Alternative(
            cells=cells,
            party_member=None if party == "" else party == "true",
            at_least=_whole(str(alt.get("at_least") or ""), prefix + "at_least", problems),
            within_days=_whole(str(alt.get("within_days") or ""), prefix + "within_days", problems),
            other=other,
        )
        if row.within_days is not None and row.at_least is None:
            problems.setdefault(prefix + "at_least", []).append(
                N_("A window in days needs a number of signals (at least how many)")
            )
        if not condition_items(row):
            problems.setdefault(prefix + "conditions", []).append(
                N_("This row has no condition yet")
            )
        rows.append(row)
    then = {k: v for k, v in form.then.items() if v not in (None, [], False)}
    if form.section == "routing_rules":
        then = {"route_to": then.get("route_to")} if then.get("route_to") else {}
        if not then:
            problems.setdefault("route_to", []).append(N_("Choose the level that takes the case"))
    else:
        then.pop("route_to", None)
        if not then:
            problems.setdefault("outcome", []).append(
                N_("The rule has no outcome yet: open a case, record findings, start a clock…")
            )
    if problems:
        return None
    return TableRule(
        id=form.id,
        title_vi=form.title_vi,
        title_en=form.title_en,
        alternatives=rows,
        then=msgspec.convert(then, Actions),
    )


def put_in(original_id: str, rule: Rule) -> Callable[[list[Rule]], list[Rule]]:
    """The change that puts ``rule`` into a list of rules (in place of ``original_id``)."""

    def change(rules: list[Rule]) -> list[Rule]:
        ids = [r.id for r in rules]
        if original_id and original_id in ids:
            return [rule if r.id == original_id else r for r in rules]
        return [*rules, rule]

    return change


def drop_from(rule_id: str) -> Callable[[list[Rule]], list[Rule]]:
    def change(rules: list[Rule]) -> list[Rule]:
        return [r for r in rules if r.id != rule_id]

    return change


def in_section(
    section: str, change: Callable[[list[Rule]], list[Rule]]
) -> Callable[[RulePack], RulePack]:
    """A change of one rule table, as a change of the whole pack."""

    def whole(pack: RulePack) -> RulePack:
        rules = change(list(getattr(pack.rules, section)))
        return msgspec.structs.replace(
            pack, rules=msgspec.structs.replace(pack.rules, **{section: rules})
        )

    return whole


def put_rule(section: str, original_id: str, rule: Rule) -> Callable[[RulePack], RulePack]:
    """The change that puts ``rule`` into the pack (in place of ``original_id`` if given)."""
    return in_section(section, put_in(original_id, rule))


def drop_rule(section: str, rule_id: str) -> Callable[[RulePack], RulePack]:
    return in_section(section, drop_from(rule_id))


def rule_problems(
    errors: list[PackError], rules_yaml: str, section: str, table: TableRule, language: str
) -> Problems:
    """The problems that concern this rule (found in ``rules_yaml``: the pack's rules.yaml or
    an addition's file, both with the rule lists at the top), put on the form's fields."""
    doc = parse_yaml(rules_yaml, "rules.yaml")
    keys = [[key for key, _ in condition_items(alt)] for alt in table.alternatives]
    problems: Problems = {}
    for error in errors:
        field = "rule"
        if error.file.endswith(("rules.yaml", "addition.yaml")) and isinstance(doc, YamlDoc):
            path = path_at(doc, error.line)
            if path[:1] == (section,) and len(path) > 2:
                rest = path[2:]
                if rest[:1] == ("then",):
                    field = str(rest[1]) if len(rest) > 1 else "outcome"
                    field = (
                        "outcome" if field in ("open_case", "record_signal_indicators") else field
                    )
                elif rest[:1] == ("when",):
                    alt, item = alt_item(rest[1:], len(keys))
                    names = keys[alt] if alt < len(keys) else []
                    key = names[item] if item is not None and item < len(names) else "conditions"
                    named = _FIELD_IN_MESSAGE.search(error.message)
                    if (
                        key == "at_least"
                        and named
                        and named.group(1)
                        in table.alternatives[min(alt, len(table.alternatives) - 1)].cells
                    ):
                        key = named.group(1)  # a column counted inside "at least N signals"
                    field = f"a{alt}.{key}"
                else:
                    field = str(rest[0])
        problems.setdefault(field, []).append(error.text(language))
    return problems


# -- plan facts and reporting ------------------------------------------------------------------


def _date_field(text: str, field: str, problems: Problems, lang: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        vi, en = date_problem(text)
        problems.setdefault(field, []).append(vi if lang == "vi" else en)
        return None


def plan_change(form: Any, problems: Problems, lang: str) -> Callable[[RulePack], RulePack] | None:
    """The change the plan-facts form asks for, or None with its problems."""
    values = {
        k: " ".join(str(form.get(k) or "").split())
        for k in ("id", "name_vi", "name_en", "year", "effective_from", "effective_to")
    }
    for key, value in values.items():
        if not value:
            problems.setdefault(key, []).append(N_("This may not be left empty"))
    year = _whole(values["year"], "year", problems) if values["year"] else None
    start = (
        _date_field(values["effective_from"], "effective_from", problems, lang)
        if values["effective_from"]
        else None
    )
    end = (
        _date_field(values["effective_to"], "effective_to", problems, lang)
        if values["effective_to"]
        else None
    )
    if start and end and end < start:
        problems.setdefault("effective_to", []).append(N_("The end must come after the start"))
    if problems or year is None or start is None or end is None:
        return None

    def change(pack: RulePack) -> RulePack:
        name = msgspec.structs.replace(pack.plan.name, vi=values["name_vi"], en=values["name_en"])
        plan = msgspec.structs.replace(
            pack.plan, id=values["id"], name=name, year=year, effective_from=start, effective_to=end
        )
        return msgspec.structs.replace(pack, plan=plan)

    return change


def reporting_change(
    form: Any, pack: RulePack, problems: Problems, lang: str
) -> Callable[[RulePack], RulePack] | None:
    """The change the reporting form asks for, or None with its problems."""
    deadline = _date_field(str(form.get("deadline") or ""), "deadline", problems, lang)
    suppress = _whole(str(form.get("suppress_below") or ""), "suppress_below", problems)
    levels = {lvl.code for lvl in pack.rules.levels}
    from_levels = [v for v in form.getall("from_levels", []) if v in levels]
    to_level = str(form.get("to_level") or "")
    group_by = [v for v in form.getall("group_by", []) if v in vocab.GROUP_BY]
    if not from_levels:
        problems.setdefault("from_levels", []).append(N_("Choose at least one level"))
    if to_level not in levels:
        problems.setdefault("to_level", []).append(N_("Choose the level that receives the reports"))
    if not group_by:
        problems.setdefault("group_by", []).append(
            N_("Choose at least one way to group the figures")
        )
    if problems or deadline is None or suppress is None:
        return None

    def change(pack: RulePack) -> RulePack:
        reporting = msgspec.structs.replace(
            pack.rules.reporting,
            deadline=deadline,
            suppress_below=suppress,
            from_levels=from_levels,
            to_level=to_level,
            group_by=group_by,
        )
        return msgspec.structs.replace(
            pack, rules=msgspec.structs.replace(pack.rules, reporting=reporting)
        )

    return change


def choices(pack: RulePack, language: str) -> dict[str, list[tuple[str, str]]]:
    """The options each input may take, as (value, words) pairs in the page's language."""

    def words(table: vocab.Words) -> list[tuple[str, str]]:
        return [(code, vocab.word(table, code, language)) for code in table]

    levels = [
        (lvl.code, lvl.title_vi if language == "vi" else lvl.title_en) for lvl in pack.rules.levels
    ]
    return {
        "channels": [(c, vocab.word(vocab.CHANNELS, c, language)) for c in pack.rules.channels],
        "kinds": words(vocab.SIGNAL_KINDS),
        "flags": words(vocab.FLAGS),
        "managing_levels": words(vocab.MANAGING_LEVELS),
        "positions": words(vocab.POSITIONS),
        "priorities": words(vocab.PRIORITIES),
        "group_by": words(vocab.GROUP_BY),
        "levels": levels,
        "clocks": [
            (c.id, c.title_vi if language == "vi" else c.title_en) for c in pack.rules.clocks
        ],
        "indicators": [
            (i.code, i.text_vi if language == "vi" else i.text_en) for i in pack.indicators
        ],
    }


__all__ = [
    "CONDITION_COLUMNS",
    "SECTIONS",
    "RuleForm",
    "choices",
    "drop_from",
    "drop_rule",
    "in_section",
    "plan_change",
    "put_in",
    "put_rule",
    "read_rule_form",
    "reporting_change",
    "rule_problems",
    "to_rule",
    "to_table_rule",
]
