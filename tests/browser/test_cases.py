"""The city's officer handles a case that came from a dissolved district, and downloads a
delegation document in the browser."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
CASE_TITLE = "Phản ánh về kê khai tài sản, thu nhập"
RULE = "Định tuyến theo diện cán bộ quản lý"


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.fill("input[name=committee]", "01")
    page.fill("input[name=username]", "danchu")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/c/01/")


def test_city_changes_a_case_status_and_downloads_a_decision(live_server, browser, tmp_path):
    # given the demo: Quận Ba Đình's case (routed by the managing-level rule) went to the city
    # when the district was dissolved on 30/06/2025, and the city has a delegation
    page = browser.new_page(locale="vi-VN")
    try:
        _login(page, live_server.url)
        # when the officer opens the case from the list
        page.goto(f"{live_server.url}/c/01/cases/")
        page.locator(f"tr:has-text('{CASE_TITLE}') a[href^='/c/01/cases/']").first.click()
        page.wait_for_load_state()
        # then the rule that fired is shown as the reason it came here
        assert RULE in page.inner_text("main")
        # when it is moved to verifying with a note
        form = page.locator("form:has(input[name=action][value=status])")
        form.locator("textarea[name=reason]").fill("Bắt đầu xác minh")
        form.get_by_role("button", name="Chuyển sang: Đang xác minh").click()
        page.wait_for_load_state()
        # then the history shows the change with its note
        history = page.locator("table.govuk-table").last.inner_text()
        assert "Đang xác minh" in history and "Bắt đầu xác minh" in history
        # when the officer opens the district's delegation and downloads the decision
        page.goto(f"{live_server.url}/c/01/delegations/")
        page.locator("a[href^='/c/01/delegations/']").first.click()
        page.wait_for_load_state()
        with page.expect_download() as info:
            page.click("a[href$='/documents/decision']")
        download = info.value
        # then the file carries the Vietnamese title and is a Word (.docx) zip
        assert download.suggested_filename.startswith("Quyết định thành lập Đoàn giám sát số ")
        saved = Path(tmp_path) / "decision.docx"
        download.save_as(saved)
        with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as docx_zip:
            assert "word/document.xml" in docx_zip.namelist()
            body = docx_zip.read("word/document.xml").decode()
        assert "QUYẾT ĐỊNH" in body
    finally:
        page.close()
