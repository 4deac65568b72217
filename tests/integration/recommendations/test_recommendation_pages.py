"""Recommendation pages: answer, progress and re-supervision from the detail page's forms."""

from __future__ import annotations

import datetime as dt

from giamsat.recommendations.service import get_item
from tests.factories import csrf
from tests.integration.recommendations.test_recommendations import _items, context_for


async def test_officer_answers_tracks_and_resupervises_from_the_page(db, factory):
    # given an item of commune 00049 (Hoàn Kiếm) and one of its officers logged in
    (item,) = await _items("00049", dt.date(2025, 6, 30))
    client, _ = await factory.page_client("00049")
    url = f"/c/00049/recommendations/{item}"
    page = await client.get(url)
    assert page.status_code == 200 and "Ghi nhận trả lời" in page.text
    # when the answer is posted without a summary
    bad = await client.post(
        url, data={"action": "answer", "answered_on": "2025-06-20", "_csrf_token": csrf(client)}
    )
    # then it is refused with the field named, and nothing changed
    assert bad.status_code == 422 and "Cần nhập nội dung trả lời." in bad.text
    assert (await get_item(await context_for("00049"), item)).status == "awaiting_answer"
    # when a valid answer, then 60 % progress are posted
    for form in (
        {"action": "answer", "answered_on": "2025-06-20", "summary": "Đã tiếp thu"},
        {"action": "progress", "progress": "60", "note": "Đang khắc phục"},
    ):
        resp = await client.post(url, data={**form, "_csrf_token": csrf(client)})
        assert resp.status_code in (302, 303), resp.text
    # then the page shows them
    after = await client.get(url)
    assert "Đã tiếp thu" in after.text and "60%" in after.text and "Đang thực hiện" in after.text
    # and a progress over 100 is refused with the reason
    over = await client.post(
        url, data={"action": "progress", "progress": "140", "_csrf_token": csrf(client)}
    )
    assert over.status_code == 422 and "Tiến độ phải là số từ 0 đến 100" in over.text
    # when the committee supervises again
    again = await client.post(
        url,
        data={
            "action": "resupervise",
            "received_on": "2025-09-01",
            "reason": "Chưa khắc phục xong",
            "_csrf_token": csrf(client),
        },
    )
    assert again.status_code in (302, 303), again.text
    follow_up = (await get_item(await context_for("00049"), item)).follow_up_case_id
    assert follow_up is not None and f"/c/00049/cases/{follow_up}" in (await client.get(url)).text


async def test_recommendation_forms_need_csrf_a_staff_role_and_the_owner(db, factory):
    (item,) = await _items("00052", dt.date(2025, 6, 30))
    url = f"/c/00052/recommendations/{item}"
    answer = {"action": "answer", "answered_on": "2025-06-20", "summary": "Tiếp thu"}
    # a post without the CSRF token is refused
    officer, _ = await factory.page_client("00052")
    assert (await officer.post(url, data=answer)).status_code == 403
    # a read-only user sees the item but no form, and may not post
    reader, _ = await factory.page_client("00052", "read_only")
    shown = await reader.get(url)
    assert shown.status_code == 200 and "Ghi nhận trả lời" not in shown.text
    refused = await reader.post(url, data={**answer, "_csrf_token": csrf(reader)})
    assert refused.status_code == 403
    # the district above reads it without forms, and cannot act on it
    district, _ = await factory.page_client("002")
    above = await district.get(f"/c/002/recommendations/{item}")
    assert above.status_code == 200 and "Ghi nhận trả lời" not in above.text
    acted = await district.post(
        f"/c/002/recommendations/{item}", data={**answer, "_csrf_token": csrf(district)}
    )
    assert acted.status_code == 404
    # a sibling commune sees nothing
    sibling, _ = await factory.page_client("00055")
    assert (await sibling.get(f"/c/00055/recommendations/{item}")).status_code == 404
    assert (await get_item(await context_for("00052"), item)).status == "awaiting_answer"
