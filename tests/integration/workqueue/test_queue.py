"""The work queue: home page and API give a commune officer the same figures of what to do next."""

from __future__ import annotations

import datetime as dt
import re

from giamsat.cases.deadlines import today_in_vietnam
from tests.integration.cases.conftest import new_case


async def test_home_and_api_show_overdue_and_unclassified_cases_of_the_own_committee(db, factory):
    # given Phường Cửa Nam (00082) with a case received 60 days ago (long past its 20 working
    # days) and one received today, both still to classify
    today = today_in_vietnam()
    late = await new_case("00082", received=today - dt.timedelta(days=60))
    await new_case("00082", received=today)
    page, _ = await factory.page_client("00082")
    api, _ = await factory.api_client("00082")
    # when the officer asks the API for the work queue
    queue = (await api.get("/api/v1/work-queue")).json()
    # then both cases are to classify, one is overdue, and it is the most urgent
    assert queue["to_classify"] == 2 and queue["overdue"] == 1
    assert queue["most_days_overdue"] == (today - dt.date.fromisoformat(str(late.due_on))).days
    assert [c["id"] for c in queue["urgent"]] == [late.id]
    assert queue["urgent"][0]["days_left"] < 0
    assert queue["report"]["period"]
    # and the home page shows the same lines with their counts and links, in Vietnamese
    home = await page.get("/c/00082/")
    assert home.status_code == 200
    assert "Vụ việc quá hạn" in home.text and "/c/00082/cases?view=overdue" in home.text
    assert "Vụ việc cần phân loại" in home.text and late.number in home.text
    # and the overdue view of the list holds exactly the late case
    overdue = await page.get("/c/00082/cases", params={"view": "overdue"})
    assert late.number in overdue.text
    assert len(re.findall(r"/c/00082/cases/\d", overdue.text)) == 1  # links to cases
    # and another commune's officer sees none of it
    other, _ = await factory.api_client("00085")
    theirs = (await other.get("/api/v1/work-queue")).json()
    assert theirs["overdue"] == 0 and theirs["to_classify"] == 0 and theirs["urgent"] == []


async def test_a_partner_officer_gets_no_case_lines(db, factory):
    # given a case of Phường Hàng Trống (00076) and the trade union's officer there
    await new_case("00076", received=today_in_vietnam() - dt.timedelta(days=60))
    api, _ = await factory.api_client("00076", role="partner_officer")
    # when the officer asks for the work queue
    queue = await api.get("/api/v1/work-queue")
    # then it is not theirs to see (giamsat.web.visibility: partner officers reach only their
    # channels' routes), and the refusal says nothing of the committee's cases
    assert queue.status_code == 404
    assert "overdue" not in queue.text
