"""The case and delegation pages: list with due dates, detail with history and actions."""

from __future__ import annotations

import datetime as dt

from giamsat.plans.service import history
from tests.factories import csrf
from tests.integration.audit.conftest import context_for
from tests.integration.cases.conftest import new_case
from tests.integration.decisions.conftest import DISTRICT, pack_in_force
from tests.integration.plans.conftest import first_child, new_cadre


async def test_case_pages_list_detail_and_an_action(db, factory):
    # given a case of Phường Quán Thánh (00013) and one of its officers logged in
    case = await new_case("00013", received=dt.date(2025, 1, 20))
    client, _ = await factory.page_client("00013")
    # when the list is filtered by status "received"
    listing = await client.get("/c/00013/cases/", params={"status": "received"})
    # then the case shows with its due date and its status in Vietnamese only
    assert listing.status_code == 200
    assert case.number in listing.text and "24/02/2025" in listing.text
    assert "Đã tiếp nhận" in listing.text and "Received" not in listing.text
    # when the officer moves it to verifying from the detail page
    detail = await client.get(f"/c/00013/cases/{case.id}")
    assert "Cán bộ diện xã quản lý" in detail.text  # the rule that fired, as the reason
    resp = await client.post(
        f"/c/00013/cases/{case.id}",
        data={"action": "status", "status": "verifying", "reason": "", "_csrf_token": csrf(client)},
    )
    assert resp.status_code in (301, 302, 303), resp.text
    # then the history shows the change
    after = await client.get(f"/c/00013/cases/{case.id}")
    assert "Đã tiếp nhận → Đang xác minh" in after.text
    # and an illegal move is refused on the same page, in plain words, the note kept
    bad = await client.post(
        f"/c/00013/cases/{case.id}",
        data={
            "action": "status",
            "status": "answered",
            "reason": "ghi chú giữ lại",
            "_csrf_token": csrf(client),
        },
    )
    assert bad.status_code == 422 and "Có vấn đề cần xử lý" in bad.text
    assert "không thể chuyển sang Đã trả lời" in bad.text
    assert "ghi chú giữ lại" in bad.text and "answered" not in bad.text.split("<main")[1]
    # and a sibling commune's officer gets "not found"
    other, _ = await factory.page_client("00016")
    assert (await other.get(f"/c/00016/cases/{case.id}")).status_code == 404


async def test_case_api_is_tenant_scoped(db, factory):
    case = await new_case("00022")
    mine, _ = await factory.api_client("00022")
    sibling, _ = await factory.api_client("00025")
    shown = await mine.get(f"/api/v1/cases/{case.id}")
    assert shown.status_code == 200 and shown.json()["access"] == "full"
    assert (await sibling.get(f"/api/v1/cases/{case.id}")).status_code == 404
    assert case.id not in [c["id"] for c in (await sibling.get("/api/v1/cases")).json()["items"]]
    # a transfer to a committee two levels up is refused with the reason
    refused = await mine.post(
        f"/api/v1/cases/{case.id}/transfer", json={"target": "01", "reason": "vượt cấp"}
    )
    assert refused.status_code == 422
    assert "chỉ được chuyển lên Ủy ban cấp trên trực tiếp" in refused.json()["message"]


async def test_case_page_names_its_plan_not_the_pack_version(db, factory, tmp_path):
    # given a case of Huyện Ba Vì decided by its stored 2022 pack (the version is a content hash)
    await pack_in_force(tmp_path)
    stored = next(v for v in await history(DISTRICT) if v.committee_code == DISTRICT)
    case = await new_case(DISTRICT, pack_version=stored.version)
    client, _ = await factory.page_client(DISTRICT)
    # when its officer opens it, in Vietnamese and then in English
    vi = (await client.get(f"/c/{DISTRICT}/cases/{case.id}")).text
    await client.get("/language", params={"to": "en", "next": "/"})
    en = (await client.get(f"/c/{DISTRICT}/cases/{case.id}")).text
    # then the page names the plan in the page's language, never the version string
    assert "Kế hoạch giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống" in vi
    assert "Plan for supervising the ethics and lifestyle" in en
    assert stored.version not in vi and stored.version not in en


async def test_transfer_offers_only_the_committees_the_pack_allows(db, factory, tmp_path):
    # given the 2022 pack in force, and a case about a district-managed cadre that it routed to
    # Huyện Ba Vì (a commune's officer opened it)
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    cadre = await new_cadre(commune, "district")
    officer, _ = await factory.api_client(commune.committee_code)
    opened = await officer.post("/api/v1/cases", json={
        "cadre_id": cadre, "indicators": ["DD3"], "received_on": "2022-06-01"})  # fmt: skip
    assert opened.status_code == 201 and opened.json()["committee_code"] == DISTRICT, opened.text
    # when the district's officer opens the case page
    district, _ = await factory.page_client(DISTRICT)
    page = (await district.get(f"/c/{DISTRICT}/cases/{opened.json()['id']}")).text
    # then the transfer list offers the city, and none of the communes below the routed level
    choices = page.split('id="target"')[1].split("</select>")[0]
    assert 'value="01"' in choices
    assert f'value="{commune.committee_code}"' not in choices
    # and the commune that sent it, seeing its status only, is offered no transfer at all
    sender, _ = await factory.page_client(commune.committee_code)
    seen = await sender.get(f"/c/{commune.committee_code}/cases/{opened.json()['id']}")
    assert seen.status_code == 200 and 'id="target"' not in seen.text


async def test_case_page_counts_its_deadline_in_working_days_like_the_lists(db, factory):
    from giamsat.calendar.overrides_store import working_calendar
    from giamsat.cases.tables import Case
    from giamsat.db.scope import system_scope
    from tests.integration.calendar.conftest import frozen_on

    # given a case of Phường Hàng Bài (00088) due Wednesday 12 March 2025
    case = await new_case("00088", received=dt.date(2025, 2, 10))
    async with system_scope():
        await Case.update({Case.due_on: dt.date(2025, 3, 12)}).where(Case.id == case.id)
    client, _ = await factory.page_client("00088")
    # when the officer opens it on Friday 7 March (five calendar days, a weekend between)
    with frozen_on(dt.date(2025, 3, 7)):
        before = await client.get(f"/c/00088/cases/{case.id}")
        listing = await client.get("/c/00088/cases/")
    # then the page and the list both say three working days left
    assert "Còn 3 ngày làm việc" in before.text and "Còn 5 ngày" not in before.text
    assert "Còn 3 ngày làm việc" in listing.text
    # when opened on Monday 17 March (five calendar days late, three working days)
    with frozen_on(dt.date(2025, 3, 17)):
        after = await client.get(f"/c/00088/cases/{case.id}")
    assert "Quá hạn 3 ngày làm việc" in after.text and "Quá hạn 5 ngày" not in after.text
    # and across the 30 April / 1 May holidays the days off are not counted either
    async with system_scope():
        await Case.update({Case.due_on: dt.date(2025, 5, 5)}).where(Case.id == case.id)
    calendar = await working_calendar()
    left = calendar.working_days_between(dt.date(2025, 4, 29), dt.date(2025, 5, 5))
    assert left < 4  # Wednesday and Thursday are days off
    with frozen_on(dt.date(2025, 4, 29)):
        holiday = await client.get(f"/c/00088/cases/{case.id}")
    assert f"Còn {left} ngày làm việc" in holiday.text
    # and the sibling Phường Trần Hưng Đạo's officer (00082) cannot see the case at all
    other, _ = await factory.page_client("00082")
    assert (await other.get(f"/c/00082/cases/{case.id}")).status_code == 404
