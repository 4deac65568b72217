"""The case workflow: due dates, legal and illegal transitions, transfers, visibility."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from giamsat.audit.service import recent
from giamsat.calendar import WorkingCalendar
from giamsat.cases.policy import CasePolicy
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import (
    ClockChange,
    ComplexFlag,
    Forward,
    Merge,
    StatusChange,
    Transfer,
)
from giamsat.cases.tables import Case, CaseEvent
from giamsat.cases.workflow import (
    change_status,
    forward_up,
    merge,
    pause_clock,
    resume_clock,
    set_complex,
    transfer,
)
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import InvalidInput, NotFound
from tests.integration.cases.conftest import context_for, new_case


async def _events(case_id: int) -> list[str]:
    async with system_scope():
        rows = await CaseEvent.select(CaseEvent.action).where(CaseEvent.case == case_id)
    return [r["action"] for r in rows]


async def test_open_case_counts_working_days_across_tet(db):
    # given a case received on 2025-01-20 (Tết 2025 falls inside the clock)
    # when it is opened plain and complex
    plain = await new_case("00004", received=dt.date(2025, 1, 20))
    hard = await new_case("00004", received=dt.date(2025, 1, 20), complex_case=True)
    # then the due dates follow the official calendar, not Mon–Fri
    assert (plain.due_on, plain.clock_days) == (dt.date(2025, 2, 24), 20)
    assert (hard.due_on, hard.clock_days) == (dt.date(2025, 3, 10), 30)
    assert plain.status == "received" and plain.fired_rules[0].title == "Cán bộ diện xã quản lý"
    assert [f.indicator for f in plain.findings] == ["DD3"]
    assert await _events(plain.id) == ["opened"]


async def test_open_case_in_an_unchecked_year_gets_a_provisional_clock(db):
    # given a receipt date in a year whose holidays nobody has checked
    # when the case is opened
    case = await new_case("00004", received=dt.date(2031, 3, 2))
    # then it has its 20-day clock, and the case says the due date is provisional
    assert case.due_on == WorkingCalendar().add_working_days(dt.date(2031, 3, 2), 20).due
    assert case.due_note is not None and case.due_note.provisional_years == [2031]
    assert "Lịch nghỉ năm 2031 chưa được xác nhận" in case.due_note.vi


async def test_complex_flag_recomputes_the_due_date(db):
    case = await new_case("00004", received=dt.date(2025, 1, 20))
    ctx = await context_for("00004")
    # when the case is flagged complex, then unflagged
    flagged = await set_complex(
        ctx, case.id, ComplexFlag(complex_case=True, reason="nhiều nội dung")
    )
    assert flagged.case and flagged.case.due_on == dt.date(2025, 3, 10)
    back = await set_complex(ctx, case.id, ComplexFlag(complex_case=False, reason="đã rõ"))
    # then the due date follows the flag each time
    assert back.case and back.case.due_on == dt.date(2025, 2, 24)


async def test_legal_transitions_and_refused_illegal_one_changes_nothing(db):
    case = await new_case("00013")
    ctx = await context_for("00013")
    # given the case goes received → verifying → reported
    await change_status(ctx, case.id, StatusChange(status="verifying"))
    detail = await change_status(ctx, case.id, StatusChange(status="reported", reason="đã báo cáo"))
    assert detail.case and detail.case.status == "reported"
    events = await _events(case.id)
    # when it is asked to jump to closed
    with pytest.raises(InvalidInput) as refused:
        await change_status(ctx, case.id, StatusChange(status="closed"))
    # then the error names both statuses, and those it may take instead, by their names;
    # nothing changed
    assert refused.value.message == (
        "A case that is Reported to the same-level party committee cannot become Closed; it can "
        "become “Awaiting answer”, “Answered”, “Overdue, reported to the level above”."
    )
    assert await _events(case.id) == events
    async with tenant_scope(ctx.path):
        assert (await CaseRepository(ctx).row(case.id))["status"] == "reported"
    # and each change is in the audit chain
    actions = [e.action for e in await recent("00013", limit=50) if e.subject_id == str(case.id)]
    assert actions.count("case.status_changed") == 2


async def test_transfer_only_to_parent_or_child(db):
    case = await new_case("00006")
    ctx = await context_for("00006")
    # when transferred to a sibling commune, it is refused
    with pytest.raises(InvalidInput, match="directly above or to one directly below"):
        await transfer(ctx, case.id, Transfer(target="00007", reason="nhầm địa bàn"))
    # and to the city (two levels up) as well
    with pytest.raises(InvalidInput, match="directly above or to one directly below"):
        await transfer(ctx, case.id, Transfer(target="01", reason="vượt cấp"))
    # when transferred to its district (the parent), it moves with its history
    await transfer(ctx, case.id, Transfer(target="001", reason="cán bộ diện quận quản lý"))
    district = await context_for("001")
    async with tenant_scope(district.path):
        detail = await CaseRepository(district).detail(case.id)
    assert detail.access == "full" and detail.case is not None
    assert [e.action for e in detail.case.history] == ["opened", "transferred"]
    # and the district may hand it down to another of its communes
    await transfer(district, case.id, Transfer(target="00007", reason="đúng địa bàn"))
    commune = await context_for("00007")
    async with tenant_scope(commune.path):
        moved = await CaseRepository(commune).detail(case.id)
    assert moved.case is not None and len(moved.case.history) == 3


async def test_forwarding_visibility(db):
    # given a case of Phúc Xá (00001) forwarded up to Ba Đình (001)
    case = await new_case("00001")
    origin = await context_for("00001")
    result = await forward_up(origin, case.id, Forward(reason="cán bộ diện quận quản lý"))
    # then the origin sees the status only
    assert result.access == "status" and result.case is None
    assert result.status is not None and result.status.status == "forwarded"
    assert result.status.committee_code == "001"
    # and the district owns it in full, the city sees it without reporter identity
    district, city = await context_for("001"), await context_for("01")
    async with tenant_scope(district.path):
        assert (await CaseRepository(district).detail(case.id)).access == "full"
    async with tenant_scope(city.path):
        seen = await CaseRepository(city).detail(case.id)
    assert seen.access == "subtree" and seen.case is not None
    assert all(s.source is None for s in seen.case.signals)
    # and a sibling commune sees nothing, even with an unscoped filter
    sibling = await context_for("00004")
    async with tenant_scope(sibling.path):
        with pytest.raises(NotFound):
            await CaseRepository(sibling).detail(case.id)
        if db.backend == "postgres":
            assert await Case.select(Case.id).where(Case.id == case.id) == []
    # and the origin can no longer act on it
    with pytest.raises(NotFound):
        await change_status(origin, case.id, StatusChange(status="verifying"))


async def test_merge_as_duplicate(db):
    first, second = await new_case("00008"), await new_case("00008")
    ctx = await context_for("00008")
    merged = await merge(ctx, second.id, Merge(into=first.id, reason="trùng nội dung"))
    assert merged.case and (merged.case.status, merged.case.merged_into) == ("merged", first.id)
    with pytest.raises(InvalidInput) as refused:
        await change_status(ctx, second.id, StatusChange(status="verifying"))
    assert refused.value.message == (
        "A case that is Merged as a duplicate cannot become Verifying: the case is finished."
    )


async def test_a_refused_move_lists_the_allowed_statuses_in_the_readers_language(db, factory):
    # given a case of Quận Hoàn Kiếm just received, and an officer of the district on the API
    case = await new_case("002")
    api, _ = await factory.api_client("002")
    # when the officer asks to move it straight to answered, in Vietnamese, then in English
    vi = await api.post(f"/api/v1/cases/{case.id}/status", json={"status": "answered"})
    await api.get("/language", params={"to": "en"})
    en = await api.post(f"/api/v1/cases/{case.id}/status", json={"status": "answered"})
    # then each refusal names the statuses it may take instead, each by its name in that
    # language, in the workflow's order, joined in the reader's words; no stored code shows
    assert (vi.status_code, en.status_code) == (422, 422)
    assert vi.json()["message"] == (
        "Vụ việc đang ở trạng thái Đã tiếp nhận không thể chuyển sang Đã trả lời; chỉ có thể "
        "chuyển sang “Đang xác minh”, “Đã kết thúc”, “Đã chuyển cấp trên”, “Quá hạn, đã báo cáo "
        "cấp trên”, “Đã gộp (trùng)”."
    )
    assert en.json()["message"] == (
        "A case that is Newly received cannot become Answered; it can become “Verifying”, "
        "“Closed”, “Forwarded up”, “Overdue, reported to the level above”, “Merged as a "
        "duplicate”."
    )
    for said in (vi.json()["message"], en.json()["message"]):
        assert "verifying" not in said and "forwarded" not in said and "merged" not in said
    # and another committee's officer cannot even reach the case
    sibling, _ = await factory.api_client("003")
    other = await sibling.post(f"/api/v1/cases/{case.id}/status", json={"status": "answered"})
    assert other.status_code == 404


async def test_pause_only_where_the_pack_allows(db):
    case = await new_case("00010", received=dt.date(2025, 3, 3))
    ctx = await context_for("00010")
    with pytest.raises(InvalidInput, match="does not allow pausing"):
        await pause_clock(ctx, case.id, ClockChange(reason="chờ xác minh", on=dt.date(2025, 3, 5)))

    # when the case carries a pack's policy whose clock pauses
    pausable = CasePolicy(pack_version="test@1", clock="answer", pausable=True)
    async with system_scope():
        await Case.update({Case.policy: msgspec.to_builtins(pausable)}).where(Case.id == case.id)
    await pause_clock(ctx, case.id, ClockChange(reason="chờ xác minh", on=dt.date(2025, 3, 5)))
    resumed = await resume_clock(
        ctx, case.id, ClockChange(reason="đủ hồ sơ", on=dt.date(2025, 3, 12))
    )
    # then the five working days paused push the due date back five working days
    assert resumed.case and resumed.case.paused_days == 5
    assert resumed.case.due_on == dt.date(2025, 4, 8)
