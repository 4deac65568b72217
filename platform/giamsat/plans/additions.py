"""Lower committees' additions to the pack in force (quy định bổ sung của cấp dưới).

A district or commune publishes an addition against the pack version in force for it on the
addition's effective date. Publishing is all or nothing: anything that would weaken the
parent pack is refused with every problem (``file:line: rule: message``) and nothing is
stored. Evaluation uses **one** ruleset per pack version and set of additions in force
(:func:`active_ruleset`): every addition to that version becomes guarded rules, and the
guard (the receiving committee lies in the adder's subtree) makes a committee's additions and
its ancestors' apply, never a sibling's. The combined version id is recorded on cases.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from giamsat.audit.schemas import Actor
from giamsat.audit.service import record
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import Conflict, InvalidInput
from giamsat.plans.files import too_large
from giamsat.plans.schemas import AdditionView, ValidationReport
from giamsat.plans.service import (
    PublishedPack,
    active_pack,
    ancestor_paths,
    committee_row,
    problems,
)
from giamsat.plans.tables import RulePackAddition
from giamsat.rulepacks import CompiledPack, PackError, compile_pack
from giamsat.rulepacks.additions import Addition, guarded, read_addition
from giamsat.rulepacks.api import trial_additions
from giamsat.rulepacks.compiler import GuardedRules
from giamsat.web.i18n import N_

MAX_ADDITION_BYTES = 200_000


class AdditionRejected(InvalidInput):
    """An addition that may not be published; ``errors`` lists every problem found."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__(
            N_("The addition is refused; nothing was published. The problems found:\n%(problems)s"),
            field="addition",
            params={"problems": problems(errors)},
        )


def read_source(source: str | Path) -> tuple[str, str]:
    """An addition's text and display name from a YAML file or a folder holding one."""
    path = Path(source)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        if len(found) != 1:
            raise InvalidInput(
                N_("%(folder)s: an addition's folder holds exactly one .yaml file."),
                field="addition",
                params={"folder": str(path)},
            )
        path = found[0]
    if not path.is_file():
        raise InvalidInput(
            N_("There is no addition file %(file)s."), field="addition", params={"file": str(path)}
        )
    return path.read_text(encoding="utf-8"), path.name


def _view(row: dict[str, Any], code: str) -> AdditionView:
    return AdditionView(
        id=row["id"], committee_code=code, tenant_path=row["tenant_path"],
        addition_id=row["addition_id"], base_version=row["base_version"],
        content_hash=row["content_hash"], effective_from=row["effective_from"],
        published_at=row["published_at"], published_by=row["published_by"],
    )  # fmt: skip


async def _rows(where: Any) -> list[dict[str, Any]]:
    async with system_scope():
        rows = await RulePackAddition.select(
            *RulePackAddition.all_columns(), RulePackAddition.committee.code.as_alias("code")
        ).where(where).order_by(RulePackAddition.id)  # fmt: skip
    return list(rows)


async def additions_in(where: Any) -> list[dict[str, Any]]:
    """Stored addition rows (with their committee's code) matching ``where``."""
    return await _rows(where)


def addition_view(row: dict[str, Any]) -> AdditionView:
    """The boundary view of a row read by :func:`additions_in`."""
    return _view(row, row["code"])


async def _inherited(base_version: str, path: str) -> dict[str, str]:
    """Rule ids already added to ``base_version`` by the committee itself or its ancestors."""
    rows = await _rows((RulePackAddition.base_version == base_version)
                       & RulePackAddition.tenant_path.is_in(ancestor_paths(path)))  # fmt: skip
    taken: dict[str, str] = {}
    for row in rows:
        for rule_id in _rule_ids(row["content"]):
            taken[rule_id] = f"the addition {row['addition_id']!r} of committee {row['code']}"
    return taken


def _rule_ids(content: str) -> list[str]:
    import yaml

    data = yaml.safe_load(content) or {}
    return [str(r.get("id")) for r in data.get("indicator_rules") or [] if isinstance(r, dict)]


async def check_addition(
    text: str, committee_code: str, effective_from: dt.date, label: str = "addition.yaml"
) -> tuple[PublishedPack, Addition | None, ValidationReport]:
    """Validate an addition for a committee against the pack in force for it on the date,
    including an engine trial of the combined ruleset."""
    if len(text.encode("utf-8")) > MAX_ADDITION_BYTES:
        raise too_large(label, MAX_ADDITION_BYTES, "addition")
    committee = await committee_row(committee_code)
    base = await active_pack(committee["path"], effective_from)
    if base is None:
        raise InvalidInput(
            N_("No plan is in force for %(committee)s on %(date)s: there is nothing to add to."),
            field="addition",
            params={"committee": committee["name"], "date": f"{effective_from:%d/%m/%Y}"},
        )
    if base.view.issuer_path == committee["path"]:
        raise InvalidInput(
            N_(
                "%(committee)s issued the plan in force itself: publish a new version of the "
                "plan instead of an addition."
            ),
            field="addition",
            params={"committee": committee["name"]},
        )
    pack = base.pack()
    addition, errors = read_addition(
        text, label, pack, await _inherited(base.version, committee["path"])
    )
    if addition is not None:
        compiled = compile_pack(pack, [guarded(addition, pack, committee["code"],
                                               committee["path"])])  # fmt: skip
        errors = [PackError(file=label, line=1, rule_id="-", message=f"engine trial: {m}")
                  for m in trial_additions(pack, compiled)]  # fmt: skip
    report = ValidationReport(ok=not errors, version=base.version if not errors else None,
                              errors=errors, rendered=[e.render() for e in errors])  # fmt: skip
    return base, (addition if not errors else None), report


async def publish_addition(
    source: str | Path | tuple[str, str],
    committee_code: str,
    effective_from: dt.date,
    user_id: int | None = None,
    username: str = "system",
) -> AdditionView:
    """Validate and store an addition; refuse with every problem and store nothing otherwise.

    ``source`` is a YAML file, a folder holding one, or ``(text, display name)``."""
    text, label = source if isinstance(source, tuple) else read_source(source)
    base, addition, report = await check_addition(text, committee_code, effective_from, label)
    if addition is None:
        raise AdditionRejected(report.errors)
    committee = await committee_row(committee_code)
    async with tenant_scope(committee["path"]):
        taken = await RulePackAddition.exists().where(
            (RulePackAddition.committee == committee["id"])
            & (RulePackAddition.base_version == base.version)
            & (RulePackAddition.content_hash == addition.content_hash)
        )
        if taken:
            raise Conflict(
                N_("%(committee)s has already published this addition to the plan in force."),
                params={"committee": committee["name"]},
            )
        row = RulePackAddition(
            committee=committee["id"], tenant_path=committee["path"],
            addition_id=addition.header.id[:80], base_version=base.version,
            content_hash=addition.content_hash, content=text, effective_from=effective_from,
            published_by=user_id,
        )  # fmt: skip
        await row.save()
        await record(committee["id"], "rulepack.addition_published", "rule_pack_addition", row.id,
                     {"addition": addition.header.id, "base_version": base.version,
                      "rules": [r.id for r in addition.rules],
                      "effective_from": effective_from.isoformat()},
                     actor=Actor(user_id=user_id, username=username))  # fmt: skip
    saved = await _rows(RulePackAddition.id == row.id)
    from giamsat.plans import in_force  # it builds on this module

    in_force.forget()
    return _view(saved[0], committee["code"])


async def additions_history(committee_code: str) -> list[AdditionView]:
    """Additions published by the committee and its ancestors (newest effective first)."""
    committee = await committee_row(committee_code)
    rows = await _rows(RulePackAddition.tenant_path.is_in(ancestor_paths(committee["path"])))
    rows.sort(key=lambda r: (r["effective_from"], r["id"]), reverse=True)
    return [_view(r, r["code"]) for r in rows]


_COMBINED: dict[str, CompiledPack] = {}
_COMBINED_LOCK = threading.Lock()


async def active_ruleset(committee_path: str, on_date: dt.date) -> CompiledPack | None:
    """The one ruleset in force for a committee on a date: the active pack version with every
    addition to it effective by then (their guards select which apply to the committee)."""
    base = await active_pack(committee_path, on_date)
    if base is None:
        return None
    return await combined(base, on_date)


async def combined(base: PublishedPack, on_date: dt.date) -> CompiledPack:
    """``base`` compiled with the additions to it effective on ``on_date`` (cached per
    process by combined version: it is derived from the database and can be rebuilt)."""
    rows = await _rows((RulePackAddition.base_version == base.version)
                       & (RulePackAddition.effective_from <= on_date))  # fmt: skip
    if not rows:
        return base.compiled()
    key = base.version + "|" + ",".join(sorted(f"{r['tenant_path']}{r['content_hash']}"
                                               for r in rows))  # fmt: skip
    with _COMBINED_LOCK:
        hit = _COMBINED.get(key)
    if hit is not None:
        return hit
    compiled = compile_pack(base.pack(), await guarded_parts(base, on_date, rows))
    with _COMBINED_LOCK:
        return _COMBINED.setdefault(key, compiled)


async def guarded_parts(
    base: PublishedPack, on_date: dt.date, rows: list[dict[str, Any]] | None = None
) -> list[GuardedRules]:
    """Every addition to ``base`` effective on ``on_date``, as guarded rules."""
    if rows is None:
        rows = await _rows((RulePackAddition.base_version == base.version)
                           & (RulePackAddition.effective_from <= on_date))  # fmt: skip
    pack = base.pack()
    parts = []
    for row in rows:
        addition, errors = read_addition(row["content"], f"addition #{row['id']}", pack)
        if addition is None:  # stored additions were checked at publishing
            raise InvalidInput("; ".join(e.render() for e in errors), field="addition")
        parts.append(guarded(addition, pack, row["code"], row["tenant_path"]))
    return parts


__all__ = [
    "AdditionRejected",
    "active_ruleset",
    "addition_view",
    "additions_history",
    "additions_in",
    "check_addition",
    "combined",
    "guarded_parts",
    "publish_addition",
    "read_source",
]
