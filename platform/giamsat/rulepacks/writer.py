"""A pack written back as its folder's YAML files (the canonical, diffable form).

Editors (the plan editor's pages, the workbook import) change the pack as structs and write
it out here; the files are then validated like any pack folder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import yaml

from giamsat.rulepacks.model import RulePack, RuleSet

_HEADER = "# Written by the plan editor; see rules/README.md for the format.\n"


def _plain(value: Any) -> Any:
    """Builtins for YAML, leaving defaults out so the files stay short."""
    return msgspec.to_builtins(value, builtin_types=(dt.date,))


def _dump(data: Any) -> str:
    return _HEADER + str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def _drop_empty(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, [], False)}


def dump_files(
    plan: dict[str, Any],
    indicators: list[dict[str, Any]],
    rules: dict[str, Any],
    examples: list[dict[str, Any]],
) -> dict[str, str]:
    """The four files of a pack from their plain contents."""
    return {
        "pack.yaml": _dump({"plan": plan}),
        "indicators.yaml": _dump({"indicators": indicators}),
        "rules.yaml": _dump(rules),
        "examples.yaml": _dump({"examples": examples}),
    }


def _settings(rules: RuleSet) -> dict[str, Any]:
    """The optional settings of ``rules.yaml`` that are set (left out when not)."""
    if rules.triage_working_days is None:
        return {}
    return {"triage_working_days": rules.triage_working_days}


def pack_files(pack: RulePack) -> dict[str, str]:
    """The files of ``pack`` (as its loader would read them back)."""
    rules = pack.rules
    rule_items = {
        section: [
            {**_plain(r), "then": _drop_empty(_plain(r.then))} for r in getattr(rules, section)
        ]
        for section in ("indicator_rules", "routing_rules")
    }
    examples = []
    for ex in pack.examples:
        item = _plain(ex)
        item["expect"] = {k: v for k, v in item["expect"].items() if v is not None}
        examples.append(item)
    return dump_files(
        _plain(pack.plan),
        [_plain(i) for i in pack.indicators],
        {
            "levels": [_plain(lvl) for lvl in rules.levels],
            "channels": list(rules.channels),
            "clocks": [_plain(c) for c in rules.clocks],
            **rule_items,
            "reporting": _plain(rules.reporting),
            **_settings(rules),
        },
        examples,
    )
