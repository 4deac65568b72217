"""Journeys 2 and 3: signals staff enter with the date they were received. A letter received
last week starts its clock from that date; a press article naming two cadres of different
managing levels gives two cases at the right levels; a meeting gives one signal per person
raised; a received date in the future or before the plan is refused, naming the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import time_machine

from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.decisions.conftest import DISTRICT, cadre_code, pack_in_force
from tests.integration.decisions.test_cases_by_hand import _second_commune
from tests.integration.intake.conftest import enable
from tests.integration.plans.conftest import first_child, new_cadre

TODAY = dt.datetime(2022, 6, 10, 9, 0, tzinfo=dt.UTC)


async def _signal_rows(ids: list[int]) -> list[dict[str, object]]:
    async with system_scope():
        return list(await Signal.select(
            Signal.id, Signal.received_on, Signal.case_id, Signal.submitted_by, Signal.channel,
        ).where(Signal.id.is_in(ids)).order_by(Signal.id))  # fmt: skip


async def _owner_and_due(case_id: object) -> tuple[str, dt.date]:
    async with system_scope():
        row = await Case.select(Case.committee.code, Case.due_on).where(
            Case.id == case_id).first()  # fmt: skip
    assert row is not None
    return str(row["committee.code"]), row["due_on"]


async def test_a_letter_received_last_week_starts_its_clock_then(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    await enable(commune, registry, "staff")
    cadre = await cadre_code(await new_cadre(commune, "commune"))
    with time_machine.travel(TODAY, tick=False):
        officer, user = await factory.api_client(commune.committee_code)
        letter = {"letter_date": "2022-06-01", "received_on": "2022-06-03", "cadre_1": cadre,
                  "indicator_1": "DD3", "content": "Kê khai tài sản không trung thực"}  # fmt: skip
        # when a received date in the future, or before the plan, is entered
        future = await _post(officer, "staff/letter", letter | {"received_on": "2022-06-11"})
        early = await _post(officer, "staff/letter", letter | {"received_on": "2021-12-01"})
        # then each is refused naming the field, and nothing is kept
        for refused in (future, early):
            assert refused.status_code == 422, refused.text
            assert "received_on" in refused.text
        # when the officer enters last week's letter with its dates
        sent = await _post(officer, "staff/letter", letter)
    assert sent.status_code == 201, sent.text
    (row,) = await _signal_rows(sent.json()["signal_ids"])
    # then it is received on the date entered, by the officer, and its clock starts then
    assert (row["received_on"], row["submitted_by"]) == (dt.date(2022, 6, 3), user.id)
    owner, due = await _owner_and_due(row["case_id"])
    expected = (await working_calendar()).add_working_days(dt.date(2022, 6, 3), 20).due
    assert (owner, due) == (commune.committee_code, expected)
    # and another commune sees nothing of it
    other, _ = await factory.api_client((await _second_commune()).committee_code)
    assert (await other.get(f"/api/v1/cases/{row['case_id']}")).status_code == 404


async def test_press_and_meetings_give_one_signal_per_person(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    district = await context_for(DISTRICT)
    await enable(district, registry, "press")
    await enable(district, registry, "staff")
    district_member = await cadre_code(await new_cadre(district, "district"))
    city_official = await cadre_code(await new_cadre(district, "province", position="head"))
    with time_machine.travel(TODAY, tick=False):
        officer, _ = await factory.api_client(DISTRICT)
        # when an article naming a district-managed and a city-managed cadre is entered
        article = await _post(officer, "press/article", {
            "outlet": "Báo Hà Nội Mới", "title": "Sinh hoạt xa hoa", "link": "https://example.vn/a",
            "published_on": "2022-06-08", "received_on": "2022-06-09",
            "cadre_1": district_member, "indicator_1": "DD5",
            "cadre_2": city_official, "indicator_2": "DD5",
        })  # fmt: skip
        # and a voter contact raising three people
        people = [await cadre_code(await new_cadre(district, "district")) for _ in range(3)]
        meeting = await _post(officer, "staff/meeting", {
            "event": "tiep-xuc-cu-tri", "event_name": "Tiếp xúc cử tri tháng 6",
            "received_on": "2022-06-07",
            **{f"cadre_{i}": code for i, code in enumerate(people, start=1)},
        })  # fmt: skip
    # then the article gives two signals, each a case at its cadre's level
    assert article.status_code == 201, article.text
    rows = await _signal_rows(article.json()["signal_ids"])
    owners = sorted([(await _owner_and_due(r["case_id"]))[0] for r in rows])
    assert owners == sorted(["01", DISTRICT])
    # and the meeting gives one signal per person, received on the date entered
    assert meeting.status_code == 201, meeting.text
    met = await _signal_rows(meeting.json()["signal_ids"])
    assert [r["received_on"] for r in met] == [dt.date(2022, 6, 7)] * 3
    # and a commune of the district sees none of the city's case
    commune, _ = await factory.api_client(await first_child(DISTRICT))
    for r in rows:
        owner, _ = await _owner_and_due(r["case_id"])
        if owner == "01":
            assert (await commune.get(f"/api/v1/cases/{r['case_id']}")).status_code == 404


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, str]) -> httpx.Response:
    return await client.post(f"/api/v1/intake/{path}", json=body)
