"""Delivering the mail outbox: claim due rows, send after commit, record the outcome.

Rows are claimed (status ``sending``) in one short transaction, sent outside any transaction,
then settled. A process that dies mid-send leaves its claim to expire after ``CLAIM_LEASE``, so
mail is sent at least once; the ``outbox.deliver`` job runs once per slot across replicas, which
keeps duplicates to that crash window. On PostgreSQL the claim skips rows another claimer holds.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from giamsat.db.engine import is_postgres
from giamsat.db.scope import system_scope
from giamsat.notifications.mail import OutgoingMail, compose, send_all
from giamsat.notifications.schemas import DeliveryReport
from giamsat.notifications.tables import MailOutbox
from giamsat.settings import Settings

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4 … minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 120))


async def _claim(limit: int, now: datetime) -> list[dict[str, Any]]:
    due = ((MailOutbox.status == "pending") & (MailOutbox.next_attempt_at <= now)) | (
        (MailOutbox.status == "sending") & (MailOutbox.claimed_at < now - CLAIM_LEASE)
    )
    async with system_scope():
        query = MailOutbox.select(
            MailOutbox.id, MailOutbox.to_address, MailOutbox.subject, MailOutbox.language,
            MailOutbox.link, MailOutbox.attempts,
        ).where(due).order_by(MailOutbox.id).limit(limit)  # fmt: skip
        if is_postgres():
            query = query.lock_rows("UPDATE", skip_locked=True)
        rows: list[dict[str, Any]] = await query
        if rows:
            await MailOutbox.update(
                {MailOutbox.status: "sending", MailOutbox.claimed_at: now}
            ).where(MailOutbox.id.is_in([r["id"] for r in rows]))
    return rows


async def deliver_outbox(settings: Settings, limit: int = 100, *, now: datetime | None = None
                         ) -> DeliveryReport:  # fmt: skip
    """Send up to ``limit`` due mails; failures are retried later with backoff."""
    if not settings.smtp.host:
        return DeliveryReport(configured=False)
    now = now or datetime.now(UTC)
    rows = await _claim(limit, now)
    if not rows:
        return DeliveryReport()
    messages = [
        compose(OutgoingMail(to_address=r["to_address"], subject=r["subject"],
                             language=r["language"], link=r["link"]),
                settings.smtp.sender, settings.base_url)
        for r in rows
    ]  # fmt: skip
    errors = await asyncio.to_thread(send_all, settings.smtp, messages)
    sent = retrying = failed = 0
    async with system_scope():
        for row, error in zip(rows, errors, strict=True):
            attempts = row["attempts"] + 1
            values: dict[Any, Any] = {MailOutbox.attempts: attempts, MailOutbox.claimed_at: None}
            if error is None:
                values |= {MailOutbox.status: "sent", MailOutbox.sent_at: now,
                           MailOutbox.last_error: ""}  # fmt: skip
                sent += 1
            elif attempts >= MAX_ATTEMPTS:
                values |= {MailOutbox.status: "failed", MailOutbox.last_error: error}
                failed += 1
            else:
                values |= {MailOutbox.status: "pending", MailOutbox.last_error: error,
                           MailOutbox.next_attempt_at: now + backoff(attempts)}  # fmt: skip
                retrying += 1
            await MailOutbox.update(values).where(MailOutbox.id == row["id"])
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)
