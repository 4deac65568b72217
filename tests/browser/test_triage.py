"""Triage in the real browser: a citizen's anonymous report with a file reaches Phường Ba Đình's
queue; an officer opens it, downloads the file, registers the official it is about on the spot,
ticks the manifestation by name and the corruption flag, and the plan in force routes it to
the city.
Screenshots of the queue and the classify page at 1366 and 375 px go to ``GIAMSAT_SHOTS`` (or a
temporary folder)."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


def test_an_officer_classifies_a_citizen_report(live_server, browser):  # type: ignore[no-untyped-def]
    shots = Path(os.environ.get("GIAMSAT_SHOTS") or tempfile.mkdtemp(prefix="triage-shots-"))
    shots.mkdir(parents=True, exist_ok=True)
    unique = uuid.uuid4().hex[:10]
    citizen = browser.new_context(locale="vi-VN")
    staff = browser.new_context(locale="vi-VN", accept_downloads=True)
    try:
        # given an anonymous report with a PDF sent to Phường Ba Đình on the portal
        page = citizen.new_page()
        page.goto(f"{live_server.url}/portal/00004/report")
        page.select_option("select[name=kind]", "denunciation")
        page.fill("input[name=cadre_name]", "Phó Giám đốc Sở X")
        page.fill("textarea[name=content]", f"Nhận tiền khi cấp phép {unique}")
        page.set_input_files("input[type=file]", files=[
            {"name": "biên bản.pdf", "mimeType": "application/pdf", "buffer": PDF}])  # fmt: skip
        page.click("#report-form button[type=submit]")
        assert page.inner_text("#receipt-code").strip()
        # when an officer of the ward logs in and follows the menu to triage
        desk = staff.new_page()
        desk.set_viewport_size({"width": 1366, "height": 900})
        desk.goto(f"{live_server.url}/login")
        desk.fill("input[name=committee]", "00004")
        desk.fill("input[name=username]", "badinh")
        desk.fill("input[name=password]", DEMO_PASSWORD)
        desk.click("button[type=submit]")
        desk.wait_for_url("**/c/00004/")
        desk.click(".govuk-service-navigation a[href='/c/00004/triage/']")
        row = desk.locator("#triage-queue tr", has_text=unique)
        assert "phản ánh của Nhân dân" in row.inner_text()
        desk.screenshot(path=str(shots / "triage-queue-desktop.png"), full_page=True)
        row.locator("a").first.click()
        # then the file is a download, not a page
        with desk.expect_download() as got:
            desk.click("#signal-files a")
        assert got.value.suggested_filename == "biên bản.pdf"
        # when they register the official, tick corruption (DD7) by its name, and classify
        desk.check("#cadre-new")
        desk.fill("#full_name", f"Trần Văn {unique}")
        desk.fill("#position", "Phó Giám đốc Sở X")
        desk.select_option("#managing_level", "province")
        desk.locator("#indicators label", has_text="DD7").click()
        desk.check("#corruption")
        desk.screenshot(path=str(shots / "triage-classify-desktop.png"), full_page=True)
        desk.set_viewport_size({"width": 375, "height": 800})
        desk.screenshot(path=str(shots / "triage-classify-phone.png"), full_page=True)
        for name, part in (("top", "h1"), ("person", "#cadre_id"), ("flags", "#classify-button")):
            element = desk.locator(part).first
            box = element.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 375, name  # fits the phone
            element.scroll_into_view_if_needed()
            desk.screenshot(path=str(shots / f"triage-classify-phone-{name}.png"))
        desk.click("#classify-button")
        # then the queue says it is done and links the case the plan opened
        banner = desk.locator(".govuk-notification-banner")
        assert "đã quyết định" in banner.inner_text()
        assert unique not in desk.inner_text("main")
        desk.screenshot(path=str(shots / "triage-done-phone.png"), full_page=True)
        banner.locator("a").click()
        # and the ward sees the case went to the city (the official is city-managed), not its
        # contents
        assert "Thành phố Hà Nội" in desk.inner_text("main")
        assert f"Trần Văn {unique}" not in desk.inner_text("main")
    finally:
        for context in (citizen, staff):
            context.close()
