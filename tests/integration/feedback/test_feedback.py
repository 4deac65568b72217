"""People's feedback (Quyết định 99) tracked until taken in and explained."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from giamsat.db.scope import system_scope
from giamsat.errors import InvalidInput, NotFound
from giamsat.feedback.schemas import ExplainedIn, FeedbackIn, SentIn, TakenInIn
from giamsat.feedback.service import explain, get, mark_sent, receive, sweep_feedback, take_in
from giamsat.notifications.tables import Notification
from tests.integration.audit.conftest import context_for

FEEDBACK = FeedbackIn(
    recipient_kind="party_committee",
    recipient="Đảng ủy phường Hàng Gai",
    content="Đề nghị công khai kết quả kê khai tài sản",
    received_on=dt.date(2025, 4, 1),
)


async def test_feedback_is_tracked_until_explained_with_a_reminder_when_late(db, factory):
    officer = await factory.user("00064", "democracy_law")
    ctx = await context_for("00064")
    item = await receive(ctx, FEEDBACK)
    # explaining before taking in is refused, naming the status it needs
    needs = "at the step Newly received: this needs the step Taken into account"
    with pytest.raises(InvalidInput, match=needs):
        await explain(ctx, item.id, ExplainedIn(explained_on=dt.date(2025, 4, 2), explanation="x"))
    await mark_sent(ctx, item.id, SentIn(sent_on=dt.date(2025, 4, 2)))
    # when the recipient takes it in but can only answer by 2025-04-30
    taken = await take_in(
        ctx, item.id, TakenInIn(taken_in_on=dt.date(2025, 4, 10), reply_by=dt.date(2025, 4, 30))
    )
    assert (taken.status, taken.reply_by) == ("taken_in", dt.date(2025, 4, 30))
    # then sweeps before the date remind nobody; after it, once
    counts = [
        await sweep_feedback(day, within=ctx.path)
        for day in (dt.date(2025, 4, 29), dt.date(2025, 5, 2), dt.date(2025, 5, 5))
    ]
    assert counts == [0, 1, 0]
    async with system_scope():
        kinds = [
            r["kind"]
            for r in await Notification.select(Notification.kind).where(
                Notification.recipient == officer.id
            )
        ]
    assert kinds == ["feedback.overdue"]
    # and the explanation closes the loop
    done = await explain(
        ctx,
        item.id,
        ExplainedIn(explained_on=dt.date(2025, 5, 6), explanation="Đã công khai tại hội nghị"),
    )
    assert (done.status, done.explanation) == ("explained", "Đã công khai tại hội nghị")
    # and the district above sees it, a sibling commune does not
    assert (await get(await context_for("002"), item.id)).status == "explained"
    with pytest.raises(NotFound):
        await get(await context_for("00067"), item.id)


async def test_feedback_api_refuses_a_reply_by_before_taking_in(db, factory):
    client, _ = await factory.api_client("00067")
    created = await client.post(
        "/api/v1/feedback",
        json={
            "recipient_kind": "cadre",
            "recipient": "Bí thư chi bộ tổ dân phố 2",
            "content": "Góp ý về tác phong",
            "received_on": "2025-04-01",
        },
    )
    assert created.status_code == 201, created.text
    item = created.json()["id"]
    await client.post(f"/api/v1/feedback/{item}/sent", json={"sent_on": "2025-04-02"})
    resp = await client.post(
        f"/api/v1/feedback/{item}/taken-in",
        json={"taken_in_on": "2025-04-10", "reply_by": "2025-04-09"},
    )
    assert resp.status_code == 422 and "reply-by" in resp.json()["message"]
    assert (await client.get(f"/api/v1/feedback/{item}")).json()["status"] == "sent"


async def test_reply_within_working_days_skips_tet(db):
    # given feedback of commune 00046 (Hoàn Kiếm) forwarded to its recipient
    ctx = await context_for("00046")
    item = await receive(ctx, FEEDBACK)
    await mark_sent(ctx, item.id, SentIn(sent_on=dt.date(2025, 4, 2)))
    # when the recipient, taking it in on 2025-01-22, promises a reply within 5 working days
    early = FeedbackIn(**{**msgspec.structs.asdict(FEEDBACK), "received_on": dt.date(2025, 1, 2)})
    other = await receive(ctx, early)
    await mark_sent(ctx, other.id, SentIn(sent_on=dt.date(2025, 1, 3)))
    taken = await take_in(
        ctx, other.id, TakenInIn(taken_in_on=dt.date(2025, 1, 22), reply_within=5)
    )
    # then the reply-by date skips Tết (23, 24 Jan, then 3, 4, 5 Feb)
    assert taken.reply_by == dt.date(2025, 2, 5)
    # and giving both a date and a number of days is refused, nothing changed
    with pytest.raises(InvalidInput, match="not both"):
        await take_in(
            ctx,
            item.id,
            TakenInIn(
                taken_in_on=dt.date(2025, 4, 10), reply_by=dt.date(2025, 4, 30), reply_within=3
            ),
        )
    assert (await get(ctx, item.id)).status == "sent"
    # and a sibling commune cannot see it
    with pytest.raises(NotFound):
        await get(await context_for("00043"), other.id)
