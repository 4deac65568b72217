"""Every published pack yields its reporting period: reports, dashboard and status tree work
for 2022, 2023 and 2026 under the committee that published them, and only there."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from tests.integration.calendar.conftest import frozen_on
from tests.packs import shipped_pack

from giamsat.errors import Conflict
from giamsat.plans.service import publish

ISSUER, OUTSIDE = "007", "008"  # Hai Bà Trưng publishes; Hoàng Mai has no pack of its own


async def _publish_three_years() -> None:
    for folder, year in (("2022-ha-noi", 2022), ("2023-ha-noi", 2023), ("2026-ha-noi", 2026)):
        with contextlib.suppress(Conflict):  # the other backend's run, or another test, did
            await publish(shipped_pack(folder, ISSUER), ISSUER, dt.date(year, 1, 1))


async def test_each_published_year_is_a_reporting_period_of_the_issuers_subtree(db, factory):
    with frozen_on(dt.date(2026, 12, 1)):
        # given the district's 2022, 2023 and 2026 plans published
        await _publish_three_years()
        api, _ = await factory.api_client(ISSUER)
        pages, _ = await factory.page_client(ISSUER)
        # when its staff open each year's draft, status tree and dashboard
        for period, deadline in (
            ("2022", "2022-11-25"),
            ("2023", "2023-11-20"),
            ("2026", "2026-11-20"),
        ):
            draft = await api.get(f"/api/v1/reports/{period}/draft")
            status = await api.get(f"/api/v1/reports/{period}/status", params={"depth": 1})
            board = await pages.get(f"/c/{ISSUER}/dashboard", params={"period": period})
            # then each answers for that period, with the deadline of that year's plan
            assert draft.status_code == 200, draft.text
            assert (draft.json()["period"], draft.json()["deadline"]) == (period, deadline)
            assert status.status_code == 200 and status.json()["deadline"] == deadline
            assert len(status.json()["children"]) > 0
            assert board.status_code == 200, board.text
        # and the reports page opens on the plan year in force, listing every period
        page = await pages.get(f"/c/{ISSUER}/reports")
        assert page.status_code == 200
        assert "Năm 2026" in page.text
        assert all(f"?period={p}" in page.text for p in ("2022", "2023", "2026"))
        assert "Ưu điểm, kết quả đạt được" in page.text
        # and in English the period and the sections to write are named in English alone
        await pages.get(f"/language?to=en&next=/c/{ISSUER}/reports")
        english = await pages.get(f"/c/{ISSUER}/reports")
        # (the year in force, 2026, unless a test has published a later plan over the district)
        opened = re.search(r'<span class="govuk-caption-l">Year (\d{4})</span>', english.text)
        assert opened is not None and int(opened.group(1)) >= 2026
        assert "Strengths and results achieved" in english.text and "Causes" in english.text
        assert "Năm 20" not in english.text and "Ưu điểm" not in english.text
        home = await pages.get(f"/c/{ISSUER}/")
        # and the home page's report line is this year's, not the first plan's
        assert f"Report due to the level above: Year {opened.group(1)}" in home.text
        printed = await pages.get(f"/c/{ISSUER}/reports/print", params={"period": "2026"})
        assert printed.status_code == 200
        assert "Supervision results report: Year 2026" in printed.text
        assert "Năm 20" not in printed.text
        # and a commune below sees the same periods (the plan is its district's)
        commune, _ = await factory.api_client("00241")
        assert (await commune.get("/api/v1/reports/2026/draft")).status_code == 200
        # and a committee outside the issuer's subtree has no 2026 period
        outside, _ = await factory.api_client(OUTSIDE)
        refused = await outside.get("/api/v1/reports/2026/draft")
        assert refused.status_code == 422
        assert "(các kỳ có: 2022)" in refused.json()["message"]
