"""The pack decides where a residence signal goes: the duties it records at the residence go to
the commune where the member lives (not the one that received the signal), a degradation
manifestation on the same signal opens its case at the managing level, and the record refuses
what is not the pack's or not yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from giamsat.cadres.schemas import CadreCreate
from giamsat.cadres.service import create_cadre
from giamsat.cases.tables import Case, Finding
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.residence.tables import ResidenceAssessment, ResidenceFinding
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.plans.conftest import send
from tests.integration.residence.conftest import COMMUNE, DISTRICT, SIBLING, prepared


async def test_duties_go_to_the_residence_and_manifestations_to_the_managing_level(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    # given the 2022 pack at Trúc Bạch and a district-managed member living in Phúc Xá
    await prepared(tmp_path, registry)
    receiver = await context_for(COMMUNE)
    member = await create_cadre(receiver, CadreCreate(
        code="DV-PX-TB-1", full_name="Đỗ Văn Hai Nơi", managing_level="district",
        managing_committee=DISTRICT, residence_commune=SIBLING, position_kind="party_member",
    ))  # fmt: skip
    # when Trúc Bạch receives a residence report naming duty 2 and corruption (manifestation 7)
    signal = await send(receiver, member.id, "residence", "report", dt.date(2022, 6, 6),
                        ["NCT2", "DD7"])  # fmt: skip
    # then duty 2 is a finding at Phúc Xá, where the member lives, and nowhere else
    async with system_scope():
        recorded = await ResidenceFinding.select(
            ResidenceFinding.committee.code, ResidenceFinding.indicator
        ).where(ResidenceFinding.signal == signal)
        case = (
            await Case.select(Case.id, Case.committee.code).where(Case.cadre == member.id).first()
        )
    assert [(r["committee.code"], r["indicator"]) for r in recorded] == [(SIBLING, "NCT2")]
    # and the corruption opens a case at the district that manages the member, without the duty
    assert case is not None and case["committee.code"] == DISTRICT
    async with system_scope():
        found = await Finding.select(Finding.indicator).where(Finding.case == case["id"])
    assert [f["indicator"] for f in found] == ["DD7"]
    # and Phúc Xá's record shows it, while Trúc Bạch, which received it, has no record of it
    at_home, _ = await factory.api_client(SIBLING)
    at_receiver, _ = await factory.api_client(COMMUNE)
    listed = (await at_home.get("/api/v1/residence/records?year=2022")).json()["records"]
    assert [r["short_duties"] for r in listed if r["cadre_id"] == member.id] == [["NCT2"]]
    refused = await at_receiver.get(f"/api/v1/residence/records/{member.id}?year=2022")
    assert refused.status_code == 404


async def test_an_assessment_outside_the_pack_or_the_calendar_is_refused(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    # given a member living in Trúc Bạch, and its staff on the record page
    await prepared(tmp_path, registry)
    ward = await context_for(COMMUNE)
    member = await create_cadre(ward, CadreCreate(
        code="DV-TB-BAD-1", full_name="Ngô Thị Thử", managing_level="commune",
        residence_commune=COMMUNE, position_kind="party_member",
    ))  # fmt: skip
    staff, _ = await factory.page_client(COMMUNE)
    api, _ = await factory.api_client(COMMUNE)
    url = f"/c/{COMMUNE}/residence/members/{member.id}"
    # when they rate a duty the pack does not have, or give an unknown result
    unknown = await staff.post(url, params={"year": 2022},
                               data={"_csrf_token": csrf(staff), "duty-DD7": "short"})  # fmt: skip
    wrong = await staff.post(url, params={"year": 2022},
                             data={"_csrf_token": csrf(staff), "result": "xuat_sac"})  # fmt: skip
    # or ask for a year still to come, or a year that is no number
    later = dt.date.today().year + 1
    future = await api.get(f"/api/v1/residence/records/{member.id}", params={"year": later})
    garbled = await api.get("/api/v1/residence/records", params={"year": "hai nghìn"})
    # then each is refused: the page comes back with its error summary, nothing is kept
    assert unknown.status_code == 422 and "govuk-error-summary" in unknown.text
    assert wrong.status_code == 422 and "govuk-error-summary" in wrong.text
    assert future.status_code in (400, 422) and garbled.status_code == 400
    async with system_scope():
        assert await ResidenceAssessment.count().where(ResidenceAssessment.cadre == member.id) == 0
    # and a read-only user sees the record but may not assess
    reader, _ = await factory.page_client(COMMUNE, "read_only")
    shown = await reader.get(url, params={"year": 2022})
    assert shown.status_code == 200 and "keep-assessment" not in shown.text
    denied = await reader.post(url, params={"year": 2022},
                               data={"_csrf_token": csrf(reader), "duty-NCT1": "met"})  # fmt: skip
    assert denied.status_code == 403


async def test_a_partner_app_keeps_the_year_end_assessment_through_the_api(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    # given a member living in Trúc Bạch, the ward's staff and its neighbour's on the API
    await prepared(tmp_path, registry)
    ward = await context_for(COMMUNE)
    member = await create_cadre(ward, CadreCreate(
        code="DV-TB-API-1", full_name="Phan Văn Ứng Dụng", managing_level="commune",
        residence_commune=COMMUNE, position_kind="party_member",
    ))  # fmt: skip
    api, _ = await factory.api_client(COMMUNE)
    neighbour, _ = await factory.api_client(SIBLING)
    reader, _ = await factory.api_client(COMMUNE, "read_only")
    url = f"/api/v1/residence/records/{member.id}"
    assessment = {"year": 2022, "duties": {"NCT1": "met", "NCT4": "short"},
                  "result": "hoan_thanh", "residence_party_cell": "Chi bộ Tổ dân phố số 2",
                  "workplace_party_org": "Đảng bộ Sở Tư pháp",
                  "comment": "Cần giữ gìn vệ sinh chung."}  # fmt: skip
    # when the neighbour, a read-only user and a client naming a duty the plan lacks try first
    theirs = await neighbour.put(url, json=assessment)
    denied = await reader.put(url, json=assessment)
    unknown = await api.put(url, json=assessment | {"duties": {"DD7": "short"}},
                            headers={"Accept-Language": "en"})  # fmt: skip
    # then each is refused and nothing is kept
    assert (theirs.status_code, denied.status_code, unknown.status_code) == (404, 403, 422)
    assert "DD7" in unknown.json()["message"]
    async with system_scope():
        assert await ResidenceAssessment.count().where(ResidenceAssessment.cadre == member.id) == 0
    # when the ward's staff keep the assessment, then correct the result
    kept = await api.put(url, json=assessment)
    corrected = await api.put(url, json=assessment | {"result": "hoan_thanh_tot"})
    # then the record answers with it, once per member and year, the later call in force
    assert kept.status_code == 200, kept.text
    assert corrected.json()["result"] == "hoan_thanh_tot"
    record = (await api.get(url, params={"year": 2022})).json()
    rated = {d["code"]: d["rating"] for d in record["duties"] if d["rating"]}
    assert rated == {"NCT1": "met", "NCT4": "short"}
    assert record["workplace_party_org"] == "Đảng bộ Sở Tư pháp"
    async with system_scope():
        assert await ResidenceAssessment.count().where(ResidenceAssessment.cadre == member.id) == 1
    # and the neighbour still sees no record of the member
    assert (await neighbour.get(url, params={"year": 2022})).status_code == 404
