"""Publishing packs and finding the one in force (ban hành và áp dụng kế hoạch giám sát).

Publishing is all or nothing: the candidate is validated in full (schema, references, cycles,
examples and the engine trial compile); any problem refuses it with every error and stores
nothing. A stored version takes effect on its ``effective_from`` and ends with its plan's
``effective_to`` (inclusive): a date after every pack's end has no pack in force, so last year's
rules never decide this year's signals. Published packs are not personal data, so lookups read
them in the system scope.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import msgspec

from giamsat.audit.schemas import Actor
from giamsat.audit.service import record
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.plans.files import check_files, materialised, read_folder
from giamsat.plans.schemas import PackVersionView, ValidationReport
from giamsat.plans.tables import RulePackVersion
from giamsat.rulepacks import (
    CompiledPack,
    PackError,
    PackInvalid,
    RulePack,
    compile_pack,
    pack_warnings,
)
from giamsat.rulepacks import validate_pack as _validate_folder
from giamsat.rulepacks.loader import read_pack
from giamsat.rulepacks.model import Reporting
from giamsat.tenancy.paths import ancestor_paths
from giamsat.tenancy.repository import code_on
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_, InBoth


class PackRejected(InvalidInput):
    """A pack that may not be published; ``errors`` lists every problem found."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__(
            N_(
                "The rule pack is refused; nothing was published. The problems found:\n%(problems)s"
            ),
            field="pack",
            params={"problems": problems(errors)},
        )


def problems(errors: list[PackError]) -> InBoth:
    """A pack's problems one a line (``file:line: rule: message``), each in the reader's
    language where it is worded in the catalogue: what its author needs to fix it."""
    return InBoth(
        "\n".join(e.render("vi") for e in errors), "\n".join(e.render("en") for e in errors)
    )


class PublishedPack(msgspec.Struct, frozen=True, kw_only=True):
    """A stored version with its files; :meth:`compiled` rebuilds it from those files alone."""

    view: PackVersionView
    files: dict[str, str]

    @property
    def version(self) -> str:
        return self.view.version

    def pack(self) -> RulePack:
        return _loaded(self.view.version, self.files)[0]

    def compiled(self) -> CompiledPack:
        return _loaded(self.view.version, self.files)[1]


_CACHE: dict[str, tuple[RulePack, CompiledPack]] = {}
_CACHE_LOCK = threading.Lock()


def _loaded(version: str, files: dict[str, str]) -> tuple[RulePack, CompiledPack]:
    """Compiled packs are cached per process by version only: a version is a content hash, the
    same for every tenant, and can be rebuilt from the database at any time."""
    with _CACHE_LOCK:
        hit = _CACHE.get(version)
    if hit is not None:
        return hit
    with materialised(files) as root:
        pack = read_pack(root).pack
    entry = (pack, compile_pack(pack))
    with _CACHE_LOCK:
        _CACHE.setdefault(version, entry)
        return _CACHE[version]


def _relative(errors: list[PackError], root: Path, label: str) -> list[PackError]:
    prefix = str(root)
    return [
        msgspec.structs.replace(e, file=e.file.replace(prefix, label, 1))
        if e.file.startswith(prefix)
        else e
        for e in errors
    ]


def validate_files(
    files: dict[str, str], label: str = "pack", committee_code: str | None = None
) -> tuple[RulePack | None, ValidationReport]:
    """Validate a candidate (including the engine trial); with ``committee_code``, also require
    the pack to name that committee as its issuer."""
    check_files(files)
    with materialised(files, label) as root:
        errors = _relative(_validate_folder(root), root, label)
        pack, warnings = None, []
        if not errors:
            pack = read_pack(root).pack
            warnings = _relative(pack_warnings(root), root, label)
    issuer = pack.plan.issuing_committee if pack is not None else None
    if committee_code is not None and issuer is not None and issuer != committee_code:
        errors.append(PackError.worded(
            file=f"{label}/pack.yaml", line=1, rule_id="plan",
            message=N_("issuing_committee is %(issuer)s, but the committee publishing it has "
                       "the code %(code)s"),
            issuer=issuer, code=committee_code,
        ))  # fmt: skip
    report = ValidationReport(
        ok=not errors,
        version=pack.version if pack is not None and not errors else None,
        errors=errors,
        rendered=[e.render("vi") for e in errors],
        warnings=warnings,
        rendered_warnings=[w.render("vi") for w in warnings],
    )
    return (pack if not errors else None), report


def _effective_to(row: dict[str, Any]) -> dt.date:
    """The plan's last day, read from the stored files (cached with the compiled pack)."""
    return _loaded(row["version"], _files(row))[0].plan.effective_to


def _view(row: dict[str, Any], code: str) -> PackVersionView:
    return _view_of(row, code, _effective_to(row))


def _view_of(row: dict[str, Any], code: str, effective_to: dt.date) -> PackVersionView:
    return PackVersionView(
        id=row["id"], committee_code=code, issuer_path=row["tenant_path"], plan_id=row["plan_id"],
        version=row["version"], year=row["year"], name=row["name"],
        effective_from=row["effective_from"], published_at=row["published_at"],
        published_by=row["published_by"], effective_to=effective_to,
    )  # fmt: skip


def pack_view(row: dict[str, Any], files: dict[str, str]) -> PackVersionView:
    """The view of a stored version row read without its files (with its issuer's ``code``),
    given the files."""
    return _view_of(row, row["code"], _loaded(row["version"], files)[0].plan.effective_to)


def stored_files(row: dict[str, Any]) -> dict[str, str]:
    """The files of a stored version row (SQLite hands back the JSON text)."""
    return _files(row)


def _files(row: dict[str, Any]) -> dict[str, str]:
    files = row["files"]
    decoded = msgspec.json.decode(files) if isinstance(files, str | bytes) else files
    return {str(k): str(v) for k, v in dict(decoded).items()}


async def _committee(code: str) -> dict[str, Any]:
    async with system_scope():
        row = (
            await Committee.select(Committee.id, Committee.code, Committee.path, Committee.name)
            .where(code_on(code))
            .first()
        )
    if row is None:
        raise NotFound(N_("There is no committee with code %(code)s."), params={"code": code})
    return row


committee_row = _committee


async def publish(
    source: str | Path | dict[str, str],
    committee_code: str,
    effective_from: dt.date,
    user_id: int | None = None,
    username: str = "system",
) -> PackVersionView:
    """Validate and store a pack for ``committee_code``; refuse with every error otherwise.

    ``source`` is a pack folder or its files. Nothing is stored unless every check passes.
    """
    files = dict(source) if isinstance(source, dict) else read_folder(source)
    label = Path(str(source)).name if not isinstance(source, dict) else "pack"
    if not files:
        raise PackRejected([PackError.worded(
            file=str(source), line=1, rule_id="-",
            message=N_("not a rule pack folder: it holds no .yaml files"),
        )])  # fmt: skip
    committee = await _committee(committee_code)
    pack, report = validate_files(files, label, committee["code"])
    if pack is None:
        raise PackRejected(report.errors)
    if effective_from > pack.plan.effective_to:
        raise InvalidInput(
            N_(
                "The plan ends on %(end)s, before %(start)s, the day it would come into force: "
                "it would never be in force."
            ),
            field="effective_from",
            params={
                "end": f"{pack.plan.effective_to:%d/%m/%Y}",
                "start": f"{effective_from:%d/%m/%Y}",
            },
        )
    async with tenant_scope(committee["path"]):
        taken = await RulePackVersion.exists().where(
            (RulePackVersion.committee == committee["id"])
            & (RulePackVersion.version == pack.version)
        )
        if taken:
            raise Conflict(
                N_("%(committee)s has already published this version of the plan."),
                params={"committee": committee["name"]},
            )
        row = RulePackVersion(
            committee=committee["id"], tenant_path=committee["path"], plan_id=pack.plan.id,
            version=pack.version, content_hash=pack.content_hash, year=pack.plan.year,
            name=pack.plan.name.vi[:400], effective_from=effective_from, published_by=user_id,
            files=files,
        )  # fmt: skip
        await row.save()
        await record(committee["id"], "rulepack.published", "rule_pack_version", row.id,
                     {"version": pack.version, "plan": pack.plan.id,
                      "effective_from": effective_from.isoformat()},
                     actor=Actor(user_id=user_id, username=username))  # fmt: skip
        saved = await RulePackVersion.select().where(RulePackVersion.id == row.id).first()
    assert saved is not None
    from giamsat.plans import in_force  # it builds on this module

    in_force.forget()
    from giamsat.plans.carry_over import left_behind  # carry_over builds on this module

    view = _view(saved, committee["code"])
    return msgspec.structs.replace(view, additions_left_behind=await left_behind(view))


async def _rows(where: Any) -> list[dict[str, Any]]:
    async with system_scope():
        rows = await RulePackVersion.select(
            *RulePackVersion.all_columns(), RulePackVersion.committee.code.as_alias("code")
        ).where(where)
    return list(rows)


async def active_pack(committee_path: str, on_date: dt.date) -> PublishedPack | None:
    """The pack in force for a committee on a date: the nearest issuer among the committee and
    its ancestors with a version in force then (``effective_from <= on_date <= effective_to``),
    and that issuer's latest such version; ``None`` when every pack has ended or not begun."""
    paths = ancestor_paths(committee_path)
    rows = await _rows(
        RulePackVersion.tenant_path.is_in(paths) & (RulePackVersion.effective_from <= on_date)
    )
    rows = [r for r in rows if _effective_to(r) >= on_date]
    if not rows:
        return None
    nearest = max(len(r["tenant_path"]) for r in rows)
    mine = [r for r in rows if len(r["tenant_path"]) == nearest]
    best = max(mine, key=lambda r: (r["effective_from"], r["id"]))
    return PublishedPack(view=_view(best, best["code"]), files=_files(best))


async def indicator_names(committee_path: str, on_date: dt.date) -> dict[str, tuple[str, str]]:
    """Indicator code → (Vietnamese, English) name in the catalogue of the pack in force
    (``giamsat.cases.provided.IndicatorNames``, provided to the case pages)."""
    pack = await active_pack(committee_path, on_date)
    if pack is None:
        return {}
    return {i.code: (i.text_vi, i.text_en) for i in pack.pack().indicators}


async def plan_name(version: str) -> tuple[str, str] | None:
    """The (Vietnamese, English) name of the plan a stored version carries
    (``giamsat.cases.provided.PlanName``, provided to the case pages)."""
    try:
        name = (await published_version(version)).pack().plan.name
    except NotFound:
        return None
    return name.vi, name.en


async def issuer_versions(issuer_path: str) -> list[PackVersionView]:
    """Every version one issuer published (any order)."""
    return [_view(r, r["code"]) for r in await _rows(RulePackVersion.tenant_path == issuer_path)]


async def published_over(committee_path: str) -> list[PublishedPack]:
    """Every version in force over a committee at some time: its own and its ancestors'
    (over the whole tree, ``/``: every version)."""
    if committee_path == "/":
        rows = await _rows(RulePackVersion.id.is_not_null())
    else:
        rows = await _rows(RulePackVersion.tenant_path.is_in(ancestor_paths(committee_path)))
    return [PublishedPack(view=_view(r, r["code"]), files=_files(r)) for r in rows]


async def history(committee_code: str) -> list[PackVersionView]:
    """Every version the committee and its ancestors published (newest effective first)."""
    committee = await _committee(committee_code)
    rows = await _rows(RulePackVersion.tenant_path.is_in(ancestor_paths(committee["path"])))
    rows.sort(key=lambda r: (r["effective_from"], r["id"]), reverse=True)
    return [_view(r, r["code"]) for r in rows]


async def published_version(version: str) -> PublishedPack:
    """A stored version by its version string (any issuer)."""
    rows = await _rows(RulePackVersion.version == version)
    if not rows:
        raise NotFound(N_("This version of the plan has not been published."))
    return PublishedPack(view=_view(rows[0], rows[0]["code"]), files=_files(rows[0]))


async def active_reporting(committee_path: str, on_date: dt.date) -> tuple[str, Reporting] | None:
    """The reporting section (what rolls up, to whom, by when) of the pack in force."""
    published = await active_pack(committee_path, on_date)
    if published is None:
        return None
    return published.version, published.pack().rules.reporting


__all__ = [
    "PackInvalid",
    "PackRejected",
    "PublishedPack",
    "active_pack",
    "active_reporting",
    "ancestor_paths",
    "committee_row",
    "history",
    "issuer_versions",
    "pack_view",
    "publish",
    "published_over",
    "published_version",
    "stored_files",
    "validate_files",
]
