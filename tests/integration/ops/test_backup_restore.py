"""Backup and restore: a round trip that keeps every row, the RLS policies and the audit chain."""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from giamsat.audit.service import record
from giamsat.db.registry import all_tables
from giamsat.db.scope import tenant_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database
from giamsat.signals.tables import Signal
from giamsat.signals.writer import write_signal
from tests.conftest import PG_SERVER, Database
from tests.integration.audit.conftest import context_for

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))


def _giamsat(*args: str, database_url: str, admin_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIAMSAT_DATABASE_URL": database_url,
        "GIAMSAT_ADMIN_DATABASE_URL": admin_url,
        "GIAMSAT_SECRET_KEY": "backup-test",
    }
    return subprocess.run(
        [GIAMSAT, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


CODE = "00121"


async def _make_data(code: str, factory: Any) -> tuple[bytes, str]:
    """Users, a signal with a sealed reporter identity, audit entries; (key, sealed identity)."""
    user = await factory.user(code, "standing_board")
    ctx = await context_for(code, user)
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    plain = "Nguyễn Văn A, 0912345678".encode()
    sealed = base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain, None))
    tables = {t._meta.tablename: t for t in all_tables()}
    async with tenant_scope(ctx.path):
        signal = Signal(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            channel="citizen",
            kind="report",
            received_on=date(2022, 5, 4),
            body=f"backup {uuid.uuid4()}",
        )
        await write_signal(signal)
        if "portal_report" in tables:  # the citizens' portal keeps identities sealed here
            portal = tables["portal_report"]
            await portal.insert(
                portal(
                    signal=signal.id,
                    committee=ctx.committee_id,
                    tenant_path=ctx.path,
                    receipt_hash=uuid.uuid4().hex,
                    identity_sealed=sealed.decode(),
                )
            )
        else:
            await Signal.update({Signal.facts: {"identity_sealed": sealed.decode()}}).where(
                Signal.id == signal.id
            )
        for step in ("received", "verifying"):
            await record(ctx, "case.status_changed", "case", signal.id, {"to": step})
    return key, sealed.decode()


async def _postgres_contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    conn = await asyncpg.connect(url)
    try:
        names = [
            r["tablename"]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        contents = {
            name: [tuple(r) for r in await conn.fetch(f'SELECT * FROM "{name}" ORDER BY 1')]
            for name in names
        }
        contents["<policies>"] = [
            tuple(r)
            for r in await conn.fetch(
                "SELECT tablename, policyname, qual FROM pg_policies ORDER BY 1, 2"
            )
        ]
        contents["<sequences>"] = [
            tuple(r)
            for r in await conn.fetch(
                "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
            )
        ]
        return contents
    finally:
        await conn.close()


def _sqlite_contents(path: str) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}


async def test_backup_and_restore_round_trip(db: Database, factory: Any, tmp_path: Path) -> None:
    # given users, a signal with a sealed identity and audit entries
    key, sealed = await _make_data(CODE, factory)
    dump = tmp_path / "giamsat.dump"
    # when the owner backs up and restores into a new, empty database
    if db.backend == "postgres":
        target_owner, target_app = await create_postgres_database(PG_SERVER, "giamsat_restore")
    else:
        target_owner = target_app = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    try:
        done = _giamsat("ops", "backup", str(dump), database_url=db.url, admin_url=db.owner_url)
        assert done.returncode == 0, done.stderr
        done = _giamsat(
            "ops",
            "restore",
            str(dump),
            "--database-url",
            target_owner,
            database_url=target_app,
            admin_url=target_owner,
        )
        assert done.returncode == 0, done.stderr
        # then every table (and on PostgreSQL every policy and sequence) is identical
        if db.backend == "postgres":
            before, after = (
                await _postgres_contents(db.owner_url),
                await _postgres_contents(target_owner),
            )
            assert before["<policies>"], "the source has RLS policies to compare"
        else:
            before = _sqlite_contents(db.owner_url.split("sqlite:///", 1)[1])
            after = _sqlite_contents(target_owner.split("sqlite:///", 1)[1])
        assert after == before
        # and the sealed identity still opens with the key kept outside the database
        assert any(sealed in str(value) for rows in after.values() for row in rows for value in row)
        raw = base64.b64decode(sealed)
        assert AESGCM(key).decrypt(raw[:12], raw[12:], None).decode().startswith("Nguyễn")
        # and verifying every chain gives the same verdict on the copy as on the original
        # (other tests in this shared database tamper with chains on purpose)
        source = _giamsat("audit", "verify", database_url=db.url, admin_url=db.owner_url)
        restored = _giamsat("audit", "verify", database_url=target_app, admin_url=target_owner)
        assert (restored.returncode, restored.stdout, restored.stderr) == (
            source.returncode,
            source.stdout,
            source.stderr,
        )
        # and this test's own chain verifies on the restored copy, as the application role
        own = _giamsat("audit", "verify", "--committee", CODE, database_url=target_app,
                       admin_url=target_owner)  # fmt: skip
        assert own.returncode == 0, own.stderr
        assert own.stdout.startswith("ok: ")
    finally:
        if db.backend == "postgres":
            await drop_postgres_database(PG_SERVER, target_owner)


async def test_restore_refuses_a_database_that_is_not_empty(db: Database, tmp_path: Path) -> None:
    # given a backup of the session database
    dump = tmp_path / "giamsat.dump"
    assert (
        _giamsat("ops", "backup", str(dump), database_url=db.url, admin_url=db.owner_url).returncode
        == 0
    )
    # when it is restored over the live database
    done = _giamsat("ops", "restore", str(dump), database_url=db.url, admin_url=db.owner_url)
    # then nothing is touched and the operator is told why
    assert done.returncode == 1
    assert "exists" in done.stderr or "already has" in done.stderr


async def test_backup_refuses_to_overwrite_and_restore_rejects_garbage(
    db: Database, tmp_path: Path
) -> None:
    # given a file where the backup should go
    existing = tmp_path / "old.dump"
    existing.write_text("keep me")
    # when backing up onto it, then it is refused and kept
    done = _giamsat("ops", "backup", str(existing), database_url=db.url, admin_url=db.owner_url)
    assert done.returncode == 1 and "--force" in done.stderr
    assert existing.read_text() == "keep me"
    # when restoring a file that is not a backup into an empty database
    if db.backend == "postgres":
        target_owner, _ = await create_postgres_database(PG_SERVER, "giamsat_restore")
    else:
        target_owner = f"sqlite:///{tmp_path / 'new.sqlite'}"
    try:
        done = _giamsat(
            "ops",
            "restore",
            str(existing),
            "--database-url",
            target_owner,
            database_url=db.url,
            admin_url=db.owner_url,
        )
        # then a one-line error names the tool's complaint and no traceback is shown
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert ("pg_restore failed" in done.stderr) or ("cannot copy SQLite" in done.stderr)
    finally:
        if db.backend == "postgres":
            await drop_postgres_database(PG_SERVER, target_owner)
