"""The calendar never runs out: at frozen dates, a signal gets its clock and the work goes on.

District 007 (Hai Bà Trưng) issues the city's plan for each year here, so no other test's
committees get a plan in force; each journey uses its own commune of that district.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from giamsat.calendar import WorkingCalendar
from tests.integration.calendar.conftest import (
    NARRATIVE,
    commune_with_workplace_channel,
    frozen_on,
    plan_in_force,
    report_dd3,
)

ISSUER = "007"


async def test_a_signal_in_late_december_gets_a_provisional_clock_in_the_next_year(db, factory):
    commune, sibling = "00244", "00241"
    with frozen_on(dt.date(2026, 12, 20)):
        # given the 2026 plan in force and a commune taking workplace reports
        await plan_in_force(2026, ISSUER)
        cadre = await commune_with_workplace_channel(commune)
        client, _ = await factory.api_client(commune)
        # when a DD3 report comes in on Sunday 20/12/2026
        case_id = await report_dd3(client, cadre)
        detail = (await client.get(f"/api/v1/cases/{case_id}")).json()["case"]
        # then a case is open with its 20-working-day clock, due in 2027 (the year is computed)
        expected = WorkingCalendar().add_working_days(dt.date(2026, 12, 20), 20).due
        assert detail["received_on"] == "2026-12-20"
        assert detail["due_on"] == expected.isoformat() == "2027-01-18"
        # and the API says the due date rests on 2027, whose calendar is not confirmed
        assert detail["due_note"]["provisional_years"] == [2027]
        assert "Lịch nghỉ năm 2027 chưa được xác nhận" in detail["due_note"]["vi"]
        assert "provisional" in detail["due_note"]["en"]
        # and the case page says so too
        pages, _ = await factory.page_client(commune)
        shown = await pages.get(f"/c/{commune}/cases/{case_id}")
        assert shown.status_code == 200
        assert "18/01/2027" in shown.text
        assert "lịch nghỉ năm 2027 chưa được xác nhận" in shown.text.lower()
        # and flagging it complex sets a 30-day clock, provisional too
        flagged = await client.post(
            f"/api/v1/cases/{case_id}/complex",
            json={"complex_case": True, "reason": "nhiều nội dung"},
        )
        assert flagged.status_code in (200, 201), flagged.text
        assert flagged.json()["case"]["due_on"] == "2027-02-01"
        # and a sibling commune sees nothing of it
        other, _ = await factory.api_client(sibling)
        assert (await other.get(f"/api/v1/cases/{case_id}")).status_code == 404
        assert all(c["id"] != case_id for c in (await other.get("/api/v1/cases/")).json()["items"])


@pytest.mark.parametrize(
    ("today", "commune", "sibling"),
    [(dt.date(2027, 1, 15), "00247", "00256"), (dt.date(2030, 6, 1), "00259", "00262")],
)
async def test_signal_case_report_journey_in_a_later_year(db, factory, today, commune, sibling):
    with frozen_on(today):
        # given that year's plan in force and a commune taking workplace reports
        await plan_in_force(today.year, ISSUER)
        cadre = await commune_with_workplace_channel(commune)
        client, _ = await factory.api_client(commune)
        # when a DD3 report comes in
        case_id = await report_dd3(client, cadre)
        case = (await client.get(f"/api/v1/cases/{case_id}")).json()["case"]
        # then the case has its clock on that year's calendar
        due = WorkingCalendar().add_working_days(today, 20).due
        assert (case["received_on"], case["due_on"]) == (today.isoformat(), due.isoformat())
        assert case["due_note"]["provisional_years"] == sorted({due.year, today.year})
        assert re.search(r"Lịch nghỉ năm \d{4}", case["due_note"]["vi"])
        # and the commune's report of the year counts it
        period = str(today.year)
        draft = await client.get(f"/api/v1/reports/{period}/draft")
        assert draft.status_code == 200, draft.text
        assert draft.json()["period"] == period
        assert draft.json()["own_figures"].get("cases.opened") == 1
        # and the commune submits its report, which its district sees as submitted
        sent = await client.post(
            f"/api/v1/reports/{period}/submissions", json={"narrative": NARRATIVE}
        )
        assert sent.status_code == 201, sent.text
        district, _ = await factory.api_client(ISSUER)
        tree = (await district.get(f"/api/v1/reports/{period}/status", params={"depth": 1})).json()
        assert {c["code"]: c["status"] for c in tree["children"]}[commune] == "submitted"
        board, _ = await factory.page_client(ISSUER)
        assert (
            await board.get(f"/c/{ISSUER}/dashboard", params={"period": period})
        ).status_code == 200
        # and a sibling commune sees neither the case nor a submission of its own
        other, _ = await factory.api_client(sibling)
        assert (await other.get(f"/api/v1/cases/{case_id}")).status_code == 404
        theirs = (await other.get(f"/api/v1/reports/{period}/draft")).json()
        assert theirs["own_figures"].get("cases.opened", 0) == 0 and theirs["version"] is None
