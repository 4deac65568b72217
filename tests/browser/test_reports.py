"""The city looks back at 2022: the reporting-status tree over the 30 districts of the time, a
chart, and a district's submitted report, in the browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.fill("input[name=committee]", "01")
    page.fill("input[name=username]", "danchu")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/c/01/")


def test_the_city_reads_2022_over_the_districts_of_the_time(live_server, browser):
    # given the demo (in 2022 Hoàn Kiếm submitted on time, Tây Hồ late, Ba Đình never; all
    # districts were dissolved on 30/06/2025)
    page = browser.new_page(locale="vi-VN")
    try:
        _login(page, live_server.url)
        # when the city opens its reports page for 2022
        page.goto(f"{live_server.url}/c/01/reports?period=2022")
        tree = page.locator("#status-tree")
        # then the 30 districts of 2022 are coloured by their status
        assert tree.locator("li[data-code='002']").get_attribute("data-status") == "submitted"
        assert tree.locator("li[data-code='003']").get_attribute("data-status") == "late"
        missing = tree.locator("li[data-code='001']")
        assert missing.get_attribute("data-status") == "missing"
        assert "govuk-tag--red" in (missing.locator(".badge").first.get_attribute("class") or "")
        # and the dashboard of 2022 draws signals by channel
        page.goto(f"{live_server.url}/c/01/dashboard?period=2022")
        chart = page.locator("svg#chart-kenh")
        assert chart.count() == 1
        assert chart.locator("rect.bar").count() >= 2
        assert chart.get_attribute("aria-label") == "Phản ánh theo kênh"
        # and the drill-down opens Hoàn Kiếm's 2022 report, though the district has ended
        page.click("#children a:has-text('Quận Hoàn Kiếm')")
        page.wait_for_load_state()
        assert "Quận Hoàn Kiếm" in page.inner_text("article.report-print")
    finally:
        page.close()
