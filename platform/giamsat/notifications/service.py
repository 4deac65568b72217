"""Sending (inside the caller's scope) and reading in-app notifications."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from giamsat.accounts.roles import parse_role
from giamsat.accounts.tables import User
from giamsat.db import bulk
from giamsat.db.engine import is_postgres
from giamsat.db.scope import active_tenant_path, tenant_scope
from giamsat.errors import ConfigurationError, InvalidInput, NotAuthenticated, NotFound
from giamsat.notifications.schemas import NotificationView, NotifyResult, Title
from giamsat.notifications.tables import MailOutbox, Notification
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_

_KIND = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*$")
#: Titles travel by mail: refuse the obvious shapes of personal contact data.
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?<!\d)(?:\+?84|0)\d{8,10}(?!\d)")


#: notify() runs inside a tenant scope that covers the committee it writes to (a programming
#: error otherwise, not something a user can fix).
log = logging.getLogger(__name__)

_NO_SCOPE = N_("Notifications are written only inside a scope that covers their committee.")


def _validate(kind: str, title: Title, link: str) -> None:
    if not _KIND.match(kind):
        raise InvalidInput(
            N_("A notification kind must be lowercase words joined by dots (case.assigned)."),
            field="kind",
        )
    for text in (title.vi, title.en):
        if _CONTACT.search(text):
            raise InvalidInput("a notification title must not contain an e-mail address or "
                               "phone number (titles are mailed)", field="title")  # fmt: skip
    if link and (not link.startswith("/") or link.startswith("//")):
        raise InvalidInput(
            N_("The link %(link)s must be a path inside the application."),
            field="link",
            params={"link": link},
        )


def _mail_language(language: str) -> str:
    return "en" if language == "en" else "vi"


def _in_language(title: Title, language: str) -> str:
    """The title a recipient reads: English for those who chose it (when there is one)."""
    return title.en if _mail_language(language) == "en" and title.en else title.vi


async def _recipients(
    committee_id: int, recipients: Sequence[int | str]
) -> list[tuple[dict[str, Any], str | None]]:
    """(user row, role it was reached through) for every distinct active recipient."""
    user_ids = [r for r in recipients if isinstance(r, int)]
    roles = [parse_role(r).value for r in recipients if isinstance(r, str)]
    found: dict[int, tuple[dict[str, Any], str | None]] = {}
    columns = (User._meta.primary_key, User.email, User.role, User.language)
    if user_ids:
        rows = await User.select(*columns).where(
            User._meta.primary_key.is_in(user_ids)
            & (User.committee == committee_id)
            & (User.active == True)  # noqa: E712
        )
        missing = sorted(set(user_ids) - {r["id"] for r in rows})
        if missing:
            raise InvalidInput(
                N_("Some of the recipients are not active staff of this committee."),
                field="recipients",
            )
        found.update({r["id"]: (r, None) for r in rows})
    if roles:
        rows = await User.select(*columns).where(
            User.role.is_in(roles) & (User.committee == committee_id) & (User.active == True)  # noqa: E712
        )
        for row in rows:
            found.setdefault(row["id"], (row, row["role"]))
    return list(found.values())


async def notify(
    committee_id: int,
    recipients: Sequence[int | str],
    kind: str,
    title: Title,
    body: str = "",
    link: str = "",
) -> NotifyResult:
    """Notify users (ids) and roles (names) of one committee; queue mail for those with an
    address. Call inside the scope making the change, so nothing is sent for a rolled-back one."""
    _validate(kind, title, link)
    committee = (
        await Committee.select(Committee.path)
        .where(Committee._meta.primary_key == committee_id)
        .first()
    )
    if committee is None:
        raise NotFound(N_("This committee does not exist."))
    path, active = committee["path"], active_tenant_path()
    if active is None or not path.startswith(active):
        log.error("notification for %s outside the active scope %s", path, active)
        raise ConfigurationError(_NO_SCOPE)
    targets = await _recipients(committee_id, recipients)
    mails = 0
    for user, via_role in targets:
        note = Notification(
            committee=committee_id, tenant_path=path, recipient=user["id"], via_role=via_role,
            kind=kind, title_vi=title.vi, title_en=title.en, body=body, link=link,
        )  # fmt: skip
        await note.save()
        if user["email"]:
            await MailOutbox(
                committee=committee_id, tenant_path=path, notification=note.id,
                to_address=user["email"], subject=_in_language(title, user["language"]),
                language=_mail_language(user["language"]), link=link,
            ).save()  # fmt: skip
            mails += 1
    return NotifyResult(notifications=len(targets), mails=mails)


class RoleNotice(msgspec.Struct, frozen=True, kw_only=True):
    """One notice of :func:`notify_roles`: the committee's users of these roles are told."""

    committee_id: int
    roles: tuple[str, ...]
    kind: str
    title: Title
    body: str = ""
    link: str = ""


_NOTE_COLUMNS = [
    bulk.Column("committee", "int"), bulk.Column("tenant_path", "text"),
    bulk.Column("recipient", "int"), bulk.Column("via_role", "text"), bulk.Column("kind", "text"),
    bulk.Column("title_vi", "text"), bulk.Column("title_en", "text"), bulk.Column("body", "text"),
    bulk.Column("link", "text"), bulk.Column("created_at", "timestamptz"),
]  # fmt: skip
_MAIL_COLUMNS = [
    bulk.Column("committee", "int"), bulk.Column("tenant_path", "text"),
    bulk.Column("notification", "int"), bulk.Column("to_address", "text"),
    bulk.Column("subject", "text"), bulk.Column("language", "text"), bulk.Column("link", "text"),
    bulk.Column("status", "text"), bulk.Column("attempts", "int"),
    bulk.Column("last_error", "text"), bulk.Column("next_attempt_at", "timestamptz"),
    bulk.Column("created_at", "timestamptz"),
]  # fmt: skip


async def notify_roles(notices: Sequence[RoleNotice]) -> NotifyResult:
    """:func:`notify` for many notices to roles at once (inside the scope making the change):
    the recipients of every committee read in one query, the notifications and the mails each
    written in one statement."""
    if not notices:
        return NotifyResult(notifications=0, mails=0)
    for kind, title, link in {(n.kind, n.title, n.link) for n in notices}:
        _validate(kind, title, link)
    committees = sorted({n.committee_id for n in notices})
    rows = await Committee.select(Committee._meta.primary_key, Committee.path).where(
        Committee._meta.primary_key.is_in(committees))  # fmt: skip
    paths = {int(r["id"]): str(r["path"]) for r in rows}
    active = active_tenant_path()
    for committee_id in committees:
        if committee_id not in paths:
            raise NotFound(N_("This committee does not exist."))
        if active is None or not paths[committee_id].startswith(active):
            log.error(
                "notification for %s outside the active scope %s", paths[committee_id], active
            )
            raise ConfigurationError(_NO_SCOPE)
    roles = sorted({parse_role(r).value for n in notices for r in n.roles})
    users = await User.select(User._meta.primary_key, User.email, User.role,
                              User.committee, User.language).where(
        User.role.is_in(roles) & User.committee.is_in(committees)
        & (User.active == True)  # noqa: E712
    ).order_by(User._meta.primary_key)  # fmt: skip
    staff: dict[int, list[dict[str, Any]]] = {}
    for user in users:
        staff.setdefault(int(user["committee"]), []).append(user)
    now = datetime.now(UTC)
    notes: list[list[Any]] = []
    emails: dict[int, tuple[str, str]] = {}
    for notice in notices:
        wanted = {parse_role(r).value for r in notice.roles}
        path = paths[notice.committee_id]
        for user in staff.get(notice.committee_id, []):
            if user["role"] in wanted:
                title = notice.title
                notes.append([notice.committee_id, path, user["id"], user["role"], notice.kind,
                              title.vi, title.en, notice.body, notice.link, now])  # fmt: skip
                if user["email"]:
                    emails[int(user["id"])] = (str(user["email"]), str(user["language"]))
    mails: list[list[Any]] = []
    if is_postgres():  # the ids first: each mail is built beside its notification
        ids = await bulk.next_ids("notification", len(notes))
        with_ids = [[i, *note] for i, note in zip(ids, notes, strict=True)]
        await bulk.insert_rows("notification", [bulk.Column("id", "int"), *_NOTE_COLUMNS],
                               with_ids)  # fmt: skip
        saved = [{"id": i, "committee": n[0], "tenant_path": n[1], "recipient": n[2],
                  "title_vi": n[5], "title_en": n[6], "link": n[8]}
                 for i, n in zip(ids, notes, strict=True)]  # fmt: skip
    else:
        back = ("id", "committee", "tenant_path", "recipient", "title_vi", "title_en", "link")
        saved = await bulk.insert_rows("notification", _NOTE_COLUMNS, notes, back)
    for r in saved:
        if int(r["recipient"]) in emails:
            address, language = emails[int(r["recipient"])]
            title = Title(vi=r["title_vi"], en=r["title_en"])
            mails.append([r["committee"], r["tenant_path"], r["id"], address,
                          _in_language(title, language), _mail_language(language), r["link"],
                          "pending", 0, "", now, now])  # fmt: skip
    await bulk.insert_rows("mail_outbox", _MAIL_COLUMNS, mails)
    return NotifyResult(notifications=len(notes), mails=len(mails))


def _user_of(ctx: TenantContext) -> int:
    if ctx.user_id is None:
        raise NotAuthenticated("notifications belong to a signed-in user")
    return ctx.user_id


_COLUMNS = (
    Notification.id, Notification.kind, Notification.title_vi, Notification.title_en,
    Notification.body, Notification.link, Notification.via_role, Notification.created_at,
    Notification.read_at,
)  # fmt: skip


async def list_for_user(ctx: TenantContext, *, unread_only: bool = False, limit: int = 50
                        ) -> list[NotificationView]:  # fmt: skip
    """The signed-in user's notifications in their committee, newest first."""
    user_id = _user_of(ctx)
    condition = (Notification.recipient == user_id) & (Notification.committee == ctx.committee_id)
    if unread_only:
        condition &= Notification.read_at.is_null()
    async with tenant_scope(ctx.path):
        rows = await (
            Notification.select(*_COLUMNS)
            .where(condition)
            .order_by(Notification.id, ascending=False)
            .limit(limit)
        )
    return [NotificationView(**row) for row in rows]


async def mark_read(ctx: TenantContext, notification_id: int) -> None:
    """Mark one of the user's notifications read (idempotent); another's is simply not found."""
    user_id = _user_of(ctx)
    mine = (Notification.id == notification_id) & (Notification.recipient == user_id)
    async with tenant_scope(ctx.path):
        if not await Notification.exists().where(mine):
            raise NotFound(N_("This notification is not among yours."))
        await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
            mine & Notification.read_at.is_null()
        )
