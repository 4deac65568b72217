"""Journeys 2 and 3: signals staff enter with the date they were received. A letter received
last week starts its clock from that date; a press article naming two cadres of different
managing levels gives two cases at the right levels; a meeting gives one signal per person
raised; a received date in the future or before the plan is refused, naming the field. In both
trees (conftest.py): in 2026 the lower level is the ward's (no districts), and the clocks of
December run into 2027."""

from __future__ import annotations

import datetime as dt

import httpx

from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from tests.integration.decisions.conftest import Tree, cadre_code
from tests.integration.intake.conftest import enable
from tests.integration.plans.conftest import new_cadre


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
    tree: Tree, registry: ChannelRegistry
) -> None:
    with tree.frozen():
        commune = await tree.context(tree.ward)
        await enable(commune, registry, "staff")
        cadre = await cadre_code(await new_cadre(commune, "commune"))
        officer, user = await tree.factory.api_client(commune.committee_code)
        received = tree.day(-7)  # 2026: Monday 14 December
        letter = {"letter_date": tree.day(-10).isoformat(), "received_on": received.isoformat(),
                  "cadre_1": cadre, "indicator_1": "DD3",
                  "content": "Kê khai tài sản không trung thực"}  # fmt: skip
        # when a received date in the future, before the plan, or malformed is entered
        tomorrow = tree.day(1).isoformat()
        before_plan = (tree.plan_from - dt.timedelta(days=1)).isoformat()
        refused = [await _post(officer, "staff/letter", letter | {"received_on": bad})
                   for bad in (tomorrow, before_plan, "31/02/2026")]  # fmt: skip
        # then each is refused naming the field, and nothing is kept
        assert [a.status_code for a in refused] == [422] * 3, [a.text for a in refused]
        for answer in refused:
            assert "received_on" in answer.text
        # when the officer enters last week's letter with its dates
        sent = await _post(officer, "staff/letter", letter)
        assert sent.status_code == 201, sent.text
        (row,) = await _signal_rows(sent.json()["signal_ids"])
        # then it is received on the date entered, by the officer, and its clock starts then
        # (in 2026 it ends in January 2027, past the New Year holiday)
        assert (row["received_on"], row["submitted_by"]) == (received, user.id)
        owner, due = await _owner_and_due(row["case_id"])
        expected = (await working_calendar()).add_working_days(received, 20).due
        assert (owner, due) == (commune.committee_code, expected)
        # and a sibling and a commune elsewhere see nothing of it
        for code in (tree.sibling, tree.outsider):
            other, _ = await tree.factory.api_client(code)
            assert (await other.get(f"/api/v1/cases/{row['case_id']}")).status_code == 404


async def test_press_and_meetings_give_one_signal_per_person(
    tree: Tree, registry: ChannelRegistry
) -> None:
    with tree.frozen():
        desk = await tree.context(tree.press_desk)
        await enable(desk, registry, "press")
        await enable(desk, registry, "staff")
        lower = await cadre_code(await new_cadre(desk, tree.lower_level))
        city_official = await cadre_code(await new_cadre(desk, "province", position="head"))
        officer, _ = await tree.factory.api_client(desk.committee_code)
        # when an article naming a cadre managed below the city (2022: the district; 2026: the
        # ward) and a city-managed cadre is entered
        article = await _post(officer, "press/article", {
            "outlet": "Báo Hà Nội Mới", "title": "Sinh hoạt xa hoa", "link": "https://example.vn/a",
            "published_on": tree.day(-2).isoformat(), "received_on": tree.day(-1).isoformat(),
            "cadre_1": lower, "indicator_1": "DD5",
            "cadre_2": city_official, "indicator_2": "DD5",
        })  # fmt: skip
        # and a voter contact raising three people
        people = [await cadre_code(await new_cadre(desk, tree.lower_level)) for _ in range(3)]
        meeting = await _post(officer, "staff/meeting", {
            "event": "tiep-xuc-cu-tri", "event_name": "Tiếp xúc cử tri tháng 12",
            "received_on": tree.day(-3).isoformat(),
            **{f"cadre_{i}": code for i, code in enumerate(people, start=1)},
        })  # fmt: skip
        # then the article gives two signals, each a case at its cadre's level
        assert article.status_code == 201, article.text
        rows = await _signal_rows(article.json()["signal_ids"])
        owners = sorted([(await _owner_and_due(r["case_id"]))[0] for r in rows])
        assert owners == sorted(["01", desk.committee_code])
        # and the meeting gives one signal per person, received on the date entered
        assert meeting.status_code == 201, meeting.text
        met = await _signal_rows(meeting.json()["signal_ids"])
        assert [r["received_on"] for r in met] == [tree.day(-3)] * 3
        # and a commune under the desk's parent, or elsewhere, sees none of the cases
        watcher = tree.ward if tree.name == "2022" else tree.sibling
        for code in (watcher, tree.outsider):
            other, _ = await tree.factory.api_client(code)
            for r in rows:
                assert (await other.get(f"/api/v1/cases/{r['case_id']}")).status_code == 404


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, str]) -> httpx.Response:
    return await client.post(f"/api/v1/intake/{path}", json=body)
