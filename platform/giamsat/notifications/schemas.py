"""Boundary structs of notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Title(msgspec.Struct, frozen=True, kw_only=True):
    """A title in Vietnamese (shown by default) and English."""

    vi: ShortText
    en: Annotated[str, msgspec.Meta(max_length=200)] = ""


class NotificationView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    title_vi: str
    title_en: str
    body: str
    link: str
    via_role: str | None
    created_at: datetime
    read_at: datetime | None

    def title(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title_vi


class NotifyResult(msgspec.Struct, frozen=True, kw_only=True):
    notifications: int
    mails: int


class DeliveryReport(msgspec.Struct, frozen=True, kw_only=True):
    """What one outbox run did; ``configured`` is False when no SMTP host is set."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    configured: bool = True

    def describe(self) -> str:
        if not self.configured:
            return "smtp host not configured: mail left in the outbox"
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} given up"
