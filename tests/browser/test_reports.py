"""A district officer sees the reporting-status tree and a chart of Ba Đình in the browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.fill("input[name=committee]", "001")
    page.fill("input[name=username]", "badinh")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/c/001/")


def test_status_tree_and_dashboard_chart_for_ba_dinh(live_server, browser):
    # given the demo (Phúc Xá submitted on time, Trúc Bạch late, the other communes missing)
    page = browser.new_page(locale="vi-VN")
    try:
        _login(page, live_server.url)
        # when the district opens its reports page for 2022
        page.goto(f"{live_server.url}/c/001/reports?period=2022")
        tree = page.locator("#status-tree")
        # then each commune is coloured by its status, with a chase button for the missing ones
        assert tree.locator("li[data-code='00001']").get_attribute("data-status") == "submitted"
        assert tree.locator("li[data-code='00004']").get_attribute("data-status") == "late"
        missing = tree.locator("li[data-code='00006']")
        assert missing.get_attribute("data-status") == "missing"
        colour = missing.locator(".badge").first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert colour == "rgb(197, 48, 48)"
        assert missing.locator("button.chase").count() == 1
        # when the officer chases Vĩnh Phúc
        missing.locator("button.chase").click()
        page.wait_for_load_state()
        assert "Đã gửi nhắc nhở" in page.inner_text("[role=status]")
        # and opens the dashboard
        page.goto(f"{live_server.url}/c/001/dashboard?period=2022")
        chart = page.locator("svg#chart-kenh")
        # then a server-drawn chart of signals by channel is shown with bars
        assert chart.count() == 1
        assert chart.locator("rect.bar").count() >= 2
        assert chart.get_attribute("aria-label") == "Phản ánh theo kênh"
        # and the drill-down opens Phúc Xá's submitted report without reporter identities
        page.click("#children a:has-text('Phường Phúc Xá')")
        page.wait_for_load_state()
        assert "Phường Phúc Xá" in page.inner_text("article.report-print")
    finally:
        page.close()
