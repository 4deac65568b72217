"""The case and delegation pages: list with due dates, detail with history and actions."""

from __future__ import annotations

import datetime as dt

from tests.factories import csrf
from tests.integration.cases.conftest import new_case


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
    assert "Việc chuyển trạng thái này không được phép" in bad.text
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
    assert case.id not in [c["id"] for c in (await sibling.get("/api/v1/cases")).json()]
    # a transfer to a committee two levels up is refused with the reason
    refused = await mine.post(
        f"/api/v1/cases/{case.id}/transfer", json={"target": "01", "reason": "vượt cấp"}
    )
    assert refused.status_code == 422 and "only the parent committee" in refused.json()["message"]
