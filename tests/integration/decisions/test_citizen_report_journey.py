"""Journey 1: an anonymous citizen report about corruption by a city-managed official, sent to
a commune on the portal, is classified at the commune and becomes a case at the city with a
20-working-day clock. The citizen follows each stage with the receipt code; the commune keeps
status; a sibling commune sees nothing; the page never names staff, committees or rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx
import time_machine

from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.decisions.conftest import DISTRICT, pack_in_force
from tests.integration.decisions.test_cases_by_hand import _second_commune
from tests.integration.plans.conftest import first_child, new_cadre
from tests.integration.portal.conftest import csrf_of, receipt_on

SENT = dt.datetime(2022, 6, 1, 9, 0, tzinfo=dt.UTC)


async def _status_page(public: httpx.AsyncClient, code: str) -> str:
    token, _ = await csrf_of(public, "/portal/status")
    page = await public.post("/portal/status", data={"_csrf_token": token, "code": code})
    assert page.status_code == 200, page.text
    return page.text


def _stage(html: str) -> str:
    match = re.search(r'id="status">([^<]+)<', html)
    assert match, html[:1500]
    return match.group(1)


async def test_a_citizen_report_is_classified_routed_and_followed(
    factory: Factory, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    ward = await context_for(await first_child(DISTRICT))
    sibling = await _second_commune()
    with time_machine.travel(SENT, tick=False):
        # given a citizen sending an anonymous report to the commune on the portal
        public = factory.client()
        token, form_token = await csrf_of(public, f"/portal/{ward.committee_code}/report")
        sent = await public.post(f"/portal/{ward.committee_code}/report", data={
            "_csrf_token": token, "token": form_token, "subject_kind": "cadre",
            "kind": "denunciation", "cadre_name": "Trần Văn Quan", "cadre_unit": "Sở X",
            "content": "Nhận tiền của doanh nghiệp khi cấp phép", "anonymous": "on",
        })  # fmt: skip
        assert sent.status_code == 201, sent.text
        code = receipt_on(sent.text)
        # then the receipt shows it received
        assert _stage(await _status_page(public, code)) == "Đã tiếp nhận"
        # and it waits in the commune's triage queue, not in the sibling's
        officer, first_user = await factory.api_client(ward.committee_code)
        other, second_user = await factory.api_client(ward.committee_code)
        waiting = [i for i in (await officer.get("/api/v1/triage")).json()["items"]
                   if "cấp phép" in i["summary"]]  # fmt: skip
        assert len(waiting) == 1 and waiting[0]["anonymous"] is True
        signal_id = waiting[0]["signal_id"]
        outsider, _ = await factory.api_client(sibling.committee_code)
        assert signal_id not in [
            i["signal_id"] for i in (await outsider.get("/api/v1/triage")).json()["items"]
        ]
        # when the commune registers the official and classifies the report as corruption
        official = await new_cadre(ward, "province", position="key_official")
        classification = {"cadre_id": official, "indicators": ["DD7"], "corruption": True}
        refused = await outsider.post(f"/api/v1/triage/{signal_id}", json=classification)
        done = await officer.post(f"/api/v1/triage/{signal_id}", json=classification)
        again = await other.post(f"/api/v1/triage/{signal_id}", json=classification)
        # then the sibling is refused as if it did not exist, the first classification opens a
        # case, and the second is refused naming who was first
        assert refused.status_code == 404
        assert done.status_code == 200, done.text
        assert again.status_code == 409 and first_user.username in again.json()["message"]
        case_id = done.json()["case_id"]
        # and the case is at the city, with a 20-working-day clock
        city, _ = await factory.api_client("01")
        case = (await city.get(f"/api/v1/cases/{case_id}")).json()["case"]
        assert (case["committee_code"], case["clock_days"]) == ("01", 20)
        # and the case tells what the pack proposes: a supervision delegation
        assert case["proposals"] == ["delegation"]
        # and the citizen sees it passed to the city level, with the reply-by date
        page = await _status_page(public, code)
        assert _stage(page) == "Đã chuyển Ủy ban MTTQ cấp tỉnh, thành phố xem xét"
        due = dt.date.fromisoformat(case["due_on"])
        assert due.strftime("%d/%m/%Y") in page
        # and never the staff, the committee handling it, or the rules that fired
        for internal in (first_user.username, "route-city", "corruption-signal", "DD7",
                         case["committee_name"]):  # fmt: skip
            assert internal not in page
        # when the city starts verifying, the citizen sees it
        moved = await city.post(f"/api/v1/cases/{case_id}/status", json={"status": "verifying"})
        assert moved.status_code == 200, moved.text
        assert _stage(await _status_page(public, code)) == "Đang xác minh"
        # and the commune keeps the status; the sibling sees nothing
        kept = (await officer.get(f"/api/v1/cases/{case_id}")).json()
        assert kept["access"] == "status" and kept["status"] is not None
        assert (await outsider.get(f"/api/v1/cases/{case_id}")).status_code == 404
        assert second_user.username not in page
