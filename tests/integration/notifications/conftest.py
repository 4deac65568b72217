"""A real SMTP server on loopback (aiosmtpd) and helpers of the notification tests."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import msgspec
import pytest
from aiosmtpd.controller import Controller

from giamsat.accounts.schemas import UserCreate, UserView
from giamsat.accounts.service import create_user
from giamsat.settings import Settings, SmtpSettings
from tests.factories import PASSWORD
from tests.integration.audit.conftest import context_for

__all__ = ["Mailbox", "context_for", "free_port", "staff", "with_smtp"]
_names = itertools.count(1)


def free_port() -> int:
    """A loopback port nobody listens on (for the "server down" case, and to start one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """aiosmtpd handler keeping every accepted message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def with_smtp(settings: Settings, port: int) -> Settings:
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="giamsat@mttq.hanoi.test")
    return msgspec.structs.replace(settings, smtp=smtp, base_url="https://giamsat.test")


async def staff(code: str, role: str, *, email: bool = True) -> UserView:
    name = f"n{next(_names)}-{role[:5]}-{code}".replace("_", "-")
    return await create_user(code, UserCreate(
        username=name, role=role, password=PASSWORD, full_name=f"Cán bộ {name}",
        email=f"{name}@mttq.hanoi.test" if email else "",
    ))  # fmt: skip
