"""Signals from the workplace and residence channels, fed through the 2022 pack, open the
expected cases at commune and city with the expected deadlines and reasons; a residence duty
found short stays on the member's residence record at the commune."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import CaseFilter
from giamsat.cases.tables import Case, Finding
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import NotFound
from giamsat.plans.facts import json_value
from giamsat.plans.service import publish
from giamsat.residence.tables import ResidenceFinding
from giamsat.signals.tables import Signal
from tests.integration.plans.conftest import context_for, first_child, new_cadre, pack_for, send

DISTRICT = "276"  # Thạch Thất: no other area's tests publish or read here


async def _case(case_id: int) -> dict[str, object]:
    async with system_scope():
        row = await Case.select(*Case.all_columns(), Case.committee.code.as_alias("owner")).where(
            Case.id == case_id).first()  # fmt: skip
    assert row is not None
    return {**row, "fired_rules": json_value(row["fired_rules"])}


async def _signal(signal_id: int) -> dict[str, object]:
    async with system_scope():
        row = await Signal.select().where(Signal.id == signal_id).first()
    assert row is not None
    return dict(row)


async def _due(received: dt.date, days: int) -> dt.date:
    return (await working_calendar()).add_working_days(received, days).due


async def test_both_channels_open_cases_at_commune_and_city_and_duties_stay_at_the_commune(
    db, tmp_path: Path
):
    # given the 2022 pack in force for the district, and a commune below it receiving signals
    published = await publish(pack_for(tmp_path, 2022, DISTRICT), DISTRICT, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(DISTRICT))
    commune_cadre = await new_cadre(commune, "commune")
    member = await new_cadre(commune, "district", position="party_member")
    city_cadre = await new_cadre(commune, "province", position="key_official")

    # when two workplace reports about a commune-managed cadre arrive within 90 days
    first = await send(commune, commune_cadre, "workplace", "report", dt.date(2022, 3, 1))
    second = await send(commune, commune_cadre, "workplace", "report", dt.date(2022, 4, 4),
                        ["DD5"])  # fmt: skip
    # and a residence survey rates a district-managed member short on a duty (NCT3)
    survey = await send(commune, member, "residence", "survey", dt.date(2022, 5, 9), ["NCT3"])
    # and a complex corruption report about a city-managed official comes from the workplace
    corrupt = await send(commune, city_cadre, "workplace", "report", dt.date(2022, 6, 1),
                         ["DD7"], corruption=True, complex=True)  # fmt: skip

    # then the lone first report opens nothing but is recorded as evaluated under the pack
    lone = await _signal(first)
    assert (lone["status"], lone["case_id"], lone["pack_version"]) == (
        "evaluated",
        None,
        published.version,
    )
    # and the second opens a commune case, 20 working days, reason: the repeated-reports rule
    at_commune = await _case(int((await _signal(second))["case_id"]))
    assert at_commune["owner"] == commune.committee_code
    assert at_commune["due_on"] == await _due(dt.date(2022, 4, 4), 20)
    assert [r["id"] for r in at_commune["fired_rules"]] == [
        "repeated-workplace-signals",
        "workplace-ethics",
        "route-commune",
    ]
    assert (
        at_commune["fired_rules"][0]["title_en"] == "Two or more workplace reports within 90 days"
    )
    assert at_commune["pack_version"] == published.version
    # and the survey opens no case at the district that manages the member: the duty is a
    # finding on the member's residence record at the commune that received it
    decided = await _signal(survey)
    assert (decided["status"], decided["case_id"]) == ("evaluated", None)
    async with system_scope():
        recorded = await ResidenceFinding.select(
            ResidenceFinding.committee.code, ResidenceFinding.indicator, ResidenceFinding.rule_id
        ).where(ResidenceFinding.signal == survey)
        at_district = await Case.count().where(Case.cadre == member)
    assert [tuple(r.values()) for r in recorded] == [
        (commune.committee_code, "NCT3", "residence-duties")
    ]
    assert at_district == 0
    # and the corruption report goes to the city, high priority, 30 working days (complex)
    at_city = await _case(int((await _signal(corrupt))["case_id"]))
    assert (at_city["owner"], at_city["priority"], at_city["complex_case"]) == ("01", "high", True)
    assert at_city["due_on"] == await _due(dt.date(2022, 6, 1), 30)
    assert [r["id"] for r in at_city["fired_rules"]] == ["corruption-signal", "route-city"]
    async with system_scope():
        found = await Finding.select(Finding.indicator).where(Finding.case == at_city["id"])
    assert [f["indicator"] for f in found] == ["DD7"]


async def test_a_further_signal_joins_the_open_case_and_reruns_change_nothing(db, tmp_path):
    # given the pack in force and an open commune case from two workplace reports
    district = "277"
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(district))
    cadre = await new_cadre(commune, "commune")
    await send(commune, cadre, "workplace", "report", dt.date(2022, 3, 1))
    opened = await send(commune, cadre, "workplace", "report", dt.date(2022, 3, 10))
    case_id = (await _signal(opened))["case_id"]
    # when a third report with an asset-declaration finding arrives, and the pipeline reruns
    third = await send(commune, cadre, "workplace", "report", dt.date(2022, 3, 20), ["DD3"])
    from giamsat.decisions.service import decide_signals

    await decide_signals([opened, third])
    # then it is attached to the same case (no second case) with the new finding
    assert (await _signal(third))["case_id"] == case_id
    async with system_scope():
        cases = await Case.count().where(Case.cadre == cadre)
        found = await Finding.select(Finding.indicator).where(Finding.case == case_id)
    assert cases == 1
    assert "DD3" in [f["indicator"] for f in found]


async def test_a_sibling_district_sees_none_of_the_cases(db, tmp_path):
    # given cases opened below district 278 (commune and district level)
    district = "278"
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(district))
    cadre = await new_cadre(commune, "district")
    signal = await send(commune, cadre, "workplace", "report", dt.date(2022, 5, 9), ["DD3"])
    assert (await _signal(signal))["case_id"] is not None
    case_id = int((await _signal(signal))["case_id"])
    # when a sibling district looks through the case repository
    sibling = await context_for("279")
    async with tenant_scope(sibling.path):
        listed = await CaseRepository(sibling).list(CaseFilter(limit=500))
        with pytest.raises(NotFound):
            await CaseRepository(sibling).row(case_id)
        # and, on PostgreSQL, with a deliberately unfiltered query (row-level security)
        unfiltered = await Case.select(Case.id).where(Case.cadre == cadre)
        signals = await Signal.select(Signal.id).where(Signal.id == signal)
    # then it sees nothing
    assert case_id not in [c.id for c in listed]
    if db.backend == "postgres":
        assert unfiltered == [] and signals == []
