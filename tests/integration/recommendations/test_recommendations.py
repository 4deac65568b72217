"""Recommendation items: answer, progress, escalation once to the next-higher Front."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from giamsat.audit.service import recent
from giamsat.cases.tables import CaseClock
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import InvalidInput, NotFound
from giamsat.notifications.tables import Notification
from giamsat.recommendations.schemas import AnswerIn, ProgressIn, ResuperviseIn
from giamsat.recommendations.service import (
    create_items,
    get_item,
    list_items,
    record_answer,
    record_progress,
    resupervise,
    sweep_recommendations,
)
from tests.integration.audit.conftest import context_for
from tests.integration.cases.conftest import new_case


class Item(msgspec.Struct):
    text: str
    addressee: str = ""


async def _items(
    code: str, answer_by: dt.date, count: int = 1, case_id: int | None = None
) -> list[int]:
    ctx = await context_for(code)
    async with tenant_scope(ctx.path):
        return await create_items(
            ctx,
            delegation_id=None,
            case_id=case_id,
            issued_on=answer_by - dt.timedelta(days=28),
            answer_by=answer_by,
            items=[Item(text=f"Kiến nghị {i}") for i in range(count)],
        )


async def test_unanswered_item_escalates_once_to_the_parent_front(db, factory):
    # given an item of Phường Cửa Đông (00055) due 2025-05-10, and a district officer
    officer = await factory.user("002", "democracy_law")
    (item,) = await _items("00055", dt.date(2025, 5, 10))
    ctx = await context_for("00055")
    # when the sweep runs before, after, and again after the date
    before = await sweep_recommendations(dt.date(2025, 5, 8), within=ctx.path)
    after = await sweep_recommendations(dt.date(2025, 5, 12), within=ctx.path)
    again = await sweep_recommendations(dt.date(2025, 5, 20), within=ctx.path)
    # then one reminder, one escalation, nothing more
    assert (before["reminded"], after["escalated"], again["escalated"]) == (1, 1, 0)
    shown = await get_item(ctx, item)
    assert (shown.status, shown.escalated) == ("escalated", True)
    # and the district (next-higher Front) was told, and the audit chain has it
    async with system_scope():
        kinds = [
            r["kind"]
            for r in await Notification.select(Notification.kind).where(
                Notification.recipient == officer.id
            )
        ]
    assert kinds == ["recommendation.escalated"]
    assert [e.action for e in await recent("00055", limit=50) if e.subject_id == str(item)] == [
        "recommendation.escalated"
    ]
    # and the district sees the item in its subtree; a sibling district does not
    assert item in [r.id for r in await list_items(await context_for("002"))]
    with pytest.raises(NotFound):
        await get_item(await context_for("001"), item)


async def test_answer_progress_and_resupervision(db):
    case = await new_case("00058")
    (item,) = await _items("00058", dt.date(2025, 6, 30), case_id=case.id)
    ctx = await context_for("00058")
    # progress before the answer is refused
    with pytest.raises(InvalidInput, match="after the answer"):
        await record_progress(ctx, item, ProgressIn(progress=10))
    await record_answer(ctx, item, AnswerIn(answered_on=dt.date(2025, 6, 20), summary="Tiếp thu"))
    half = await record_progress(ctx, item, ProgressIn(progress=50, note="Đang khắc phục"))
    done = await record_progress(ctx, item, ProgressIn(progress=100))
    assert (half.status, done.status, done.progress) == ("in_progress", "implemented", 100)
    # when the committee decides to supervise again
    again = await resupervise(
        ctx, item, ResuperviseIn(received_on=dt.date(2025, 9, 1), reason="Tái giám sát")
    )
    # then a follow-up case exists, linked to the original case
    assert again.follow_up_case_id is not None
    async with system_scope():
        clock = await CaseClock.select().where(CaseClock.case == again.follow_up_case_id).first()
    assert clock is not None and clock["follow_up_of"] == case.id


async def test_reminders_count_working_days_across_tet(db):
    # given an item of commune 00046 (Hoàn Kiếm) due Tuesday 2025-02-04, just after Tết
    # (27/01–31/01/2025 are days off, and so are the weekends around them)
    (item,) = await _items("00046", dt.date(2025, 2, 4))
    ctx = await context_for("00046")
    # when a sibling commune sweeps on the last working day before Tết
    sibling = await sweep_recommendations(
        dt.date(2025, 1, 24), within=(await context_for("00043")).path
    )
    # then it reminds nothing of ours
    assert sibling["reminded"] == 0
    # when the owner's sweep runs that day: 11 calendar days but only 2 working days remain
    before_tet = await sweep_recommendations(dt.date(2025, 1, 24), within=ctx.path)
    # then the reminder goes out before the holiday, once
    during_tet = await sweep_recommendations(dt.date(2025, 1, 29), within=ctx.path)
    assert (before_tet["reminded"], during_tet["reminded"]) == (1, 0)
    assert (await get_item(ctx, item)).status == "awaiting_answer"


async def test_default_answer_by_is_twenty_working_days_after_the_letter(db):
    # given a letter of commune 00046 (Hoàn Kiếm) dated 2025-01-20, before Tết, with no date given
    ctx = await context_for("00046")
    async with tenant_scope(ctx.path):
        (item,) = await create_items(
            ctx,
            delegation_id=None,
            case_id=None,
            issued_on=dt.date(2025, 1, 20),
            answer_by=None,
            items=[Item(text="Kiến nghị về công khai tài chính")],
        )
    # then the answer-by date skips Tết: 24/02/2025, not 20 calendar or weekdays later
    shown = await get_item(ctx, item)
    assert shown.answer_by == dt.date(2025, 2, 24)
    # and a sibling commune cannot see the item
    with pytest.raises(NotFound):
        await get_item(await context_for("00043"), item)
