"""Overdue cases escalate exactly once, even with two processes sweeping one database."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys

from giamsat.cases.tables import Case, CaseEvent
from giamsat.db.scope import system_scope
from giamsat.notifications.tables import Notification
from tests.integration.cases.conftest import new_case


async def _sweep_process(db_url: str, today: dt.date, within: str) -> tuple[int, str]:
    env = {**os.environ, "GIAMSAT_DATABASE_URL": db_url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from giamsat.cli.main import main; main()",
        "cases",
        "sweep",
        "--today",
        today.isoformat(),
        "--within",
        within,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_two_processes_escalate_an_overdue_case_once(db, factory):
    # given an overdue case of Phường Ngọc Hà (00016), due 2025-02-24
    case = await new_case("00016", received=dt.date(2025, 1, 20))
    today = case.due_on + dt.timedelta(days=3) if case.due_on else None
    assert today is not None
    # when two processes sweep the commune at the same moment
    results = await asyncio.gather(*(_sweep_process(db.url, today, "00016") for _ in range(2)))
    # then both succeed, and exactly one escalation event exists
    assert [code for code, _ in results] == [0, 0], results
    async with system_scope():
        events = await CaseEvent.select(CaseEvent.action).where(
            (CaseEvent.case == case.id) & (CaseEvent.action == "escalated")
        )
        row = await Case.select(Case.status, Case.escalated).where(Case.id == case.id).first()
    assert len(events) == 1
    assert row == {"status": "escalated", "escalated": True}
    # and a third sweep later changes nothing
    code, _ = await _sweep_process(db.url, today + dt.timedelta(days=7), "00016")
    async with system_scope():
        again = await CaseEvent.count().where(
            (CaseEvent.case == case.id) & (CaseEvent.action == "escalated")
        )
    assert (code, again) == (0, 1)
    # and the case's history reads the escalation in one language at a time
    page, _ = await factory.page_client("00016")
    await page.get("/language", params={"to": "en", "next": "/"})
    english = await page.get(f"/c/00016/cases/{case.id}")
    assert "Overdue: reported to the level above" in english.text
    assert "Quá hạn" not in english.text


async def test_reminders_before_and_at_due_are_sent_once(db, factory):
    from giamsat.cases.deadlines import sweep_deadlines
    from tests.integration.cases.conftest import context_for

    officer = await factory.user("00019", "democracy_law")
    case = await new_case("00019", received=dt.date(2025, 3, 3))  # due 2025-03-31
    ctx = await context_for("00019")
    assert case.due_on == dt.date(2025, 3, 31)
    # when swept three working days before, twice, and on the due date
    first = await sweep_deadlines(dt.date(2025, 3, 26), within=ctx.path)
    second = await sweep_deadlines(dt.date(2025, 3, 27), within=ctx.path)
    due = await sweep_deadlines(dt.date(2025, 3, 31), within=ctx.path)
    # then one "due soon" and one "due today" reached the officer
    assert (first.reminded, second.reminded, due.due_today) == (1, 0, 1)
    async with system_scope():
        kinds = [
            r["kind"]
            for r in await Notification.select(Notification.kind).where(
                Notification.recipient == officer.id
            )
        ]
    assert sorted(kinds) == ["case.due_soon", "case.due_today", "case.opened"]
