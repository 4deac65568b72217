"""Admins' calendar overrides: stored, used by every clock, refused when wrong."""

from __future__ import annotations

import datetime as dt

from giamsat.calendar.overrides_store import CalendarOverrideEntry
from giamsat.cases.tables import Case, CaseEvent
from giamsat.db.scope import system_scope
from tests.integration.cases.conftest import new_case


async def test_admin_override_moves_case_due_dates_and_non_admins_are_refused(db, factory):
    admin, _ = await factory.api_client("01", "admin")
    officer, _ = await factory.api_client("01", "democracy_law")
    day = {"date": "2024-07-15", "kind": "holiday", "reason": "Ngày nghỉ thử nghiệm (test)"}
    before = await new_case("00070", received=dt.date(2024, 7, 1))
    district_admin, _ = await factory.api_client("001", "admin")
    # a non-admin, or an admin below the top of the tree, cannot add an override
    assert (await officer.post("/api/v1/calendar/overrides", json=day)).status_code == 403
    assert (await district_admin.post("/api/v1/calendar/overrides", json=day)).status_code == 403
    # when the admin declares a Monday inside the clock a holiday
    created = await admin.post("/api/v1/calendar/overrides", json=day)
    assert created.status_code == 201, created.text
    try:
        after = await new_case("00070", received=dt.date(2024, 7, 1))
        # then the new case's due date is one working day later
        assert before.due_on is not None and after.due_on is not None
        assert after.due_on > before.due_on
        # and the case already open moved with it, its history saying why
        moved = await _case(before.id)
        assert moved["due_on"] == after.due_on
        event = (await _history(before.id))[-1]
        assert event["action"] == "due_recomputed"
        assert "được điều chỉnh" in event["reason"]
        # and the same day twice is refused
        again = await admin.post("/api/v1/calendar/overrides", json=day)
        assert again.status_code == 409
        year = {"year": 2024}
        listed = (await officer.get("/api/v1/calendar/overrides", params=year)).json()["items"]
        assert [o["date"] for o in listed] == ["2024-07-15"]
        refused = await district_admin.delete(f"/api/v1/calendar/overrides/{created.json()['id']}")
        assert refused.status_code == 403
    finally:
        removed = await admin.delete(f"/api/v1/calendar/overrides/{created.json()['id']}")
        assert removed.status_code == 200
    async with system_scope():
        assert not await CalendarOverrideEntry.exists().where(
            CalendarOverrideEntry.day == dt.date(2024, 7, 15)
        )
    # and removing the override moved the open clock back
    assert (await _case(before.id))["due_on"] == before.due_on


async def _case(case_id: int) -> dict[str, object]:
    async with system_scope():
        row = await Case.select().where(Case.id == case_id).first()
    assert row is not None
    return dict(row)


async def _history(case_id: int) -> list[dict[str, object]]:
    async with system_scope():
        return list(
            await CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id)
        )
