"""Composing and sending mail over SMTP (smtplib, run in a worker thread by the outbox)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import msgspec

from giamsat.settings import SmtpSettings
from giamsat.web.i18n import N_, Translator


class OutgoingMail(msgspec.Struct, frozen=True, kw_only=True):
    to_address: str
    #: The notification's title in the recipient's language (``language``).
    subject: str
    language: str
    link: str


def compose(mail: OutgoingMail, sender: str, base_url: str) -> EmailMessage:
    """A short message in the recipient's language: the title and a link. The notification's
    body stays in the app, since it may name a reporter."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or "localhost")
    sign_in = Translator(mail.language).gettext(N_("Sign in to read the details:"))
    lines = [mail.subject, "", sign_in, base_url.rstrip("/") + (mail.link or "/")]
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def send_all(smtp: SmtpSettings, messages: list[EmailMessage]) -> list[str | None]:
    """Send over one connection; per message, None when accepted or the error text.

    Blocking: call through ``asyncio.to_thread``.
    """
    try:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
    except (OSError, smtplib.SMTPException) as exc:
        return [_describe(exc)] * len(messages)
    results: list[str | None] = []
    try:
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
        if smtp.user:
            client.login(smtp.user, smtp.password)
        for message in messages:
            try:
                client.send_message(message)
                results.append(None)
            except smtplib.SMTPRecipientsRefused as exc:
                results.append(_describe(exc))
    except (OSError, smtplib.SMTPException) as exc:
        results += [_describe(exc)] * (len(messages) - len(results))
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return results
