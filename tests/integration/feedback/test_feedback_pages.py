"""Feedback pages: record, send, take in (with a reply-by), explain and close from the page."""

from __future__ import annotations

import re

from tests.factories import csrf


async def test_feedback_walks_every_step_through_the_pages(db, factory):
    # given an officer of commune 00061 (Hoàn Kiếm) on the feedback page
    client, _ = await factory.page_client("00061")
    listing = await client.get("/c/00061/feedback/")
    assert listing.status_code == 200 and "Tiếp nhận góp ý" in listing.text
    # when feedback is recorded from the form
    created = await client.post(
        "/c/00061/feedback/",
        data={
            "recipient_kind": "party_committee",
            "recipient": "Đảng ủy phường",
            "content": "Đề nghị công khai lịch tiếp dân",
            "received_on": "2025-01-06",
            "_csrf_token": csrf(client),
        },
    )
    assert created.status_code in (302, 303), created.text
    match = re.search(r"/c/00061/feedback/(\d+)$", created.headers["location"])
    assert match is not None
    url = f"/c/00061/feedback/{match.group(1)}"
    # and it is sent, then taken in with a reply within 5 working days of 22/01/2025
    for form in (
        {"action": "sent", "sent_on": "2025-01-07"},
        {"action": "taken_in", "taken_in_on": "2025-01-22", "reply_within": "5"},
    ):
        resp = await client.post(url, data={**form, "_csrf_token": csrf(client)})
        assert resp.status_code in (302, 303), resp.text
    # then the reply-by date skips Tết
    page = await client.get(url)
    assert "05/02/2025" in page.text and "Đã tiếp thu" in page.text
    # when the explanation is posted with an unreadable date
    bad = await client.post(
        url,
        data={
            "action": "explained",
            "explained_on": "5/2/2025",
            "explanation": "Đã công khai",
            "_csrf_token": csrf(client),
        },
    )
    # then it is refused with the reason, and the feedback is still taken in
    assert bad.status_code == 422 and "hãy ghi dạng YYYY-MM-DD" in bad.text
    assert "Ghi nhận giải trình" in (await client.get(url)).text
    # when it is explained and closed
    for form in (
        {"action": "explained", "explained_on": "2025-02-04", "explanation": "Đã công khai"},
        {"action": "closed", "closed_on": "2025-02-05"},
    ):
        resp = await client.post(url, data={**form, "_csrf_token": csrf(client)})
        assert resp.status_code in (302, 303), resp.text
    # then the page says closed and offers no further step
    done = await client.get(url)
    assert "Đã kết thúc" in done.text and "Việc cần làm tiếp" not in done.text
    # and a read-only user may not act, a sibling commune sees nothing
    reader, _ = await factory.page_client("00061", "read_only")
    assert (
        await reader.post(url, data={"action": "closed", "_csrf_token": csrf(reader)})
    ).status_code == 403
    sibling, _ = await factory.page_client("00064")
    assert (await sibling.get(f"/c/00064/feedback/{match.group(1)}")).status_code == 404


async def test_receiving_feedback_without_a_recipient_kind_is_refused(db, factory):
    client, _ = await factory.page_client("00061")
    resp = await client.post(
        "/c/00061/feedback/",
        data={
            "recipient": "x",
            "content": "y",
            "received_on": "2025-01-06",
            "_csrf_token": csrf(client),
        },
    )
    assert resp.status_code == 422 and "Chọn nơi nhận: cấp ủy hoặc cán bộ." in resp.text
    # and on an English page the same refusal is in English
    await client.get("/language", params={"to": "en", "next": "/"})
    resp = await client.post(
        "/c/00061/feedback/",
        data={
            "recipient": "x",
            "content": "y",
            "received_on": "2025-01-06",
            "_csrf_token": csrf(client),
        },
    )
    assert resp.status_code == 422
    assert "Choose the recipient: a party committee or a cadre." in resp.text
    # a post without the CSRF token is refused outright
    assert (await client.post("/c/00061/feedback/", data={"recipient": "x"})).status_code == 403
