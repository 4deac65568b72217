"""In-app notifications and mail through the outbox, delivered to a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller

from giamsat.accounts.tables import User
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import ConfigurationError, InvalidInput, NotFound
from giamsat.notifications.outbox import backoff, deliver_outbox
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import (
    RoleNotice,
    list_for_user,
    mark_read,
    notify,
    notify_roles,
)
from giamsat.notifications.tables import MailOutbox, Notification
from tests.integration.notifications.conftest import (
    Mailbox,
    context_for,
    free_port,
    staff,
    with_smtp,
)

TITLE = Title(vi="Vụ việc mới được giao", en="A case was assigned to you")
#: A body naming a reporter: it may be shown in the app, and must never be mailed.
BODY = "Người phản ánh: Trần Thị Bích, tổ dân phố 5"


async def _outbox(address: str) -> dict:
    async with system_scope():
        row = await MailOutbox.select().where(MailOutbox.to_address == address).first()
    assert row is not None, address
    return row


async def test_user_and_role_are_notified_in_app_and_by_mail(db, smtp_server):
    mailbox, port = smtp_server
    # given in Phường Ngọc Thụy (00118) an officer, two standing-board members (one without mail)
    officer = await staff("00118", "democracy_law")
    chair = await staff("00118", "standing_board")
    deputy = await staff("00118", "standing_board", email=False)
    ctx = await context_for("00118")
    # when the officer and the standing board are notified inside the change's scope
    async with tenant_scope(ctx.path):
        result = await notify(ctx.committee_id, [officer.id, "standing_board"], "case.assigned",
                              TITLE, BODY, "/c/00118/cases/41")  # fmt: skip
    # then each of the three has one unread notification, the board's marked as sent to the role
    assert (result.notifications, result.mails) == (3, 2)
    for user, via in ((officer, None), (chair, "standing_board"), (deputy, "standing_board")):
        notes = await list_for_user(await context_for("00118", user), unread_only=True)
        assert [(n.kind, n.title_vi, n.body, n.via_role) for n in notes] == [
            ("case.assigned", TITLE.vi, BODY, via)
        ]
    # and nothing was mailed before delivery; after it, both addresses got one message
    assert mailbox.to(officer.username + "@mttq.hanoi.test") == []
    await deliver_outbox(with_smtp(db.settings(), port))
    for user in (officer, chair):
        address = f"{user.username}@mttq.hanoi.test"
        (message,) = mailbox.to(address)
        assert message["From"] == "giamsat@mttq.hanoi.test"
        assert message["Subject"] == TITLE.vi
        text = message.get_content()
        # and it is written in Vietnamese only, the language both chose
        assert "Đăng nhập để xem chi tiết:" in text
        assert TITLE.en not in text and "Sign in" not in text
        assert "https://giamsat.test/c/00118/cases/41" in text
        # and the body, which names the reporter, never left the application
        assert "Trần Thị Bích" not in text
        assert BODY not in message.as_string()
        row = await _outbox(address)
        assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 1, "")
    # and a second delivery sends nothing again
    await deliver_outbox(with_smtp(db.settings(), port))
    assert len(mailbox.to(f"{officer.username}@mttq.hanoi.test")) == 1


async def test_a_mail_is_written_in_the_language_its_reader_chose(db, smtp_server, factory):
    mailbox, port = smtp_server
    # given in Phường Ngọc Thụy (00118) an officer who chose English on the pages (the header's
    # language switch), and one who kept Vietnamese
    page, english = await factory.page_client("00118")
    async with system_scope():
        await User.update({User.email: f"{english.username}@mttq.hanoi.test"}).where(
            User.id == english.id
        )
    switched = await page.get("/language", params={"to": "en", "next": "/"})
    assert switched.status_code in (302, 303)
    vietnamese = await staff("00118", "democracy_law")
    ctx = await context_for("00118")
    # when both are notified
    async with tenant_scope(ctx.path):
        await notify(ctx.committee_id, [english.id, vietnamese.id], "case.assigned", TITLE, BODY,
                     "/c/00118/cases/41")  # fmt: skip
    await deliver_outbox(with_smtp(db.settings(), port))
    # then the English reader's mail is all English, the other's all Vietnamese
    (in_english,) = mailbox.to(f"{english.username}@mttq.hanoi.test")
    assert in_english["Subject"] == TITLE.en
    text = in_english.get_content()
    assert "Sign in to read the details:" in text
    assert TITLE.vi not in text and "Đăng nhập" not in text
    (in_vietnamese,) = mailbox.to(f"{vietnamese.username}@mttq.hanoi.test")
    assert in_vietnamese["Subject"] == TITLE.vi
    assert TITLE.en not in in_vietnamese.get_content()


async def test_role_notices_mail_each_reader_in_their_language(db, smtp_server):
    mailbox, port = smtp_server
    # given a standing-board member of Phường Ngọc Thụy (00118) who reads English
    member = await staff("00118", "standing_board")
    async with system_scope():
        await User.update({User.language: "en"}).where(User.id == member.id)
    ctx = await context_for("00118")
    # when the standing board is told through the set-based notify_roles
    async with tenant_scope(ctx.path):
        notice = RoleNotice(committee_id=ctx.committee_id, roles=("standing_board",),
                            kind="case.assigned", title=TITLE, link="/c/00118/")  # fmt: skip
        await notify_roles([notice])
    await deliver_outbox(with_smtp(db.settings(), port))
    # then the member's mail is in English
    (message,) = mailbox.to(f"{member.username}@mttq.hanoi.test")
    assert message["Subject"] == TITLE.en
    assert "Sign in to read the details:" in message.get_content()
    # and a committee elsewhere got no notification from it
    outsider = await context_for("00124", await staff("00124", "standing_board"))
    assert await list_for_user(outsider) == []


async def test_another_commune_sees_none_of_it(db):
    # given a notification to an officer of Phường Giang Biên (00121)
    officer = await staff("00121", "democracy_law")
    ctx = await context_for("00121")
    async with tenant_scope(ctx.path):
        await notify(ctx.committee_id, [officer.id], "case.assigned", TITLE, BODY, "/c/00121/")
    (note,) = await list_for_user(await context_for("00121", officer))
    # and a user of Phường Đức Giang (00124)
    outsider = await context_for("00124", await staff("00124", "democracy_law"))
    # then the outsider's list is empty and the notification cannot be marked read by them
    assert await list_for_user(outsider) == []
    with pytest.raises(NotFound):
        await mark_read(outsider, note.id)
    # and on PostgreSQL row-level security hides the rows even from an unfiltered query
    async with tenant_scope(outsider.path):
        seen = await Notification.select(Notification.id).where(Notification.id == note.id)
        mail = await MailOutbox.select(MailOutbox.id).where(MailOutbox.notification == note.id)
    if db.backend == "postgres":
        assert (seen, mail) == ([], [])
    # and the owner's notification is still unread
    assert (await list_for_user(await context_for("00121", officer)))[0].read_at is None


async def test_mark_read(db):
    officer = await staff("00127", "propaganda")
    ctx = await context_for("00127")
    async with tenant_scope(ctx.path):
        await notify(ctx.committee_id, [officer.id], "plan.published", TITLE, "", "/c/00127/")
        await notify(ctx.committee_id, [officer.id], "plan.reminder", TITLE, "", "/c/00127/")
    mine = await context_for("00127", officer)
    newest, older = await list_for_user(mine)
    # when the newest is marked read (twice: it is idempotent)
    await mark_read(mine, newest.id)
    await mark_read(mine, newest.id)
    # then only the older one is unread
    assert [n.id for n in await list_for_user(mine, unread_only=True)] == [older.id]
    assert (await list_for_user(mine))[0].read_at is not None


async def test_notification_rolls_back_with_the_change(db):
    officer = await staff("00130", "democracy_law")
    ctx = await context_for("00130")

    async def failing_change() -> None:
        async with tenant_scope(ctx.path):
            await notify(ctx.committee_id, [officer.id], "case.assigned", TITLE, "", "/c/00130/")
            raise RuntimeError("the change failed")

    # when the change fails after notifying
    with pytest.raises(RuntimeError):
        await failing_change()
    # then neither the notification nor its mail exists
    assert await list_for_user(await context_for("00130", officer)) == []
    async with system_scope():
        assert not await MailOutbox.exists().where(
            MailOutbox.to_address == f"{officer.username}@mttq.hanoi.test"
        )


@pytest.mark.parametrize(
    ("title", "link", "fragment"),
    [
        (Title(vi="Gọi lại 0912345678"), "/c/", "phone number"),
        (Title(vi="Thư từ a.b@example.vn"), "/c/", "e-mail address"),
        (TITLE, "https://evil.example/", "inside the application"),
    ],
)
async def test_unsafe_titles_and_links_are_refused(db, title, link, fragment):
    officer = await staff("00133", "democracy_law")
    ctx = await context_for("00133")
    async with tenant_scope(ctx.path):
        with pytest.raises(InvalidInput, match=fragment):
            await notify(ctx.committee_id, [officer.id], "case.assigned", title, "", link)


async def test_users_of_another_committee_cannot_be_recipients(db):
    stranger = await staff("00136", "democracy_law")
    ctx = await context_for("00139")
    async with tenant_scope(ctx.path):
        with pytest.raises(InvalidInput, match="not active staff of this committee"):
            await notify(ctx.committee_id, [stranger.id], "case.assigned", TITLE, "", "/c/")


async def test_failed_delivery_is_recorded_and_retried_later(db):
    # given a queued mail for an officer of Phường Sài Đồng (00142), and no SMTP server listening
    officer = await staff("00142", "democracy_law")
    address = f"{officer.username}@mttq.hanoi.test"
    ctx = await context_for("00142")
    async with tenant_scope(ctx.path):
        await notify(ctx.committee_id, [officer.id], "case.assigned", TITLE, BODY, "/c/00142/")
    port = free_port()
    first_try = datetime.now(UTC)
    # when delivery runs
    await deliver_outbox(with_smtp(db.settings(), port), now=first_try)
    # then the attempt is counted, the error recorded, and the mail waits for a later try
    row = await _outbox(address)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "Connection refused" in row["last_error"] or "ConnectionRefused" in row["last_error"]
    assert row["next_attempt_at"] == first_try + backoff(1)
    # when delivery runs again before the retry is due, with the server back
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await deliver_outbox(with_smtp(db.settings(), port), now=first_try)
        # then it is left alone
        assert mailbox.to(address) == []
        assert (await _outbox(address))["attempts"] == 1
        # and once due, it is sent
        await deliver_outbox(with_smtp(db.settings(), port), now=first_try + backoff(1))
    finally:
        controller.stop()
    assert len(mailbox.to(address)) == 1
    row = await _outbox(address)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, "")


async def test_without_smtp_host_mail_stays_queued(db):
    officer = await staff("00145", "democracy_law")
    ctx = await context_for("00145")
    async with tenant_scope(ctx.path):
        await notify(ctx.committee_id, [officer.id], "case.assigned", TITLE, "", "/c/00145/")
    report = await deliver_outbox(db.settings())
    assert not report.configured
    row = await _outbox(f"{officer.username}@mttq.hanoi.test")
    assert (row["status"], row["attempts"]) == ("pending", 0)


async def test_a_notice_outside_the_scope_is_refused_and_the_operator_log_names_it(db, caplog):
    # given an officer of Phường Đức Giang (00124), and a scope of Phường Giang Biên (00121)
    officer = await staff("00124", "democracy_law")
    theirs, other = await context_for("00124"), await context_for("00121")
    # when code running in the neighbour's scope notifies the officer's committee, alone or as
    # part of a set
    caplog.set_level("ERROR", logger="giamsat.notifications.service")
    async with tenant_scope(other.path):
        with pytest.raises(ConfigurationError) as alone:
            await notify(theirs.committee_id, [officer.id], "case.assigned", TITLE, "", "/c/")
        with pytest.raises(ConfigurationError):
            await notify_roles(
                [
                    RoleNotice(
                        committee_id=theirs.committee_id,
                        roles=("democracy_law",),
                        kind="case.assigned",
                        title=TITLE,
                    )
                ]
            )
    # then both are refused with the catalogue's words, and the operator's log says which
    # committee and which scope, twice
    assert "scope" in alone.value.template and theirs.path not in alone.value.template
    lines = [r.getMessage() for r in caplog.records if "outside the active scope" in r.getMessage()]
    assert lines == [f"notification for {theirs.path} outside the active scope {other.path}"] * 2
    # and nothing was written for anyone
    async with system_scope():
        assert await Notification.count().where(Notification.recipient == officer.id) == 0
