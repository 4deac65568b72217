"""A lower committee's additions (quy định bổ sung) written in the plan editor.

An addition draft holds the pack in force above the committee (read-only, for its lists and
the rules it may not repeat) and ``addition.yaml``: the extra indicator rules, edited with the
same rule form as a city's plan and checked by the same rules as an uploaded addition (only
indicator rules; nothing that weakens the city's plan). Publication takes two people too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec
import yaml

from giamsat import clock
from giamsat.errors import InvalidInput
from giamsat.plans.additions import check_addition
from giamsat.plans.service import active_pack
from giamsat.rulepacks.errors import PackError
from giamsat.rulepacks.model import Rule
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

ADDITION_FILE = "addition.yaml"
#: Said of an addition with no rule yet: a draft may be saved so, not submitted.
NEEDS_A_RULE = N_("an addition needs at least one rule")


def is_addition(files: dict[str, str]) -> bool:
    return ADDITION_FILE in files


def _data(files: dict[str, str]) -> dict[str, Any]:
    loaded = yaml.safe_load(files.get(ADDITION_FILE, "")) or {}
    return loaded if isinstance(loaded, dict) else {}


def addition_rules(files: dict[str, str]) -> list[Rule]:
    """The rules an addition draft adds (they validated when they were saved)."""
    items = _data(files).get("indicator_rules") or []
    return [msgspec.convert(item, Rule, strict=False) for item in items]


def with_rules(files: dict[str, str], rules: list[Rule]) -> dict[str, str]:
    """The draft's files with its added rules replaced by ``rules``."""
    header = _data(files).get("addition") or {}
    items = []
    for rule in rules:
        item = msgspec.to_builtins(rule)
        item["then"] = {k: v for k, v in item["then"].items() if v not in (None, [], False)}
        items.append(item)
    text = yaml.safe_dump(
        {"addition": header, "indicator_rules": items}, allow_unicode=True, sort_keys=False
    )
    return {**files, ADDITION_FILE: text}


async def addition_files(ctx: TenantContext, year: int) -> tuple[str, dict[str, str]]:
    """The starting files of an addition for the pack in force above the committee today."""
    base = await active_pack(ctx.path, clock.today())
    if base is None or base.view.issuer_path == ctx.path:
        raise InvalidInput(
            N_("No plan of a committee above is in force today: there is nothing to add to"),
            field="base",
        )
    header = {
        "id": f"{ctx.committee_code}-{year}-bo-sung",
        "title_vi": f"Quy định bổ sung của {ctx.committee_name} năm {year}",
        "title_en": f"Additions of {ctx.committee_name}, {year}",
    }
    text = yaml.safe_dump(
        {"addition": header, "indicator_rules": []}, allow_unicode=True, sort_keys=False
    )
    return base.version, {**base.files, ADDITION_FILE: text}


async def addition_problems(ctx: TenantContext, files: dict[str, str]) -> list[PackError]:
    """What the addition checker finds (as for an uploaded addition), on today's pack."""
    if not addition_rules(files):
        return [PackError.worded(file=ADDITION_FILE, line=1, rule_id="-", message=NEEDS_A_RULE)]
    _base, _addition, report = await check_addition(
        files[ADDITION_FILE], ctx.committee_code, clock.today(), ADDITION_FILE
    )
    return report.errors


def change_rules(
    files: dict[str, str], change: Callable[[list[Rule]], list[Rule]]
) -> dict[str, str]:
    return with_rules(files, change(addition_rules(files)))


def effective_default() -> dt.date:
    return clock.today()
