"""Two-factor login in the real browser: enrol, log in, recover with a code, the administrator's
reset, and the second factor asked again before a reporter's identity is shown."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = pytest.mark.browser


def _create_user(live_server: Any, committee: str, role: str) -> str:
    """A new account made the operator's way (``giamsat users create``), without 2FA."""
    import sys

    username = f"tf{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [str(Path(sys.executable).with_name("giamsat")), "users", "create", "--committee",
         committee, "--role", role, "--username", username],
        input=DEMO_PASSWORD, text=True, env=live_server.env, check=True, capture_output=True,
        timeout=60,
    )  # fmt: skip
    return username


def _password(page: Any, url: str, committee: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=committee]", committee)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _code(page: Any, code: str) -> None:
    page.fill("#second-factor input[name=code]", code)
    page.click("#second-factor button[type=submit]")
    page.wait_for_load_state()


def _enrol(page: Any) -> tuple[str, list[str]]:
    """On the enrolment page: read the secret beside the QR code, confirm a code; the secret
    and the recovery codes shown."""
    assert page.locator("#totp-qr svg").count() == 1
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#two-factor-setup input[name=code]", pyotp.TOTP(secret).now())
    page.click("#two-factor-setup button[type=submit]")
    page.wait_for_load_state()
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    return secret, codes


def _next_step_code(secret: str) -> str:
    """The code of the next 30-second step (accepted too), when this step's is already used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_the_demo_administrator_logs_in_with_a_code(live_server, browser):
    page = browser.new_page(locale="vi-VN")
    try:
        # given the demo administrator, pre-enrolled with the secret the demo printed
        _password(page, live_server.url, "01", "admin")
        # then the password alone is not enough: the second-factor page asks for a code
        assert "/login/second-factor" in page.url
        # when a wrong code is typed, it is refused with a readable message
        _code(page, "000000")
        assert "Mã xác thực không đúng" in page.inner_text("[role=alert]")
        # when the authenticator's code is typed, the city's home opens
        _code(page, pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.wait_for_url("**/c/01/")
    finally:
        page.close()


def test_a_new_standing_board_member_enrols_then_recovers_with_a_code(live_server, browser):
    username = _create_user(live_server, "01", "standing_board")
    contexts = [browser.new_context(locale="vi-VN") for _ in range(3)]
    try:
        # given a standing-board member created without a second factor, logging in
        first = contexts[0].new_page()
        _password(first, live_server.url, "01", username)
        # then they must enrol: a QR code drawn by the server, the secret, a code to confirm
        assert "/login/two-factor-setup" in first.url
        _, codes = _enrol(first)
        # and, once the recovery codes are shown, they continue to the city's home
        first.click("#continue")
        first.wait_for_url("**/c/01/")
        # when they lose their phone and log in with a recovery code, they get in
        second = contexts[1].new_page()
        _password(second, live_server.url, "01", username)
        _code(second, codes[0])
        second.wait_for_url("**/c/01/")
        # and the same recovery code does not work a second time
        third = contexts[2].new_page()
        _password(third, live_server.url, "01", username)
        _code(third, codes[0])
        assert "Mã xác thực không đúng" in third.inner_text("[role=alert]")
    finally:
        for context in contexts:
            context.close()


def test_an_administrator_resets_a_lost_second_factor(live_server, browser):
    username = _create_user(live_server, "01", "standing_board")
    member, admin = browser.new_context(locale="vi-VN"), browser.new_context(locale="vi-VN")
    try:
        # given an enrolled standing-board member of the city
        page = member.new_page()
        _password(page, live_server.url, "01", username)
        _enrol(page)
        # when the city's administrator resets their second factor on the accounts page
        desk = admin.new_page()
        _password(desk, live_server.url, "01", "admin")
        _code(desk, _next_step_code(DEMO_TOTP_SECRET))
        desk.goto(f"{live_server.url}/c/01/users/")
        desk.click(f"#reset-two-factor-{username}")
        assert "Đã đặt lại xác thực hai lớp" in desk.inner_text("[role=status]")
        # then the member's session has ended, and their next login enrols again
        page.goto(f"{live_server.url}/c/01/")
        assert "/login" in page.url
        _password(page, live_server.url, "01", username)
        assert "/login/two-factor-setup" in page.url
    finally:
        member.close()
        admin.close()


def test_the_second_factor_is_asked_before_a_reporters_identity_is_shown(live_server, browser):
    unique = uuid.uuid4().hex[:10]
    approver_name = _create_user(live_server, "00004", "standing_board")
    citizen, staff, board = (browser.new_context(locale="vi-VN") for _ in range(3))
    try:
        # given a named report to Phường Ba Đình
        page = citizen.new_page()
        page.goto(f"{live_server.url}/portal/00004/report")
        page.uncheck("#anonymous")
        page.fill("input[name=name]", f"Nguyễn Văn Nêu {unique}")
        page.select_option("select[name=kind]", "complaint")
        page.fill("input[name=cadre_name]", "Cán bộ tư pháp phường")
        page.fill("textarea[name=content]", f"Đòi tiền khi chứng thực {unique}")
        page.click("#report-form button[type=submit]")
        assert page.inner_text("#receipt-code").strip()
        # and a staff member (password only) who asks to see who sent it
        desk = staff.new_page()
        _password(desk, live_server.url, "00004", "badinh")
        desk.goto(f"{live_server.url}/c/00004/portal/")
        desk.locator("#portal-reports tr", has_text=unique).locator("a").first.click()
        report_url = desk.url
        desk.fill("textarea[name=reason]", f"Cần xác minh thêm với người phản ánh {unique}")
        desk.locator("form[action$='/disclosures'] button").click()
        # and a standing-board member who approves it (enrolling at their first login)
        second = board.new_page()
        _password(second, live_server.url, "00004", approver_name)
        _enrol(second)
        second.goto(report_url)
        second.locator("form[action$='/approve'] button").click()
        # when the staff member asks to view the identity
        desk.goto(report_url)
        desk.locator("form[action$='/view'] button").click()
        desk.wait_for_load_state()
        # then they are asked for a second factor first; never having had one, they enrol
        assert "/two-factor" in desk.url
        _enrol(desk)
        desk.click("#continue")
        desk.wait_for_url(report_url)
        # and back on the report, the identity is shown
        desk.locator("form[action$='/view'] button").click()
        desk.wait_for_load_state()
        assert f"Nguyễn Văn Nêu {unique}" in desk.inner_text("#identity")
    finally:
        for context in (citizen, staff, board):
            context.close()
