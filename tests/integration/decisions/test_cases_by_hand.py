"""Journey 5: a case opened by hand through the API is routed by the pack in force; the
origin is the caller; an owner other than the routed one only above it, with a reason; foreign
signals, cadres and owners are refused with nothing written, on SQLite and PostgreSQL. Every
committee sees what it should and the others see nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from giamsat.audit.tables import AuditEntry
from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.tenancy.context import TenantContext
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.calendar.conftest import frozen_on
from tests.integration.decisions.conftest import DISTRICT, pack_in_force
from tests.integration.plans.conftest import first_child, new_cadre, send

RECEIVED = "2022-06-01"


async def _written() -> tuple[int, int]:
    async with system_scope():
        return await Case.count(), await AuditEntry.count()


async def _second_commune() -> TenantContext:
    first = await first_child(DISTRICT)
    async with system_scope():
        from giamsat.tenancy.tables import Committee

        parent = await Committee.select(Committee.id).where(Committee.code == DISTRICT).first()
        assert parent is not None
        rows = await Committee.select(Committee.code).where(
            Committee.parent == parent["id"]).order_by(Committee.code)  # fmt: skip
    return await context_for(next(r["code"] for r in rows if r["code"] != first))


async def test_a_hand_opened_case_is_routed_by_the_pack(factory: Factory, tmp_path: Path) -> None:
    # given the 2022 pack in force and a commune's officer with a city-managed official
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    official = await new_cadre(commune, "province", position="key_official")
    officer, _ = await factory.api_client(commune.committee_code)
    # when the officer opens a case about corruption by hand
    resp = await officer.post("/api/v1/cases", json={
        "cadre_id": official, "indicators": ["DD7"], "corruption": True,
        "received_on": RECEIVED,
    })  # fmt: skip
    # then the pack routes it to the city, from the commune, with the rules that fired
    assert resp.status_code == 201, resp.text
    case = resp.json()
    assert case["committee_code"] == "01"
    assert case["origin_path"] == commune.path
    assert "2022" in case["pack_version"]
    assert "route-city" in [r["id"] for r in case["fired_rules"]]
    assert case["clock_days"] == 20
    # and the city sees it in full, the commune its status, a sibling commune nothing
    city, _ = await factory.api_client("01")
    sibling, _ = await factory.api_client((await _second_commune()).committee_code)
    assert (await city.get(f"/api/v1/cases/{case['id']}")).status_code == 200
    assert (await officer.get(f"/api/v1/cases/{case['id']}")).status_code == 200
    assert (await sibling.get(f"/api/v1/cases/{case['id']}")).status_code == 404


async def test_another_owner_only_above_the_routed_one_and_with_a_reason(
    factory: Factory, tmp_path: Path
) -> None:
    # given a commune-managed cadre, whose cases the pack keeps at the commune
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    cadre = await new_cadre(commune, "commune")
    officer, _ = await factory.api_client(commune.committee_code)
    body = {"cadre_id": cadre, "indicators": ["DD3"], "received_on": RECEIVED}
    before = await _written()
    # when the officer names the district as owner without a reason, or a sibling commune
    no_reason = await officer.post("/api/v1/cases", json=body | {"owner": DISTRICT})
    sibling = await _second_commune()
    sideways = await officer.post("/api/v1/cases", json=body | {
        "owner": sibling.committee_code, "owner_reason": "gần hơn"})  # fmt: skip
    unknown = await officer.post("/api/v1/cases", json=body | {
        "owner": "99999", "owner_reason": "thử"})  # fmt: skip
    # then each is refused and nothing is written
    assert (no_reason.status_code, sideways.status_code, unknown.status_code) == (422, 403, 404)
    assert await _written() == before
    # when the district is named with a reason
    up = await officer.post("/api/v1/cases", json=body | {
        "owner": DISTRICT, "owner_reason": "Vụ việc liên quan nhiều xã"})  # fmt: skip
    # then the district owns it, and the choice is audited with its reason
    assert up.status_code == 201, up.text
    assert up.json()["committee_code"] == DISTRICT
    async with system_scope():
        chosen = await AuditEntry.select(AuditEntry.action).where(
            (AuditEntry.subject_id == str(up.json()["id"]))
            & (AuditEntry.action == "case.owner_chosen"))  # fmt: skip
    assert len(chosen) == 1


async def test_foreign_ids_are_refused_with_nothing_written(
    factory: Factory, tmp_path: Path
) -> None:
    # given two communes of the district, each with a cadre and a signal
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    other = await _second_commune()
    mine = await new_cadre(commune, "commune")
    theirs = await new_cadre(other, "commune")
    their_signal = await send(other, theirs, "workplace", "report", dt.date(2022, 6, 1), ["DD3"])
    officer, _ = await factory.api_client(commune.committee_code)
    body = {"cadre_id": mine, "indicators": ["DD3"], "received_on": RECEIVED}
    before = await _written()
    # when the commune names the other's signal, the other's cadre, a missing signal, an
    # indicator from no catalogue, or a date in the future
    foreign_signal = await officer.post("/api/v1/cases", json=body | {"signal_ids": [their_signal]})
    missing_signal = await officer.post("/api/v1/cases", json=body | {"signal_ids": [10**9]})
    foreign_cadre = await officer.post("/api/v1/cases", json=body | {"cadre_id": theirs})
    bad_code = await officer.post("/api/v1/cases", json=body | {"indicators": ["XX99"]})
    future = await officer.post("/api/v1/cases", json=body | {"received_on": "2999-01-01"})
    # then every one is refused, the foreign ones exactly like missing ones, nothing written
    assert foreign_signal.status_code == missing_signal.status_code == 404
    assert foreign_signal.json()["message"] == missing_signal.json()["message"]
    assert foreign_cadre.status_code == 404
    assert (bad_code.status_code, future.status_code) == (422, 422)
    assert await _written() == before
    async with system_scope():
        from giamsat.signals.tables import Signal

        row = await Signal.select(Signal.case_id).where(Signal.id == their_signal).first()
    assert row is not None
    # and the other commune's signal is untouched by the attempt
    assert row["case_id"] is None or row["case_id"] not in await _cases_of(commune)


async def _cases_of(ctx: TenantContext) -> set[int]:
    async with system_scope():
        rows = await Case.select(Case.id).where(Case.origin_path == ctx.path)
    return {int(r["id"]) for r in rows}


async def test_the_case_page_names_the_manifestations_from_the_pack(
    factory: Factory, tmp_path: Path
) -> None:
    # given the 2022 pack in force on a day of 2022, and a case opened by hand about DD3
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    cadre = await new_cadre(commune, "commune")
    with frozen_on(dt.date(2022, 6, 2)):
        officer, _ = await factory.api_client(commune.committee_code)
        body = {"cadre_id": cadre, "indicators": ["DD3"], "received_on": RECEIVED}
        opened = await officer.post("/api/v1/cases", json=body)
        assert opened.status_code == 201, opened.text
        case = opened.json()
        # when the officer opens the case page
        pages, _ = await factory.page_client(case["committee_code"])
        shown = await pages.get(f"/c/{case['committee_code']}/cases/{case['id']}")
        # then the manifestation is named from the pack's catalogue, in Vietnamese only
        assert shown.status_code == 200
        assert "Kê khai tài sản, thu nhập không trung thực." in shown.text
        assert "Dishonest declaration" not in shown.text
        # and a sibling commune's page gets nothing
        sibling = (await _second_commune()).committee_code
        other, _ = await factory.page_client(sibling)
        assert (await other.get(f"/c/{sibling}/cases/{case['id']}")).status_code == 404
