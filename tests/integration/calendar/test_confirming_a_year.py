"""Confirming a year's calendar: its open clocks are recomputed, each case records it; a
confirmation that contradicts itself is refused with nothing stored."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sys
from collections.abc import AsyncIterator

import pytest

from giamsat.calendar.overrides_store import CalendarOverrideEntry, CalendarYearConfirmation
from giamsat.db.scope import system_scope
from tests.factories import csrf
from tests.integration.calendar.conftest import (
    commune_with_workplace_channel,
    frozen_on,
    plan_in_force,
    report_dd3,
)
from tests.integration.calendar.test_one_calendar import _calendar_due

ISSUER, COMMUNE, SIBLING = "007", "00265", "00268"
SWAPPED = {
    "year": 2027,
    "source": "Thông báo thử nghiệm về lịch nghỉ năm 2027",
    "days_off": [{"date": "2027-01-04", "reason": "Nghỉ hoán đổi (thử nghiệm)"}],
    "working_days": [{"date": "2027-01-30", "reason": "Làm bù cho thứ Hai 04/01/2027"}],
}


async def _forget_2027() -> None:
    async with system_scope():
        await CalendarYearConfirmation.delete().where(CalendarYearConfirmation.year == 2027)
        await CalendarOverrideEntry.delete().where(
            (CalendarOverrideEntry.day >= dt.date(2027, 1, 1))
            & (CalendarOverrideEntry.day <= dt.date(2027, 12, 31))
        )


@pytest.fixture
async def provisional_2027(db) -> AsyncIterator[None]:
    """2027 unconfirmed before the test and again after it (the session database is shared)."""
    await _forget_2027()
    yield
    await _forget_2027()


async def _nothing_stored_for_2027() -> bool:
    async with system_scope():
        confirmed = await CalendarYearConfirmation.exists().where(
            CalendarYearConfirmation.year == 2027
        )
        days = await CalendarOverrideEntry.count().where(
            CalendarOverrideEntry.day == dt.date(2027, 1, 4)
        )
    return not confirmed and days == 0


async def test_confirming_2027_with_one_swapped_day_recomputes_an_open_clock(
    db, factory, provisional_2027
):
    with frozen_on(dt.date(2026, 12, 20)):
        # given an open case received on 20/12/2026, due on 18/01/2027 by the computed 2027
        await plan_in_force(2026, ISSUER)
        cadre = await commune_with_workplace_channel(COMMUNE)
        client, _ = await factory.api_client(COMMUNE)
        case_id = await report_dd3(client, cadre)
        before = (await client.get(f"/api/v1/cases/{case_id}")).json()["case"]
        assert before["due_on"] == "2027-01-18" and before["due_note"] is not None
        # a staff member who is not an administrator may not confirm a year
        officer, _ = await factory.api_client("01", "democracy_law")
        refused = await officer.post("/api/v1/calendar/confirmations", json=SWAPPED)
        assert refused.status_code == 403
        # when an administrator confirms 2027: Monday 4/1 off, swapped for Saturday 30/1
        admin, _ = await factory.api_client("01", "admin")
        done = await admin.post("/api/v1/calendar/confirmations", json=SWAPPED)
        assert done.status_code == 201, done.text
        assert done.json()["days_stored"] == 2 and done.json()["due_dates_moved"] >= 1
        # then the open clock counts the day off: due one working day later, no longer provisional
        after = (await client.get(f"/api/v1/cases/{case_id}")).json()["case"]
        assert after["due_on"] == "2027-01-19"
        assert after["due_note"] is None
        # and the case's history records why its due date moved
        event = after["history"][-1]
        assert event["action"] == "due_recomputed"
        assert event["details"] == {
            "calendar_year": 2027,
            "due_on_before": "2027-01-18",
            "due_on": "2027-01-19",
        }
        assert "18/01/2027" in event["reason"] and "19/01/2027" in event["reason"]
        page, _ = await factory.page_client(COMMUNE)
        shown = (await page.get(f"/c/{COMMUNE}/cases/{case_id}")).text
        assert "Lịch nghỉ năm 2027 đã được xác nhận" in shown
        assert "chưa được xác nhận" not in shown
        # and the API, and the CLI reading the same database, see 2027 as confirmed
        years = (await officer.get("/api/v1/calendar/years", params={"year": 2027})).json()["items"]
        assert years == [
            {
                "year": 2027,
                "provisional": False,
                "sources": [SWAPPED["source"]],
                "confirmed_at": years[0]["confirmed_at"],
            }
        ]
        code, out, err = await _calendar_due(db.url, "2026-12-20", "20")
        assert code == 0, err
        assert out.splitlines()[0] == "2027-01-19" and "provisional" not in out
        # and a sibling commune sees nothing of the case or its history
        other, _ = await factory.api_client(SIBLING)
        assert (await other.get(f"/api/v1/cases/{case_id}")).status_code == 404


async def test_a_confirmation_with_a_day_both_off_and_worked_is_refused(
    db, factory, provisional_2027
):
    contradictory = {
        "year": 2027,
        "source": "Thông báo thử nghiệm",
        "days_off": [{"date": "2027-01-04"}],
        "working_days": [{"date": "2027-01-04"}],
    }
    # when an administrator sends it through the API
    admin, _ = await factory.api_client("01", "admin")
    refused = await admin.post("/api/v1/calendar/confirmations", json=contradictory)
    # then it is refused, naming the day, and nothing is stored
    assert refused.status_code == 422
    assert "04/01/2027" in refused.json()["message"]
    assert "vừa là ngày nghỉ vừa là ngày làm việc" in refused.json()["message"]
    assert await _nothing_stored_for_2027()
    # and through the calendar page: refused with the message, the entries kept in the form
    page, _ = await factory.page_client("01", "admin")
    await page.get("/c/01/calendar/")
    form = {
        "year": "2027",
        "source": "Thông báo thử nghiệm",
        "days_off": "04/01/2027 Nghỉ hoán đổi",
        "working_days": "2027-01-04 Làm bù",
        "_csrf_token": csrf(page),
    }
    shown = await page.post("/c/01/calendar/confirm", data=form)
    assert shown.status_code == 422
    assert "vừa là ngày nghỉ vừa là ngày làm việc" in shown.text
    assert "04/01/2027 Nghỉ hoán đổi" in shown.text and "Thông báo thử nghiệm" in shown.text
    # and a line that is not a date is refused by its line number
    form["working_days"] = "ngày 30 tháng 1"
    bad = await page.post("/c/01/calendar/confirm", data=form)
    assert bad.status_code == 422 and "Dòng 1" in bad.text
    assert await _nothing_stored_for_2027()


async def test_the_calendar_page_confirms_a_year_and_shows_it(db, factory, provisional_2027):
    # given the administrator's calendar page, with 2027 provisional
    page, _ = await factory.page_client("01", "admin")
    with frozen_on(dt.date(2026, 12, 1)):
        listed = await page.get("/c/01/calendar/")
        assert listed.status_code == 200
        assert re.search(
            r">2027</td>\s*<td[^>]*><strong[^>]*>Tạm tính, chưa được xác nhận", listed.text
        )
        # when 2027 is confirmed with no change to the computed days
        form = {"year": "2027", "source": "Thông báo thử nghiệm", "_csrf_token": csrf(page)}
        done = await page.post("/c/01/calendar/confirm", data=form)
        # then the page says so and lists 2027 as confirmed
        assert done.status_code == 200, done.text
        assert "Đã xác nhận lịch nghỉ năm 2027" in done.text
        assert re.search(r">2027</td>\s*<td[^>]*><strong[^>]*>Đã xác nhận", done.text)


async def _giamsat(db_url: str, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from giamsat.cli.main import main; main()",
        *args,
        env={**os.environ, "GIAMSAT_DATABASE_URL": db_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


async def test_the_cli_confirms_a_year_and_refuses_a_contradiction(db, provisional_2027):
    # when an operator confirms 2027 with a day both off and worked
    code, out, err = await _giamsat(
        db.url, "calendar", "confirm", "2027", "--source", "Thông báo thử nghiệm",
        "--day-off", "2027-01-04=Nghỉ hoán đổi", "--working-day", "2027-01-04",
    )  # fmt: skip
    # then the command fails, naming the day, and nothing is stored
    assert code != 0 and out == ""
    assert "04/01/2027" in err and "vừa là ngày nghỉ vừa là ngày làm việc" in err
    assert await _nothing_stored_for_2027()
    # when the operator confirms it with one swapped day
    code, out, err = await _giamsat(
        db.url, "calendar", "confirm", "2027", "--source", "Thông báo thử nghiệm",
        "--day-off", "2027-01-04=Nghỉ hoán đổi", "--working-day", "2027-01-30=Làm bù",
    )  # fmt: skip
    # then it says what it did, and the year is confirmed for `calendar due` too
    assert code == 0, err
    assert out.startswith("2027: đã xác nhận / confirmed") and "2 days stored" in out
    code, out, _ = await _calendar_due(db.url, "2026-12-20", "20")
    assert out.splitlines()[0] == "2027-01-19" and "provisional" not in out
