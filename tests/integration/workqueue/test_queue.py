"""The work queue: home page and API give a commune officer the same figures of what to do next."""

from __future__ import annotations

import datetime as dt
import re

from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.deadlines import today_in_vietnam
from tests.integration.calendar.conftest import frozen_on
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
    calendar = await working_calendar()
    late_by = calendar.working_days_between(dt.date.fromisoformat(str(late.due_on)), today)
    assert queue["most_days_overdue"] == late_by  # working days, as the lists count them
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


async def _bulk_cases(
    code: str, n: int, *, status: str, due_on: dt.date, closed: bool = False
) -> None:
    """``n`` cases of commune ``code`` in one set-based insert (the queue counts them in SQL)."""
    from giamsat.cases.tables import Case
    from giamsat.db.scope import system_scope
    from tests.integration.cases.conftest import context_for

    ctx = await context_for(code)
    at = dt.datetime(2025, 1, 2, tzinfo=dt.UTC) if closed else None
    rows = [
        Case(committee=ctx.committee_id, tenant_path=ctx.path, origin_path=ctx.path,
             number=f"HL-{code}-{status}-{due_on:%m%d}-{i}", title=f"Vụ việc {i}",
             status=status, received_on=dt.date(2025, 1, 2), due_on=due_on, closed_at=at)
        for i in range(n)
    ]  # fmt: skip
    async with system_scope():
        await Case.insert(*rows)


async def test_the_counts_hold_past_500_open_cases_in_working_days(db, factory):
    # given Phường Cửa Nam (00073) with 510 open cases to classify due Friday 7 March 2025, 30
    # awaiting the party committee's answer due Wednesday 12 March, 20 verifying due in April
    # and 40 closed cases long past due; today is Monday 10 March 2025
    await _bulk_cases("00073", 510, status="received", due_on=dt.date(2025, 3, 7))
    await _bulk_cases("00073", 30, status="awaiting_answer", due_on=dt.date(2025, 3, 12))
    await _bulk_cases("00073", 20, status="verifying", due_on=dt.date(2025, 4, 25))
    await _bulk_cases("00073", 40, status="closed", due_on=dt.date(2025, 2, 3), closed=True)
    with frozen_on(dt.date(2025, 3, 10)):
        api, _ = await factory.api_client("00073")
        page, _ = await factory.page_client("00073")
        # when the officer asks the API and opens the home page
        queue = (await api.get("/api/v1/work-queue")).json()
        home = await page.get("/c/00073/")
        # and opens it again in English
        await page.get("/language?to=en&next=/c/00073/")
        english = await page.get("/c/00073/")
    # then every line counts all the committee's cases, not the first 500
    assert queue["to_classify"] == 510 and queue["overdue"] == 510
    assert queue["due_soon"] == 30 and queue["awaiting_party_answer"] == 30
    # and days are working days: Friday to Monday is one working day, not three
    assert queue["most_days_overdue"] == 1
    assert len(queue["urgent"]) == 10 and {c["days_left"] for c in queue["urgent"]} == {-1}
    assert set(queue) >= {"committee_code", "today", "handles_cases", "urgent", "report"}
    assert "Quá hạn 1 ngày làm việc" in home.text
    assert "Vụ việc lâu nhất đã quá hạn 1 ngày làm việc" in home.text
    assert "Quá hạn 3 ngày" not in home.text
    # and the English page's tags are English, with no Vietnamese left in them
    assert "Overdue by 1 working day" in english.text and "Quá hạn" not in english.text
    # and the committee's unit type is a word of the page's language, not the register's value
    kind = '<dd class="govuk-summary-list__value">%s</dd>'
    assert kind % "ward" in english.text and kind % "phường" not in english.text
    assert kind % "phường" in home.text
    # and the sibling Phường Tràng Tiền (00079) sees none of it
    other, _ = await factory.api_client("00079")
    theirs = (await other.get("/api/v1/work-queue")).json()
    assert theirs["overdue"] == 0 and theirs["due_soon"] == 0 and theirs["urgent"] == []
    assert theirs["to_classify"] == 0 and theirs["awaiting_party_answer"] == 0


async def test_signals_to_classify_are_counted_as_the_triage_queue_lists_them(db, factory):
    # given Xã 00679 with three signals waiting for triage (no person named), received on two
    # days, one 60 days ago, and one waiting at the neighbouring 00682
    from tests.integration.audit.conftest import context_for
    from tests.integration.decisions.test_triage_api_paging import _signal

    today = today_in_vietnam()
    own, neighbour = await context_for("00679"), await context_for("00682")
    for received in (today - dt.timedelta(days=60), today, today):
        await _signal(own, received)
    await _signal(neighbour, today)
    api, _ = await factory.api_client("00679")
    # when the officer asks for the work queue and for the triage queue itself
    queue = (await api.get("/api/v1/work-queue")).json()
    listed = (await api.get("/api/v1/triage", params={"limit": 100})).json()
    # then the work queue counts what the triage queue lists, overdue ones included
    assert queue["signals_to_classify"] == listed["total"] == 3
    assert queue["signals_overdue_for_triage"] == sum(i["overdue"] for i in listed["items"])
    # and the neighbour counts only its own
    other, _ = await factory.api_client("00682")
    assert (await other.get("/api/v1/work-queue")).json()["signals_to_classify"] == 1
