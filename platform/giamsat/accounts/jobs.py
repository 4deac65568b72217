"""Periodic work of accounts: forget ended sessions and old failed logins."""

from __future__ import annotations

from datetime import timedelta

from giamsat.accounts.tables import LoginAttempt, Session
from giamsat.db.scope import system_scope
from giamsat.jobs.registry import JobContext, JobRegistry


async def cleanup(ctx: JobContext) -> str:
    """Xóa phiên đã hết hạn và lần đăng nhập sai cũ (expired sessions, stale failed logins)."""
    stale = ctx.now - timedelta(seconds=ctx.settings.login_window_seconds)
    async with system_scope():
        sessions = await Session.delete().where(Session.expires_at <= ctx.now).returning(Session.id)
        attempts = (
            await LoginAttempt.delete()
            .where(LoginAttempt.attempted_at <= stale)
            .returning(LoginAttempt.id)
        )
    return f"{len(sessions)} expired sessions, {len(attempts)} stale failed logins removed"


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("accounts.cleanup", timedelta(hours=1), cleanup)
