"""Additions left behind by a new version, and carrying them over (chuyển quy định bổ sung).

An addition belongs to one pack version. When the issuer publishes a new version, the lower
committees' additions to the previous one stop applying from the new version's date: the
publish result, the plans page and the CLI list them so the districts know to republish.
:func:`carry_over` re-validates a committee's additions against the version now in force and
republishes those that still pass (the same checks as a fresh addition), reporting each one
that fails with its messages; nothing is stored for a failing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from giamsat.db.subtree import path_within
from giamsat.errors import Conflict, InvalidInput
from giamsat.plans.additions import (
    AdditionRejected,
    addition_view,
    additions_in,
    publish_addition,
)
from giamsat.plans.schemas import AdditionView, PackVersionView
from giamsat.plans.service import active_pack, ancestor_paths, committee_row, issuer_versions
from giamsat.plans.tables import RulePackAddition
from giamsat.web.i18n import N_


class CarryOverFailure(msgspec.Struct, frozen=True, kw_only=True):
    """An addition that does not fit the new version: republish it after fixing these."""

    addition_id: str
    from_version: str
    errors: list[str]


class CarryOverReport(msgspec.Struct, frozen=True, kw_only=True):
    """What :func:`carry_over` did for one committee."""

    committee_code: str
    base_version: str
    previous_version: str | None
    carried: list[AdditionView]
    failed: list[CarryOverFailure]
    already_carried: list[str]


def _previous(versions: list[PackVersionView], current: PackVersionView) -> PackVersionView | None:
    """The issuer's version that ``current`` replaced (latest one published before it)."""
    earlier = [v for v in versions if v.id != current.id
               and (v.effective_from, v.id) < (current.effective_from, current.id)]  # fmt: skip
    return max(earlier, key=lambda v: (v.effective_from, v.id)) if earlier else None


def _latest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (committee, addition id): the latest published."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        best[(row["tenant_path"], row["addition_id"])] = row
    return sorted(best.values(), key=lambda r: (r["tenant_path"], r["addition_id"]))


async def left_behind(version: PackVersionView) -> list[AdditionView]:
    """Additions in the issuer's subtree to the version ``version`` replaced that have no
    counterpart (same committee and addition id) on ``version``: they no longer apply."""
    previous = _previous(await issuer_versions(version.issuer_path), version)
    if previous is None:
        return []
    subtree = path_within(RulePackAddition.tenant_path, version.issuer_path)
    old = await additions_in(subtree & (RulePackAddition.base_version == previous.version))
    new = await additions_in(subtree & (RulePackAddition.base_version == version.version))
    carried = {(r["tenant_path"], r["addition_id"]) for r in new}
    return [addition_view(r) for r in _latest(old)
            if (r["tenant_path"], r["addition_id"]) not in carried]  # fmt: skip


async def left_behind_for(committee_path: str) -> list[AdditionView]:
    """For a committee's plans page: additions of the committee, its ancestors and its
    subtree that the latest version of an issuer above (or at) it left behind."""
    latest: dict[str, PackVersionView] = {}
    for path in ancestor_paths(committee_path):
        versions = await issuer_versions(path)
        if versions:
            latest[path] = max(versions, key=lambda v: (v.effective_from, v.id))
    found: list[AdditionView] = []
    for version in latest.values():
        found += [a for a in await left_behind(version)
                  if committee_path.startswith(a.tenant_path)
                  or a.tenant_path.startswith(committee_path)]  # fmt: skip
    return found


async def carry_over(
    committee_code: str, effective_from: dt.date, user_id: int | None = None,
    username: str = "system",
) -> CarryOverReport:  # fmt: skip
    """Republish the committee's additions to the previous version against the version in
    force on ``effective_from``; those that fail are reported with their messages."""
    committee = await committee_row(committee_code)
    base = await active_pack(committee["path"], effective_from)
    if base is None:
        raise InvalidInput(
            N_(
                "No plan is in force for %(committee)s on %(date)s: there is nothing to carry "
                "the additions over to."
            ),
            field="effective_from",
            params={"committee": committee["name"], "date": f"{effective_from:%d/%m/%Y}"},
        )
    previous = _previous(await issuer_versions(base.view.issuer_path), base.view)
    report = CarryOverReport(committee_code=committee["code"], base_version=base.version,
                             previous_version=previous.version if previous else None,
                             carried=[], failed=[], already_carried=[])  # fmt: skip
    if previous is None:
        return report
    mine = RulePackAddition.committee == committee["id"]
    rows = _latest(await additions_in(mine & (RulePackAddition.base_version == previous.version)))
    done = {r["addition_id"] for r in await additions_in(
        mine & (RulePackAddition.base_version == base.version))}  # fmt: skip
    for row in rows:
        if row["addition_id"] in done:
            report.already_carried.append(row["addition_id"])
            continue
        label = f"{row['addition_id']}.yaml"
        try:
            view = await publish_addition((row["content"], label), committee["code"],
                                          effective_from, user_id, username)  # fmt: skip
        except AdditionRejected as exc:
            report.failed.append(
                CarryOverFailure(
                    addition_id=row["addition_id"],
                    from_version=previous.version,
                    errors=[e.render() for e in exc.errors],
                )
            )
        except (InvalidInput, Conflict) as exc:
            report.failed.append(CarryOverFailure(addition_id=row["addition_id"],
                                                  from_version=previous.version,
                                                  errors=[str(exc)]))  # fmt: skip
        else:
            report.carried.append(view)
    return report


__all__ = ["CarryOverFailure", "CarryOverReport", "carry_over", "left_behind", "left_behind_for"]
