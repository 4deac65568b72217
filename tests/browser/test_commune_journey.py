"""A ward officer's day in the browser: an overdue case on the home page, opened, moved, a refused
close corrected without retyping, then closed with confirmation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_ward_officer_moves_and_closes_an_overdue_case(live_server, browser):
    page = browser.new_page(locale="vi-VN", viewport={"width": 375, "height": 800})
    try:
        # given Phường Ba Đình's democracy-law officer, logged in on a phone
        page.goto(f"{live_server.url}/login")
        page.fill("#committee", "00004")
        page.fill("#username", "badinh")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/c/00004/")
        # when the home page's overdue line is followed
        overdue = page.locator("a[href='/c/00004/cases?view=overdue']")
        assert "Vụ việc quá hạn" in overdue.inner_text()
        overdue.click()
        page.wait_for_load_state()
        # then the list holds overdue cases only, each tagged with its days overdue
        rows = page.locator("table.govuk-table tbody tr")
        assert rows.count() > 0 and all("Quá hạn" in t for t in rows.all_inner_texts())
        first = page.locator("table.govuk-table tbody tr:has-text('Đã tiếp nhận')").first
        # when the first one is opened and moved to verifying with a note
        first.locator("a").first.click()
        page.wait_for_load_state()
        case_url = page.url
        page.fill("#note", "Bắt đầu xác minh")
        page.get_by_role("button", name="Chuyển sang: Đang xác minh").click()
        page.wait_for_load_state()
        assert "Đang xác minh" in page.locator("main .govuk-tag").first.inner_text()
        # when the officer tries to close it with a result but without ticking the confirmation
        page.locator("summary:has-text('Kết thúc vụ việc')").click()
        page.fill("#result", "Đã xác minh, không có vi phạm")
        page.get_by_role("button", name="Kết thúc vụ việc").click()
        page.wait_for_load_state()
        # then the same page comes back with the problem on top and the result still written
        assert page.url == case_url
        assert "Đánh dấu vào ô xác nhận" in page.locator(".govuk-error-summary").inner_text()
        assert page.input_value("#result") == "Đã xác minh, không có vi phạm"
        # when the confirmation is ticked and the form sent again, nothing retyped
        page.check("#confirm", force=True)
        page.get_by_role("button", name="Kết thúc vụ việc").click()
        page.wait_for_load_state()
        # then the case is closed and no further move is offered
        assert "Đã kết thúc" in page.locator("main .govuk-tag").first.inner_text()
        assert page.get_by_role("button", name="Kết thúc vụ việc").count() == 0
        assert "Đã xác minh, không có vi phạm" in page.locator("table.govuk-table").inner_text()
    finally:
        page.close()
