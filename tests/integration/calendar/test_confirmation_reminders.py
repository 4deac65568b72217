"""From 1 October, administrators are reminded to confirm next year: once per committee."""

from __future__ import annotations

import datetime as dt

from giamsat.db.scope import system_scope
from giamsat.jobs.registry import load_registry
from giamsat.jobs.runner import run_job
from giamsat.notifications.tables import Notification
from tests.integration.calendar.conftest import VIETNAM

#: A year no other test confirms or is reminded of.
YEAR = 2041
COMMUNE, NEIGHBOUR = "00301", "00304"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), tzinfo=VIETNAM).astimezone(dt.UTC)


async def _reminders_of(user_id: int) -> list[dict[str, object]]:
    async with system_scope():
        rows = await Notification.select().where(
            (Notification.recipient == user_id) & (Notification.kind == "calendar.confirm_year")
        )
    return [r for r in rows if str(YEAR) in str(r["title_vi"])]


async def test_admins_are_reminded_from_1_october_once_per_committee(db, factory):
    job = load_registry({}).get("calendar.confirm_reminder")
    settings = db.settings()
    admin = await factory.user(COMMUNE, "admin")
    officer = await factory.user(COMMUNE, "democracy_law")
    neighbour = await factory.user(NEIGHBOUR, "democracy_law")
    # when the job runs on 30 September, nobody is reminded yet
    early = await run_job(job, settings, now=_at(dt.date(YEAR - 1, 9, 30)))
    assert early.status == "done" and "start on 1/10" in early.detail
    assert await _reminders_of(admin.id) == []
    # when it runs on 1 October, the committee's administrator is reminded, with a link
    first = await run_job(job, settings, now=_at(dt.date(YEAR - 1, 10, 1)))
    assert first.status == "done", first.detail
    reminders = await _reminders_of(admin.id)
    assert len(reminders) == 1
    assert reminders[0]["link"] == f"/c/{COMMUNE}/calendar/"
    assert f"Lịch nghỉ năm {YEAR} chưa được xác nhận" in str(reminders[0]["title_vi"])
    # and the next days' runs remind nobody again
    again = await run_job(job, settings, now=_at(dt.date(YEAR - 1, 10, 2)))
    await run_job(job, settings, now=_at(dt.date(YEAR - 1, 11, 15)))
    assert again.status == "done" and again.detail.endswith(
        ": 0 committees reminded to confirm the calendar"
    )
    assert len(await _reminders_of(admin.id)) == 1
    # and staff who are not administrators, here or in another committee, get nothing
    assert await _reminders_of(officer.id) == []
    assert await _reminders_of(neighbour.id) == []
