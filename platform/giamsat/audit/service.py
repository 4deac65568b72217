"""Recording and verifying audit entries.

:func:`record` appends to the committee's chain inside the caller's open scope, so the change
and its audit row commit (or roll back) together. Appends to one chain are serialised: on
PostgreSQL by a transaction-level advisory lock per committee, taken just before the scope
commits, on SQLite by the scope's ``BEGIN IMMEDIATE``; the unique ``chain_position`` is the last
line of defence. The tail is found through the ``(committee, seq)`` index.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import msgspec

from giamsat.audit.chain import GENESIS, SealedFields, canonical_details, entry_hash, timestamp
from giamsat.audit.details import check_details
from giamsat.audit.errors import AuditOutsideScope
from giamsat.audit.schemas import Actor, AuditEntryView, ChainBreak, ChainReport
from giamsat.audit.tables import AuditEntry
from giamsat.db import bulk
from giamsat.db.engine import is_postgres
from giamsat.db.scope import active_tenant_path, before_commit, system_scope, tenant_scope
from giamsat.errors import InvalidInput, NotFound
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import code_on
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_

#: First key of the two-key advisory lock, so audit locks never collide with other areas' locks.
AUDIT_LOCK_NAMESPACE = 0x4155  # "AU"
_ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
_PAGE = 1000


class _Target(msgspec.Struct, frozen=True):
    committee_id: int
    code: str
    path: str
    name: str = ""


async def _target(ctx_or_committee: TenantContext | int) -> tuple[_Target, Actor]:
    if isinstance(ctx_or_committee, TenantContext):
        ctx = ctx_or_committee
        actor = Actor(user_id=ctx.user_id, username=ctx.username or "system")
        return _Target(ctx.committee_id, ctx.committee_code, ctx.path, ctx.committee_name), actor
    row = (
        await Committee.select(Committee.code, Committee.path, Committee.name)
        .where(Committee._meta.primary_key == ctx_or_committee)
        .first()
    )
    if row is None:
        raise NotFound(N_("This committee does not exist."))
    return _Target(ctx_or_committee, row["code"], row["path"], row["name"]), Actor()


def _check_action(action: str) -> None:
    if not _ACTION.match(action):
        raise InvalidInput(
            N_("The audit action %(action)s must look like “case.status_changed”."),
            field="action",
            params={"action": action},
        )


def _outside_scope(target: _Target, active: str | None) -> AuditOutsideScope:
    """A programming error: the audit row would not commit with the change it records."""
    if active is None:
        return AuditOutsideScope(
            N_("The audit record for %(committee)s needs an open scope, and none is open."),
            params={"committee": target.name or target.code},
        )
    return AuditOutsideScope(
        N_(
            "The audit record for %(committee)s needs an open scope covering it; the open one "
            "covers another committee."
        ),
        params={"committee": target.name or target.code},
    )


async def record(
    ctx_or_committee: TenantContext | int,
    action: str,
    subject_type: str,
    subject_id: str | int,
    details: dict[str, Any],
    *,
    actor: Actor | None = None,
) -> None:
    """Append one entry to the committee's chain; call inside the scope making the change.

    The entry is checked at once and appended when the outermost scope commits, so the chain's
    per-committee lock is held from the append to the commit, not for the whole change; a scope
    that fails appends nothing."""
    _check_action(action)
    check_details(details)
    target, ctx_actor = await _target(ctx_or_committee)
    actor = actor or ctx_actor
    active = active_tenant_path()
    if active is None or not target.path.startswith(active):
        raise _outside_scope(target, active)
    at = datetime.now(UTC)
    pending = _Pending(target=target, actor=actor, action=action, subject_type=subject_type,
                       subject_id=str(subject_id), details=details, at=at)  # fmt: skip
    before_commit(pending.append)


class _Pending(msgspec.Struct, kw_only=True):
    """An entry waiting for its scope's commit: the chain's lock is taken only to append it."""

    target: _Target
    actor: Actor
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    at: datetime

    async def append(self) -> None:
        target, actor = self.target, self.actor
        # the scope that recorded the entry covered it; the outermost one may not
        async with tenant_scope(target.path):
            if is_postgres():
                await AuditEntry.raw(
                    "SELECT pg_advisory_xact_lock({}, {})",
                    AUDIT_LOCK_NAMESPACE, target.committee_id,
                )  # fmt: skip
            # the tail by the (committee, seq) index: one row, however long the chain
            last = await (
                AuditEntry.select(AuditEntry.seq, AuditEntry.hash)
                .where(AuditEntry.committee == target.committee_id)
                .order_by(AuditEntry.seq, ascending=False)
                .first()
            )
            seq = 1 if last is None else last["seq"] + 1
            prev_hash = GENESIS if last is None else last["hash"]
            sealed = SealedFields(
                committee_id=target.committee_id, seq=seq, at=timestamp(self.at),
                actor_id=actor.user_id, actor_username=actor.username, action=self.action,
                subject_type=self.subject_type, subject_id=self.subject_id,
                details=self.details, prev_hash=prev_hash,
            )  # fmt: skip
            await AuditEntry(
                committee=target.committee_id, tenant_path=target.path, seq=seq,
                chain_position=f"{target.committee_id}:{seq}", at=self.at,
                actor_id=actor.user_id, actor_username=actor.username, action=self.action,
                subject_type=self.subject_type, subject_id=self.subject_id,
                details=canonical_details(self.details), prev_hash=prev_hash,
                hash=entry_hash(sealed),
            ).save()  # fmt: skip


class AuditItem(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of :func:`record_many`."""

    committee_id: int
    action: str
    subject_type: str
    subject_id: str | int
    details: dict[str, Any]
    actor: Actor = Actor()


_ENTRY_COLUMNS = [
    bulk.Column("committee", "int"), bulk.Column("tenant_path", "text"), bulk.Column("seq", "int"),
    bulk.Column("chain_position", "text"), bulk.Column("at", "timestamptz"),
    bulk.Column("actor_id", "int"), bulk.Column("actor_username", "text"),
    bulk.Column("action", "text"), bulk.Column("subject_type", "text"),
    bulk.Column("subject_id", "text"), bulk.Column("details", "text"),
    bulk.Column("prev_hash", "text"), bulk.Column("hash", "text"),
]  # fmt: skip


async def record_many(items: list[AuditItem]) -> None:
    """Append many entries (each checked as :func:`record` checks one), in their order within
    each committee's chain, when the outermost scope commits: one lock per committee taken in
    committee order, every tail read and every entry written in one statement."""
    if not items:
        return
    for item in items:
        _check_action(item.action)
        check_details(item.details)
    wanted = sorted({i.committee_id for i in items})
    rows = await Committee.select(Committee._meta.primary_key, Committee.code,
                                  Committee.path, Committee.name).where(
        Committee._meta.primary_key.is_in(wanted))  # fmt: skip
    targets = {int(r["id"]): _Target(int(r["id"]), r["code"], r["path"], r["name"])
               for r in rows}  # fmt: skip
    if set(wanted) - set(targets):
        raise NotFound(N_("This committee does not exist."))
    active = active_tenant_path()
    for target in targets.values():
        if active is None or not target.path.startswith(active):
            raise _outside_scope(target, active)
    at = datetime.now(UTC)
    batch = _Batch(targets=targets, items=list(items), at=at, scope=active or "/")
    before_commit(batch.append)


class _Batch(msgspec.Struct, kw_only=True):
    """Entries of :func:`record_many` waiting for their scope's commit."""

    targets: dict[int, _Target]
    items: list[AuditItem]
    at: datetime
    scope: str

    async def append(self) -> None:
        order = sorted(self.targets)
        async with tenant_scope(self.scope):
            tails = await _tails(order)
            rows: list[list[Any]] = []
            for item in self.items:
                target = self.targets[item.committee_id]
                seq, prev_hash = tails.get(target.committee_id, (0, GENESIS))
                seq += 1
                actor, subject_id = item.actor, str(item.subject_id)
                sealed = SealedFields(
                    committee_id=target.committee_id, seq=seq, at=timestamp(self.at),
                    actor_id=actor.user_id, actor_username=actor.username, action=item.action,
                    subject_type=item.subject_type, subject_id=subject_id,
                    details=item.details, prev_hash=prev_hash,
                )  # fmt: skip
                digest = entry_hash(sealed)
                rows.append([
                    target.committee_id, target.path, seq, f"{target.committee_id}:{seq}",
                    self.at, actor.user_id, actor.username, item.action, item.subject_type,
                    subject_id, canonical_details(item.details), prev_hash, digest,
                ])  # fmt: skip
                tails[target.committee_id] = (seq, digest)
            await bulk.insert_rows("audit_entry", _ENTRY_COLUMNS, rows)


async def _tails(committee_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Each chain's last (seq, hash), read under the chains' locks (PostgreSQL: taken here, in
    committee order, so two writers of overlapping committees never wait on each other)."""
    if is_postgres():
        await bulk.execute(
            "SELECT pg_advisory_xact_lock($1, x) FROM unnest($2::int[]) AS x ORDER BY x",
            AUDIT_LOCK_NAMESPACE, committee_ids,
        )  # fmt: skip
        rows = await bulk.fetch(
            "SELECT c AS committee, a.seq, a.hash FROM unnest($1::int[]) AS c "
            "LEFT JOIN LATERAL (SELECT seq, hash FROM audit_entry e WHERE e.committee = c "
            "                   ORDER BY seq DESC LIMIT 1) AS a ON true",
            committee_ids,
        )
    else:
        rows = await bulk.fetch_any(
            "SELECT committee, seq, hash FROM audit_entry a WHERE "
            + bulk.ids_condition("committee", committee_ids)
            + " AND seq = (SELECT MAX(seq) FROM audit_entry b WHERE b.committee = a.committee)",
            committee_ids,
        )
    return {int(r["committee"]): (int(r["seq"]), str(r["hash"]))
            for r in rows if r["seq"] is not None}  # fmt: skip


def _view(row: dict[str, Any]) -> AuditEntryView:
    return AuditEntryView(
        id=row["id"], committee_code=row["committee.code"], seq=row["seq"], at=row["at"],
        actor_id=row["actor_id"], actor_username=row["actor_username"], action=row["action"],
        subject_type=row["subject_type"], subject_id=row["subject_id"],
        details=msgspec.json.decode(row["details"]), prev_hash=row["prev_hash"], hash=row["hash"],
    )  # fmt: skip


_COLUMNS = (
    AuditEntry.id, AuditEntry.committee, AuditEntry.committee.code, AuditEntry.seq, AuditEntry.at,
    AuditEntry.actor_id, AuditEntry.actor_username, AuditEntry.action, AuditEntry.subject_type,
    AuditEntry.subject_id, AuditEntry.details, AuditEntry.prev_hash, AuditEntry.hash,
)  # fmt: skip


async def _committee_by_code(code: str) -> dict[str, Any]:
    async with system_scope():
        row: dict[str, Any] | None = (
            await Committee.select(Committee._meta.primary_key, Committee.code, Committee.path)
            .where(code_on(code))
            .first()
        )
    if row is None:
        raise NotFound(
            N_("There is no committee with code %(code)s."),
            field="committee",
            params={"code": code},
        )
    return row


async def recent(committee_code: str, limit: int = 20) -> list[AuditEntryView]:
    """The newest entries of one committee's chain, newest first."""
    if limit < 1:
        raise InvalidInput(N_("The number of entries must be at least 1."), field="limit")
    committee = await _committee_by_code(committee_code)
    async with tenant_scope(committee["path"]):
        rows = await (
            AuditEntry.select(*_COLUMNS)
            .where(AuditEntry.committee == committee["id"])
            .order_by(AuditEntry.seq, ascending=False)
            .limit(limit)
        )
    return [_view(r) for r in rows]


async def verify_chains(committee_code: str | None = None) -> ChainReport:
    """Walk every chain (or one committee's) and report the first break of each."""
    if committee_code is None:
        path = "/"
        async with system_scope():
            rows = await AuditEntry.select(AuditEntry.committee).distinct()
        committee_ids = sorted(r["committee"] for r in rows)
    else:
        committee = await _committee_by_code(committee_code)
        path, committee_ids = committee["path"], [committee["id"]]
    entries, chains, breaks = 0, 0, []
    for committee_id in committee_ids:
        count, problem = await _verify_chain(path, committee_id)
        entries, chains = entries + count, chains + (1 if count else 0)
        if problem is not None:
            breaks.append(problem)
    return ChainReport(entries=entries, chains=chains, breaks=breaks)


async def verify(committee_code: str | None = None) -> list[ChainBreak]:
    """Every chain's first break; empty when all chains verify."""
    return (await verify_chains(committee_code)).breaks


async def _verify_chain(path: str, committee_id: int) -> tuple[int, ChainBreak | None]:
    """Check one chain page by page (short transactions: on SQLite a scope holds the write lock)."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    while True:
        async with tenant_scope(path):
            page = await (
                AuditEntry.select(*_COLUMNS)
                .where((AuditEntry.committee == committee_id) & (AuditEntry.seq >= expected_seq))
                .order_by(AuditEntry.seq)
                .limit(_PAGE)
            )
        for row in page:
            count += 1
            problem = _check_entry(row, expected_seq, prev_hash)
            if problem is not None:
                return count, ChainBreak(committee_code=row["committee.code"], seq=row["seq"],
                                         entry_id=row["id"], problem=problem)  # fmt: skip
            expected_seq, prev_hash = row["seq"] + 1, row["hash"]
        if len(page) < _PAGE:
            return count, None


def _check_entry(row: dict[str, Any], expected_seq: int, prev_hash: str) -> str | None:
    """What is wrong with ``row`` as the next link of the chain, or None."""
    if row["seq"] != expected_seq:
        return f"sequence gap: expected seq {expected_seq}, found {row['seq']}"
    if row["prev_hash"] != prev_hash:
        return (f"prev_hash {row['prev_hash'][:12]}… does not match the hash of the previous "
                f"entry {prev_hash[:12]}… (the previous entry was altered or removed)")  # fmt: skip
    try:
        details = msgspec.json.decode(row["details"])
    except msgspec.DecodeError:
        return "details are not valid JSON"
    computed = entry_hash(SealedFields(
        committee_id=row["committee"], seq=row["seq"], at=timestamp(row["at"]),
        actor_id=row["actor_id"], actor_username=row["actor_username"], action=row["action"],
        subject_type=row["subject_type"], subject_id=row["subject_id"], details=details,
        prev_hash=row["prev_hash"],
    ))  # fmt: skip
    if computed != row["hash"]:
        return (f"contents do not match the stored hash (stored {row['hash'][:12]}…, "
                f"computed {computed[:12]}…): a field of this entry was changed")  # fmt: skip
    return None
