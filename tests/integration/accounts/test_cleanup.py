"""Ended sessions and old failed logins do not pile up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from giamsat.accounts.jobs import cleanup
from giamsat.accounts.service import token_hash
from giamsat.accounts.tables import LoginAttempt, Session
from giamsat.db.scope import system_scope
from giamsat.jobs.registry import JobContext


async def test_cleanup_removes_only_what_has_ended(factory, db):
    # given a live session, an expired one, a recent failed login and an old one
    client, user = await factory.api_client("009")
    now = datetime.now(UTC)
    async with system_scope():
        live = (
            await Session.select(Session.id, Session.committee, Session.tenant_path)
            .where(Session.user == user.id)
            .first()
        )
        await Session.insert(
            Session(
                token_hash=token_hash("expired-token-for-cleanup"),
                user=user.id,
                committee=live["committee"],
                tenant_path=live["tenant_path"],
                csrf_token="x",
                expires_at=now - timedelta(minutes=1),
            )
        )
        await LoginAttempt.insert(
            LoginAttempt(throttle_key="user:009:cleanup-old", attempted_at=now - timedelta(days=2)),
            LoginAttempt(throttle_key="user:009:cleanup-new", attempted_at=now),
        )
    # when the job runs
    summary = await cleanup(JobContext(settings=db.settings(), slot_start=now, now=now))
    # then the expired session and the old attempt are gone, the rest stays
    async with system_scope():
        left = {
            r["token_hash"]
            for r in await Session.select(Session.token_hash).where(Session.user == user.id)
        }
        keys = {
            r["throttle_key"]
            for r in await LoginAttempt.select(LoginAttempt.throttle_key).where(
                LoginAttempt.throttle_key.like("user:009:cleanup-%")
            )
        }
    assert token_hash("expired-token-for-cleanup") not in left
    assert len(left) == 1
    assert keys == {"user:009:cleanup-new"}
    assert "expired sessions" in summary
    assert (await client.get("/api/v1/me")).status_code == 200
