"""Journey 5: a case opened by hand through the API is routed by the pack in force; the
origin is the caller; an owner other than the routed one only above it, with a reason; foreign
signals, cadres and owners are refused with nothing written, on SQLite and PostgreSQL. Every
committee sees what it should and the others see nothing. In both trees (conftest.py)."""

from __future__ import annotations

from giamsat.audit.tables import AuditEntry
from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from tests.integration.audit.conftest import context_for
from tests.integration.decisions.conftest import DISTRICT, Tree, _second_child
from tests.integration.plans.conftest import new_cadre, send


async def _second_commune() -> TenantContext:
    """The second commune of Huyện Ba Vì in the 2022 history (the page tests use it)."""
    return await context_for(await _second_child(DISTRICT))


async def _written() -> tuple[int, int]:
    async with system_scope():
        return await Case.count(), await AuditEntry.count()


async def test_a_hand_opened_case_is_routed_by_the_pack(tree: Tree) -> None:
    with tree.frozen():
        # given the pack in force and a ward's officer with a city-managed official
        commune = await tree.context(tree.ward)
        official = await new_cadre(commune, "province", position="key_official")
        officer, _ = await tree.factory.api_client(commune.committee_code)
        # when the officer opens a case about corruption by hand, received a week ago
        resp = await officer.post("/api/v1/cases", json={
            "cadre_id": official, "indicators": ["DD7"], "corruption": True,
            "received_on": tree.day(-7).isoformat(),
        })  # fmt: skip
        # then the pack routes it to the city, from the ward, with the rules that fired
        assert resp.status_code == 201, resp.text
        case = resp.json()
        assert case["committee_code"] == "01"
        assert case["origin_path"] == commune.path
        assert tree.name in case["pack_version"]
        assert "route-city" in [r["id"] for r in case["fired_rules"]]
        assert case["clock_days"] == 20
        # and the city sees it in full, the ward its status, a sibling and an outsider nothing
        city, _ = await tree.factory.api_client("01")
        sibling, _ = await tree.factory.api_client(tree.sibling)
        outsider, _ = await tree.factory.api_client(tree.outsider)
        assert (await city.get(f"/api/v1/cases/{case['id']}")).json()["access"] == "full"
        assert (await officer.get(f"/api/v1/cases/{case['id']}")).json()["access"] == "status"
        for other in (sibling, outsider):
            assert (await other.get(f"/api/v1/cases/{case['id']}")).status_code == 404
            listed = (await other.get("/api/v1/cases")).json()["items"]
            assert case["id"] not in [c["id"] for c in listed]


async def test_another_owner_only_above_the_routed_one_and_with_a_reason(tree: Tree) -> None:
    with tree.frozen():
        # given a commune-managed cadre, whose cases the pack keeps at the ward
        commune = await tree.context(tree.ward)
        cadre = await new_cadre(commune, "commune")
        officer, _ = await tree.factory.api_client(commune.committee_code)
        body = {"cadre_id": cadre, "indicators": ["DD3"], "received_on": tree.day(-7).isoformat()}
        before = await _written()
        # when the officer names the parent as owner without a reason, or a sibling, or a code
        # that exists nowhere, or a committee of another district / province
        no_reason = await officer.post("/api/v1/cases", json=body | {"owner": tree.parent})
        sideways = await officer.post("/api/v1/cases", json=body | {
            "owner": tree.sibling, "owner_reason": "gần hơn"})  # fmt: skip
        unknown = await officer.post("/api/v1/cases", json=body | {
            "owner": "99999", "owner_reason": "thử"})  # fmt: skip
        # then each is refused and nothing is written
        assert (no_reason.status_code, sideways.status_code, unknown.status_code) == (422, 403, 404)
        assert await _written() == before
        # when the parent is named with a reason
        up = await officer.post("/api/v1/cases", json=body | {
            "owner": tree.parent, "owner_reason": "Vụ việc liên quan nhiều xã"})  # fmt: skip
        # then the parent owns it, and the choice is audited with its reason
        assert up.status_code == 201, up.text
        assert up.json()["committee_code"] == tree.parent
        async with system_scope():
            chosen = await AuditEntry.select(AuditEntry.action).where(
                (AuditEntry.subject_id == str(up.json()["id"]))
                & (AuditEntry.action == "case.owner_chosen"))  # fmt: skip
        assert len(chosen) == 1


async def test_foreign_ids_are_refused_with_nothing_written(tree: Tree) -> None:
    with tree.frozen():
        # given two communes under one parent and one elsewhere, each with a cadre and a signal
        commune = await tree.context(tree.ward)
        other = await tree.context(tree.sibling)
        far = await tree.context(tree.outsider)
        mine = await new_cadre(commune, "commune")
        theirs = await new_cadre(other, "commune")
        distant = await new_cadre(far, "commune")
        their_signal = await send(other, theirs, "workplace", "report", tree.day(-9), ["DD3"])
        far_signal = await send(far, distant, "workplace", "report", tree.day(-9), ["DD3"])
        officer, _ = await tree.factory.api_client(commune.committee_code)
        body = {"cadre_id": mine, "indicators": ["DD3"], "received_on": tree.day(-7).isoformat()}
        before = await _written()
        # when the ward names the other's signal or cadre, those of another district or
        # province, a missing signal, an indicator from no catalogue, or a date in the future
        foreign = [await officer.post("/api/v1/cases", json=body | {"signal_ids": [s]})
                   for s in (their_signal, far_signal)]  # fmt: skip
        missing_signal = await officer.post("/api/v1/cases", json=body | {"signal_ids": [10**9]})
        foreign_cadres = [await officer.post("/api/v1/cases", json=body | {"cadre_id": c})
                          for c in (theirs, distant)]  # fmt: skip
        bad_code = await officer.post("/api/v1/cases", json=body | {"indicators": ["XX99"]})
        future = await officer.post(
            "/api/v1/cases", json=body | {"received_on": tree.day(1).isoformat()}
        )
        # then every one is refused, the foreign ones exactly like missing ones, nothing written
        for refused in foreign:
            assert refused.status_code == missing_signal.status_code == 404
            assert refused.json()["message"] == missing_signal.json()["message"]
        assert [r.status_code for r in foreign_cadres] == [404, 404]
        assert (bad_code.status_code, future.status_code) == (422, 422)
        assert await _written() == before
        # and the others' signals are untouched by the attempts
        async with system_scope():
            rows = await Signal.select(Signal.case_id).where(
                Signal.id.is_in([their_signal, far_signal]))  # fmt: skip
        mine_cases = await _cases_of(commune)
        assert len(rows) == 2 and not {r["case_id"] for r in rows} & mine_cases


async def _cases_of(ctx: TenantContext) -> set[int]:
    async with system_scope():
        rows = await Case.select(Case.id).where(Case.origin_path == ctx.path)
    return {int(r["id"]) for r in rows}


async def test_the_case_page_names_the_manifestations_from_the_pack(tree: Tree) -> None:
    with tree.frozen():
        # given a case opened by hand about DD3 a day ago
        commune = await tree.context(tree.ward)
        cadre = await new_cadre(commune, "commune")
        officer, _ = await tree.factory.api_client(commune.committee_code)
        body = {"cadre_id": cadre, "indicators": ["DD3"], "received_on": tree.day(-1).isoformat()}
        opened = await officer.post("/api/v1/cases", json=body)
        assert opened.status_code == 201, opened.text
        case = opened.json()
        # when the officer opens the case page
        pages, _ = await tree.factory.page_client(case["committee_code"])
        shown = await pages.get(f"/c/{case['committee_code']}/cases/{case['id']}")
        # then the manifestation is named from the pack's catalogue, in Vietnamese only
        assert shown.status_code == 200
        assert "Kê khai tài sản, thu nhập không trung thực." in shown.text
        assert "Dishonest declaration" not in shown.text
        # and a sibling's page gets nothing
        other, _ = await tree.factory.page_client(tree.sibling)
        assert (await other.get(f"/c/{tree.sibling}/cases/{case['id']}")).status_code == 404
