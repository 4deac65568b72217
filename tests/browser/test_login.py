"""A person logs in through the real browser and sees the committee's home in Vietnamese."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_login_shows_the_district_home_in_vietnamese(live_server, browser):
    # given the demo server and a district account (Quận Ba Đình)
    page = browser.new_page(locale="vi-VN")
    try:
        # when the person fills the login form
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=committee]", "001")
        page.fill("input[name=username]", "badinh")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/c/001/")
        # then the committee's home is shown in Vietnamese with its place in the tree
        assert page.inner_text("#committee-title") == "Ủy ban MTTQ Việt Nam Quận Ba Đình"
        body = page.inner_text("main")
        assert (
            "Đơn vị trực thuộc" in body and "Phường Phúc Xá" in body and "Thành phố Hà Nội" in body
        )
        # and the tree browser finds a commune without diacritics
        page.goto(f"{live_server.url}/c/001/tree?q=phuc xa")
        assert "Phường Phúc Xá" in page.inner_text("main")
        # and switching the language shows English
        page.goto(f"{live_server.url}/c/001/")
        page.click("text=English")
        page.wait_for_load_state()
        assert "Committees below" in page.inner_text("main")
    finally:
        page.close()


def test_wrong_password_shows_a_readable_error(live_server, browser):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=committee]", "001")
        page.fill("input[name=username]", "badinh")
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
        assert "Sai đơn vị, tên đăng nhập hoặc mật khẩu" in page.inner_text("[role=alert]")
    finally:
        page.close()
