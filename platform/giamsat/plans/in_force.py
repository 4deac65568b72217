"""The packs in force, kept per process for deciding batches of signals.

:func:`giamsat.plans.service.active_pack` reads and decodes every stored version of the
committee's issuers (files included) on each call, and :func:`~giamsat.plans.additions.combined`
reads the additions: fine for a page, too much for each batch of a sheet job. Here a batch reads
only the stored versions' and additions' identities (id, version, issuer, effective date: a few
short rows, no files) and looks them up in the process's :class:`PacksInForce` keyed by them;
files are read once per version (a version is a content hash, so its files never change), and
the pack in force for a (committee, date) is worked out once per key, with exactly the rules of
``active_pack`` + ``combined``.

Publishing a version or an addition changes the key, so the next batch after a publish (in this
process or another replica) decides with the new pack; :func:`forget` (called by ``publish``
and ``publish_addition``) also drops what this process keeps at once.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from giamsat.db.scope import system_scope
from giamsat.plans.additions import combined
from giamsat.plans.service import PublishedPack, pack_view, stored_files
from giamsat.plans.tables import RulePackAddition, RulePackVersion
from giamsat.rulepacks import CompiledPack
from giamsat.tenancy.paths import ancestor_paths

InForce = tuple[PublishedPack, CompiledPack] | None

_VERSION_COLUMNS = (
    RulePackVersion.id, RulePackVersion.tenant_path, RulePackVersion.plan_id,
    RulePackVersion.version, RulePackVersion.year, RulePackVersion.name,
    RulePackVersion.effective_from, RulePackVersion.published_at, RulePackVersion.published_by,
    RulePackVersion.committee.code.as_alias("code"),
)  # fmt: skip
_ADDITION_COLUMNS = (
    RulePackAddition.id, RulePackAddition.tenant_path, RulePackAddition.base_version,
    RulePackAddition.content_hash, RulePackAddition.effective_from,
)  # fmt: skip


class PacksInForce:
    """The stored versions and additions of one moment; :meth:`in_force` per (path, date)."""

    def __init__(self, versions: list[dict[str, Any]], additions: list[dict[str, Any]]) -> None:
        self._versions = versions
        self._additions = additions
        self._found: dict[tuple[str, dt.date], InForce] = {}

    async def in_force(self, committee_path: str, on: dt.date) -> InForce:
        """The pack in force for the committee on the date (``active_pack``) with the additions
        to it effective then (``combined``); None when no pack covers the date."""
        key = (committee_path, on)
        if key not in self._found:
            self._found[key] = await self._work_out(committee_path, on)
        return self._found[key]

    async def _work_out(self, committee_path: str, on: dt.date) -> InForce:
        paths = set(ancestor_paths(committee_path))
        rows = [r for r in self._versions
                if r["tenant_path"] in paths and r["effective_from"] <= on]  # fmt: skip
        candidates = []
        for row in rows:
            files = await _files(row["version"])
            pack = PublishedPack(view=pack_view(row, files), files=files)
            if pack.view.effective_to is not None and pack.view.effective_to >= on:
                candidates.append((row, pack))
        if not candidates:
            return None
        nearest = max(len(r["tenant_path"]) for r, _ in candidates)
        mine = [(r, p) for r, p in candidates if len(r["tenant_path"]) == nearest]
        _, best = max(mine, key=lambda rp: (rp[0]["effective_from"], rp[0]["id"]))
        added = any(a["base_version"] == best.version and a["effective_from"] <= on
                    for a in self._additions)  # fmt: skip
        return best, (await combined(best, on) if added else best.compiled())


_LOCK = threading.Lock()
_KEPT: dict[tuple[Any, ...], PacksInForce] = {}
_FILES: dict[str, dict[str, str]] = {}


def forget() -> None:
    """Drop what this process keeps (a pack or an addition was just published)."""
    with _LOCK:
        _KEPT.clear()


async def _files(version: str) -> dict[str, str]:
    with _LOCK:
        hit = _FILES.get(version)
    if hit is not None:
        return hit
    async with system_scope():
        row = await (
            RulePackVersion.select(RulePackVersion.files)
            .where(RulePackVersion.version == version)
            .first()
        )
    files = stored_files(row) if row is not None else {}
    with _LOCK:
        return _FILES.setdefault(version, files)


def _key(versions: list[dict[str, Any]], additions: list[dict[str, Any]]) -> tuple[Any, ...]:
    return (
        tuple((r["id"], r["version"], r["tenant_path"], r["effective_from"]) for r in versions),
        tuple(
            (a["id"], a["base_version"], a["tenant_path"], a["content_hash"], a["effective_from"])
            for a in additions
        ),
    )


async def packs_in_force() -> PacksInForce:
    """The process's packs for the stored versions and additions as they are now (two short
    queries; the files and compiled packs come from what the process keeps)."""
    async with system_scope():
        versions = list(
            await RulePackVersion.select(*_VERSION_COLUMNS).order_by(RulePackVersion.id)
        )
        additions = list(
            await RulePackAddition.select(*_ADDITION_COLUMNS).order_by(RulePackAddition.id)
        )
    key = _key(versions, additions)
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is None:
            _KEPT.clear()  # one moment is kept: the stored packs only ever grow
            kept = _KEPT[key] = PacksInForce(versions, additions)
    return kept
