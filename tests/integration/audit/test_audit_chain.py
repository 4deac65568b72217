"""The audit log: chained per committee, atomic with the change, tamper-evident, tenant-private."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import msgspec
import pytest

from giamsat.audit.chain import GENESIS
from giamsat.audit.errors import AuditOutsideScope, PersonalDataInDetails
from giamsat.audit.service import recent, record, verify, verify_chains
from giamsat.audit.tables import AuditEntry
from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput
from tests.integration.audit.conftest import as_owner, context_for

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))


async def _record_three(code: str, factory) -> list:
    user = await factory.user(code, "standing_board")
    ctx = await context_for(code, user)
    for status in ("received", "verifying", "concluded"):
        async with tenant_scope(ctx.path):
            await record(ctx, "case.status_changed", "case", 41, {"to": status})
    return list(reversed(await recent(code, limit=3)))


async def test_entries_chain_and_verify(db, factory):
    # given three status changes of one case in Phường Phú Thượng (00091)
    entries = await _record_three("00091", factory)
    # then they are numbered 1..3, each linking to the previous hash, the first to the genesis
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.prev_hash for e in entries] == [GENESIS, entries[0].hash, entries[1].hash]
    assert entries[0].actor_username.startswith("u")
    assert entries[0].subject_id == "41"
    # and the chain verifies, counted entry by entry
    report = await verify_chains("00091")
    assert (report.entries, report.chains, report.breaks) == (3, 1, [])
    # and the newest entries read back newest first with their details
    shown = await recent("00091", limit=2)
    assert [(e.seq, e.details) for e in shown] == [
        (3, {"to": "concluded"}),
        (2, {"to": "verifying"}),
    ]
    # and the operator's command prints them the same way
    code, out = await _cli(db, "show", "00091", "--limit", "2")
    assert code == 0
    assert [line.split("\t")[0::3] for line in out.splitlines()] == [
        ["3", "case.status_changed"],
        ["2", "case.status_changed"],
    ]


async def test_another_commune_cannot_see_the_entries(db, factory):
    # given entries of Phường Nhật Tân (00094)
    await _record_three("00094", factory)
    neighbour = await context_for("00097")
    # when Phường Tứ Liên (00097) reads the audit table without any filter of its own
    async with tenant_scope(neighbour.path):
        visible = await AuditEntry.select(AuditEntry.committee).where(
            AuditEntry.committee == (await context_for("00094")).committee_id
        )
    # then on PostgreSQL row-level security hides them all (SQLite has no second wall)
    if db.backend == "postgres":
        assert visible == []
    # and through the service, Tứ Liên's log shows none of Nhật Tân's entries
    assert await recent("00097") == []
    assert len(await recent("00094")) == 3


async def test_entry_rolls_back_with_the_change(db, factory):
    # given a scope in which the change fails after the audit row was written
    ctx = await context_for("00100")

    async def failing_change() -> None:
        async with tenant_scope(ctx.path):
            await record(ctx, "identity.disclosed", "signal", 7, {"approved_by": 3})
            raise RuntimeError("the change itself failed")

    # when it runs
    with pytest.raises(RuntimeError):
        await failing_change()
    # then no audit row survives
    assert await recent("00100") == []


async def test_record_outside_a_covering_scope_is_refused(db):
    ctx = await context_for("00103")
    # when no scope is open
    with pytest.raises(AuditOutsideScope, match="needs an open scope"):
        await record(ctx, "export.downloaded", "report", 1, {})
    # when the open scope is another commune's
    async with tenant_scope((await context_for("00106")).path):
        with pytest.raises(AuditOutsideScope, match="covers another committee") as refused:
            await record(ctx, "export.downloaded", "report", 1, {})
    # and the refusal names the committee by its name, never by its tenant path
    assert refused.value.params == {"committee": ctx.committee_name}
    assert ctx.path not in refused.value.message
    assert await recent("00103") == []


@pytest.mark.parametrize(
    ("details", "where", "said"),
    [
        ({"reporter_name": "Nguyễn Văn A"}, "details.reporter_name", "would hold personal data"),
        ({"changes": {"phone": "0912345678"}}, "details.changes.phone", "personal data"),
        ({"note": "x" * 300}, "details.note", "at most 200 characters"),
        ({"Bad Key": 1}, "details.Bad Key", "lower case with underscores"),
    ],
)
async def test_personal_data_and_free_text_are_refused(db, details, where, said):
    ctx = await context_for("00109")
    async with tenant_scope(ctx.path):
        with pytest.raises(PersonalDataInDetails) as info:
            await record(ctx, "case.updated", "case", 1, details)
    # then the reader is told what is wrong in plain words; the key path is for the developer
    assert said in info.value.message and where not in info.value.message
    assert info.value.params["where"] == where
    # and nothing was recorded
    assert await recent("00109") == []


async def test_malformed_action_is_refused(db):
    ctx = await context_for("00109")
    async with tenant_scope(ctx.path):
        with pytest.raises(InvalidInput, match="must look like"):
            await record(ctx, "Changed status", "case", 1, {})


async def test_concurrent_appends_keep_one_unbroken_chain(db):
    # given twelve writers appending to Phường Bưởi (00109) at once, each in its own transaction
    ctx = await context_for("00109")

    async def append(n: int) -> None:
        async with tenant_scope(ctx.path):
            await record(ctx, "case.assigned", "case", n, {"n": n})

    await asyncio.gather(*(append(n) for n in range(12)))
    # then every position was taken exactly once and the chain verifies
    entries = await recent("00109", limit=20)
    assert sorted(e.seq for e in entries) == list(range(1, 13))
    assert sorted(e.details["n"] for e in entries) == list(range(12))
    assert await verify("00109") == []


async def test_entries_recorded_in_one_scope_append_in_order_at_its_commit(db):
    # given one scope of Phường Nghĩa Tân (00160) that records two changes and, in an inner
    # scope, one of its neighbour Phường Mai Dịch (00163)
    nghia_tan, mai_dich = await context_for("00160"), await context_for("00163")
    async with tenant_scope(nghia_tan.path):
        await record(nghia_tan, "case.assigned", "case", 1, {"n": 1})
        async with tenant_scope(mai_dich.path):
            await record(mai_dich, "case.assigned", "case", 2, {"n": 2})
        await record(nghia_tan, "case.assigned", "case", 3, {"n": 3})
        # then nothing is appended before the scope commits
        assert await AuditEntry.count().where(AuditEntry.committee == nghia_tan.committee_id) == 0
    # and after it each chain holds its own entries, in the order they were recorded
    assert [(e.seq, e.subject_id) for e in await recent("00160")] == [(2, "3"), (1, "1")]
    assert [(e.seq, e.subject_id) for e in await recent("00163")] == [(1, "2")]


async def _cli(db, *args: str) -> tuple[int, str]:
    env = {**os.environ, "GIAMSAT_DATABASE_URL": db.url}
    proc = await asyncio.create_subprocess_exec(
        GIAMSAT, "audit", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_tampering_is_detected_and_named(append_only, factory):
    db = append_only
    # given a verified chain in Phường Thụy Khuê (00112)
    entries = await _record_three("00112", factory)
    code, out = await _cli(db, "verify", "--committee", "00112")
    assert (code, out.strip()) == (0, "ok: 3 entries in 1 chains")
    original = msgspec.json.encode(entries[1].details).decode()
    # when the owner rewrites the details of entry 2 directly in the database
    await as_owner(db, "UPDATE audit_entry SET details = $1 WHERE id = $2",
                   '{"to":"dismissed"}', entries[1].id)  # fmt: skip
    try:
        # then verification names committee, seq and what differs
        breaks = await verify("00112")
        named = [(b.committee_code, b.seq, b.entry_id) for b in breaks]
        assert named == [("00112", 2, entries[1].id)]
        assert "contents do not match the stored hash" in breaks[0].problem
        # and the CLI says the same and exits non-zero
        code, out = await _cli(db, "verify")
        assert code == 1
        assert f"committee 00112 seq 2 (entry {entries[1].id}): contents do not match" in out
    finally:
        restore = "UPDATE audit_entry SET details = $1 WHERE id = $2"
        await as_owner(db, restore, original, entries[1].id)
    assert await verify("00112") == []


async def test_removed_entry_breaks_the_link(append_only, factory):
    db = append_only
    # given a chain of three in Phường Thượng Thanh (00115)
    entries = await _record_three("00115", factory)
    # when the owner deletes the middle entry
    await as_owner(db, "DELETE FROM audit_entry WHERE id = $1", entries[1].id)
    # then the break is named at the entry after the gap
    breaks = await verify("00115")
    assert [(b.seq, b.problem) for b in breaks] == [(3, "sequence gap: expected seq 2, found 3")]


@pytest.mark.postgres_only
async def test_application_role_cannot_update_or_delete(append_only, factory):
    db = append_only
    if db.backend != "postgres":
        pytest.skip("the append-only trigger is PostgreSQL's")
    import asyncpg

    entries = await _record_three("00157", factory)
    ctx = await context_for("00157")
    # when the application role tries to rewrite or delete an entry
    for attempt in (
        AuditEntry.update({AuditEntry.details: "{}"}).where(AuditEntry.id == entries[0].id),
        AuditEntry.delete().where(AuditEntry.id == entries[0].id),
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            async with tenant_scope(ctx.path):
                await attempt
    # then the chain is untouched
    assert await verify("00157") == []
