"""The city's Democracy & Law officer rebuilds the 2023 plan from the 2022 one in Chromium, and
another member of the standing board approves it; its YAML export means what
rules/2023-ha-noi means."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pyotp
import pytest

from giamsat.rulepacks.loader import read_pack
from tests.browser.conftest import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.integration.plans.test_plan_editor import assert_same_meaning

pytestmark = pytest.mark.browser
RULES = Path(__file__).resolve().parents[2] / "rules"


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=committee]", "01")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/login/second-factor" in page.url:  # the standing board logs in with a second factor
        page.fill("#second-factor input[name=code]", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.click("#second-factor button[type=submit]")
    page.wait_for_url("**/c/01/")


def test_officer_writes_2023_and_the_board_publishes_it(live_server, browser, tmp_path):
    url = live_server.url
    officer = browser.new_page(locale="vi-VN")
    try:
        # given the city's officer on the plans page
        _login(officer, url, "danchu")
        officer.goto(f"{url}/c/01/plans")
        officer.click("#plan-drafts")
        # when they start the 2023 plan from the 2022 one
        base = officer.locator("#base option", has_text="2022").first.get_attribute("value")
        officer.select_option("#base", base)
        officer.fill("#year", "2023")
        officer.click("#start-draft")
        officer.wait_for_url("**/plans/drafts/*")
        draft_url = officer.url
        # then last year's rules are shown as a table of words, for 2023
        assert "01/01/2023 – 31/12/2023" in officer.inner_text("#plan-facts")
        assert "Phản ánh, tố cáo về tham nhũng" in officer.inner_text("#table-indicator_rules")

        # when they add the waste rule through the form
        officer.click("#add-indicator-rule")
        officer.fill(
            "#f-title_vi",
            "Lãng phí tài chính, tài sản công (biểu hiện 6) có từ 2 phản ánh trong 180 ngày",
        )
        officer.fill(
            "#f-title_en",
            "Waste of public finances or assets (manifestation 6) reported twice within 180 days",
        )
        officer.fill("#f-id", "waste-public-assets")
        row = officer.locator("#f-a0-conditions")
        row.locator("#f-a0-signal-indicators summary").click()
        row.locator("input[name='a0.signal.indicators'][value='DD6']").check()
        # a window without a count is pointed out as they type
        officer.fill("#f-a0-within_days", "180")
        officer.locator("#f-a0-within_days").dispatch_event("change")
        officer.wait_for_selector("#rule-check .govuk-error-summary")
        assert "ít nhất bao nhiêu thông tin" in officer.inner_text("#rule-check")
        officer.fill("#f-a0-at_least", "2")
        officer.select_option("#f-open_case", "high")
        officer.locator("#f-add_findings summary").click()
        officer.locator("input[name=add_findings][value=DD6]").check()
        officer.locator("input[name=start_clocks]").first.check()
        officer.check("#f-delegation")
        officer.click("#save-rule")
        officer.wait_for_url(f"{draft_url}#indicator_rules")
        assert "Lãng phí tài chính, tài sản công" in officer.inner_text("#table-indicator_rules")

        # when they type the deadline the Vietnamese way, then it is explained and kept
        officer.click("#change-reporting")
        officer.fill("#f-deadline", "20/11/2023")
        officer.click("#save-reporting")
        assert "ngày phải viết dạng 2023-11-20" in officer.inner_text("main")
        assert officer.input_value("#f-deadline") == "20/11/2023"
        officer.fill("#f-deadline", "2023-11-20")
        officer.click("#save-reporting")
        officer.wait_for_url(draft_url)
        assert "20/11/2023" in officer.inner_text("#reporting")

        # when they submit it, then it waits for the standing board
        officer.click("#submit-draft")
        officer.wait_for_load_state()
        assert "Chờ Ban Thường trực duyệt" in officer.inner_text("#draft-stage")
    finally:
        officer.close()

    board = browser.new_page(locale="vi-VN")
    try:
        # given another member of the standing board
        _login(board, url, "thuongtruc")
        board.goto(draft_url)
        # then they read what changed, and approve it with its date
        changes = board.inner_text("#changes")
        assert "Lãng phí tài chính" in changes and "20/11/2023" in changes
        board.fill("#effective_from", "2023-01-01")
        board.on("dialog", lambda dialog: dialog.accept())
        board.click("#approve-draft")
        board.wait_for_url("**/plans/versions/*")
        # and the published version reads back, with who published it
        assert "Lãng phí tài chính, tài sản công" in board.inner_text("main")
        assert "Demo thuongtruc" in board.inner_text("#publisher")
        # and its YAML export means what rules/2023-ha-noi means
        exported = board.request.get(board.url + ".zip")
        assert exported.status == 200
        folder = tmp_path / "export"
        with zipfile.ZipFile(io.BytesIO(exported.body())) as archive:
            archive.extractall(folder)
        (pack_dir,) = list(folder.iterdir())
        assert_same_meaning(read_pack(pack_dir), read_pack(RULES / "2023-ha-noi"))
    finally:
        board.close()
