"""A person logs in through the real browser and sees the committee's home in Vietnamese."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_login_shows_the_ward_home_in_vietnamese(live_server, browser):
    # given the demo server and an account of Phường Ba Đình (00004 since 1 July 2025)
    page = browser.new_page(locale="vi-VN")
    try:
        # when the person fills the login form
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=committee]", "00004")
        page.fill("input[name=username]", "badinh")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/c/00004/")
        # then the ward's home is shown in Vietnamese under the city (no district any more)
        assert page.inner_text("#committee-title") == "Ủy ban MTTQ Việt Nam Phường Ba Đình"
        body = page.inner_text("main")
        assert "Thành phố Hà Nội" in body and "Quận Ba Đình" not in body
        # and the tree browser finds the ward without diacritics
        page.goto(f"{live_server.url}/c/00004/tree?q=ba dinh")
        assert "Phường Ba Đình" in page.inner_text("main")
        # and switching the language shows English
        page.goto(f"{live_server.url}/c/00004/")
        page.click("text=English")
        page.wait_for_load_state()
        assert "Committees below" in page.inner_text("main")
    finally:
        # the account keeps the language its user last chose: give it back its Vietnamese
        page.goto(f"{live_server.url}/language?to=vi&next=/login")
        page.close()


def test_wrong_password_shows_a_readable_error(live_server, browser):
    # given a browser set to Vietnamese and one set to English, on the login page
    for locale, expected in (
        ("vi-VN", "Sai đơn vị, tên đăng nhập hoặc mật khẩu"),
        ("en-US", "The committee, the username or the password is wrong"),
    ):
        page = browser.new_page(locale=locale)
        try:
            page.goto(f"{live_server.url}/login")
            # when a wrong password is sent
            page.fill("input[name=committee]", "00004")
            page.fill("input[name=username]", "badinh")
            page.fill("input[name=password]", "not-the-password")
            page.click("button[type=submit]")
            # then the refusal reads in that browser's language only
            shown = page.inner_text("[role=alert]")
            assert expected in shown, (locale, shown)
        finally:
            page.close()
