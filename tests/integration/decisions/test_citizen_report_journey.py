"""Journey 1: an anonymous citizen report about corruption by a city-managed official, sent to
a ward on the portal, is classified at the ward and becomes a case at the city with a
20-working-day clock on the official calendar. The citizen follows each stage with the receipt
code; the ward keeps status; a sibling and a commune elsewhere see nothing; the page never names
staff, committees or rules. In both trees (conftest.py): in 2026 the report comes in the last
week of December and the clock, the verification and the citizen's last look are in 2027."""

from __future__ import annotations

import re

import httpx

from giamsat.calendar.overrides_store import working_calendar
from giamsat.db.scope import system_scope
from giamsat.portal.tables import PortalReport
from tests.integration.decisions.conftest import Tree
from tests.integration.plans.conftest import new_cadre
from tests.integration.portal.conftest import csrf_of, receipt_on


async def _status_page(public: httpx.AsyncClient, code: str) -> str:
    token, _ = await csrf_of(public, "/portal/status")
    page = await public.post("/portal/status", data={"_csrf_token": token, "code": code})
    assert page.status_code == 200, page.text
    return page.text


def _stage(html: str) -> str:
    match = re.search(r'id="status">([^<]+)<', html)
    assert match, html[:1500]
    return match.group(1)


async def test_a_citizen_report_is_classified_routed_and_followed(tree: Tree) -> None:
    factory = tree.factory
    ward = await tree.context(tree.ward)
    public = factory.client()
    with tree.frozen(7):  # 2026: Monday 28 December
        # given a citizen sending an anonymous report to the ward on the portal
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
    with tree.frozen(8):
        # and it waits in the ward's triage queue, not in the sibling's nor the outsider's
        officer, first_user = await factory.api_client(ward.committee_code)
        other, second_user = await factory.api_client(ward.committee_code)
        waiting = [i for i in (await officer.get("/api/v1/triage")).json()["items"]
                   if "cấp phép" in i["summary"]]  # fmt: skip
        assert len(waiting) == 1 and waiting[0]["anonymous"] is True
        signal_id = waiting[0]["signal_id"]
        sibling, _ = await factory.api_client(tree.sibling)
        outsider, _ = await factory.api_client(tree.outsider)
        for stranger in (sibling, outsider):
            queue = (await stranger.get("/api/v1/triage")).json()["items"]
            assert signal_id not in [i["signal_id"] for i in queue]
        # when the ward registers the official and classifies the report as corruption
        official = await new_cadre(ward, "province", position="key_official")
        classification = {"cadre_id": official, "indicators": ["DD7"], "corruption": True}
        refused = [await s.post(f"/api/v1/triage/{signal_id}", json=classification)
                   for s in (sibling, outsider)]  # fmt: skip
        done = await officer.post(f"/api/v1/triage/{signal_id}", json=classification)
        again = await other.post(f"/api/v1/triage/{signal_id}", json=classification)
        # then the strangers are refused as if it did not exist, the first classification
        # opens a case, and the second is refused naming who was first
        assert [r.status_code for r in refused] == [404, 404]
        assert done.status_code == 200, done.text
        assert again.status_code == 409 and first_user.username in again.json()["message"]
        case_id = done.json()["case_id"]
        # and the case is at the city, with a 20-working-day clock from the day it was sent,
        # on the official calendar (in 2026: due in January 2027)
        city, _ = await factory.api_client("01")
        case = (await city.get(f"/api/v1/cases/{case_id}")).json()["case"]
        assert (case["committee_code"], case["clock_days"]) == ("01", 20)
        expected = (await working_calendar()).add_working_days(tree.day(7), 20).due
        assert case["due_on"] == expected.isoformat()
        assert expected.year == tree.today.year + (1 if tree.name == "2026" else 0)
        # and the case tells what the pack proposes: a supervision delegation
        assert case["proposals"] == ["delegation"]
        # and the identity stays sealed: an anonymous report keeps no identity to disclose, and
        # the city's case shows its signal without a source
        async with system_scope():
            kept = await PortalReport.select(PortalReport.identity_sealed).where(
                PortalReport.signal == signal_id).first()  # fmt: skip
        assert kept == {"identity_sealed": None}
        assert [s["source"] for s in case["signals"]] == [None]
        # and the citizen sees it passed to the city level, with the reply-by date
        page = await _status_page(public, code)
        assert _stage(page) == "Đã chuyển Ủy ban MTTQ cấp tỉnh, thành phố xem xét"
        assert expected.strftime("%d/%m/%Y") in page
        # and never the staff, the committee handling it, or the rules that fired
        for internal in (first_user.username, "route-city", "corruption-signal", "DD7",
                         case["committee_name"]):  # fmt: skip
            assert internal not in page
    with tree.frozen(15):  # 2026: Tuesday 5 January 2027
        # when the city starts verifying (staff log in again: sessions lapse within a week),
        # the citizen sees it
        city, _ = await factory.api_client("01")
        officer, _ = await factory.api_client(ward.committee_code)
        sibling, _ = await factory.api_client(tree.sibling)
        outsider, _ = await factory.api_client(tree.outsider)
        moved = await city.post(f"/api/v1/cases/{case_id}/status", json={"status": "verifying"})
        assert moved.status_code == 200, moved.text
        page = await _status_page(public, code)
        assert _stage(page) == "Đang xác minh"
        assert second_user.username not in page
        # and the ward keeps the status; the sibling and the outsider see nothing
        kept = (await officer.get(f"/api/v1/cases/{case_id}")).json()
        assert kept["access"] == "status" and kept["status"]["status"] == "verifying"
        for stranger in (sibling, outsider):
            assert (await stranger.get(f"/api/v1/cases/{case_id}")).status_code == 404
