"""The citizens' portal end to end in the real browser: an anonymous report, its receipt, a
reply from the committee's staff page, and the reporter reading it with the receipt code.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_anonymous_report_receipt_reply_and_status(live_server, browser):  # type: ignore[no-untyped-def]
    unique = uuid.uuid4().hex[:10]
    citizen = browser.new_context(locale="vi-VN")
    staff = browser.new_context(locale="vi-VN")
    later = browser.new_context(locale="vi-VN")
    try:
        # given a citizen who finds Phường Ba Đình on the portal without typing diacritics
        page = citizen.new_page()
        page.goto(f"{live_server.url}/portal/")
        page.fill("input[name=q]", "ba dinh")
        page.click("form[role=search] button")
        page.click("#committees a[href='/portal/00004/report']")
        # when they send an anonymous complaint (anonymous is ticked by default)
        assert page.is_checked("#anonymous")
        page.select_option("select[name=kind]", "complaint")
        page.fill("input[name=cadre_name]", "Cán bộ địa chính phường")
        page.fill("textarea[name=content]", f"Gây phiền hà khi làm sổ đỏ {unique}")
        page.click("#report-form button[type=submit]")
        # then a receipt code is shown once
        code = page.inner_text("#receipt-code").strip()
        assert len(code.replace("-", "")) == 20
        # when a staff member of Phường Ba Đình opens the report on the staff page and replies
        desk = staff.new_page()
        desk.goto(f"{live_server.url}/login")
        desk.fill("input[name=committee]", "00004")
        desk.fill("input[name=username]", "badinh")
        desk.fill("input[name=password]", DEMO_PASSWORD)
        desk.click("button[type=submit]")
        desk.wait_for_url("**/c/00004/")
        desk.goto(f"{live_server.url}/c/00004/portal/")
        row = desk.locator("#portal-reports tr", has_text=unique)
        row.locator("a").first.click()
        desk.fill("#reply-form textarea[name=body]", f"Ủy ban đã nhận và đang xác minh {unique}")
        desk.click("#reply-form button[type=submit]")
        assert f"đang xác minh {unique}" in desk.inner_text("#thread")
        # then the reporter, coming back later with only the code, reads the reply
        back = later.new_page()
        back.goto(f"{live_server.url}/portal/status")
        back.fill("input[name=code]", code)
        back.click("button[type=submit]")
        assert back.inner_text("#status") == "Đã tiếp nhận"
        assert f"Ủy ban đã nhận và đang xác minh {unique}" in back.inner_text("#thread")
        # and the receipt code appears nowhere on the staff side
        assert code not in desk.content()
    finally:
        for context in (citizen, staff, later):
            context.close()
