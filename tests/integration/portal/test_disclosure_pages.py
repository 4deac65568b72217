"""The staff portal pages' two-person identity disclosure: a request, a second person's approval,
then the requester's one view; the reporter's identity appears on that response only."""

from __future__ import annotations

import re
import uuid

import httpx

from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from tests.factories import Factory, csrf
from tests.integration.portal.conftest import IDENTITY_KEY, csrf_of


async def _page_client(factory: Factory, committee: str, role: str) -> httpx.AsyncClient:
    """A logged-in page client on an app that holds the identity key."""
    user = await factory.user(committee, role, second_factor=True)  # identity views need it
    client = factory.client(identity_key=IDENTITY_KEY)
    resp = await factory.page_login(client, committee, user)
    assert resp.status_code in (302, 303), resp.text
    return client


async def _named_report(factory: Factory, name: str, unique: str) -> int:
    public = factory.client(identity_key=IDENTITY_KEY)
    token, form_token = await csrf_of(public, "/portal/00001/report")
    sent = await public.post(
        "/portal/00001/report",
        data={
            "_csrf_token": token,
            "token": form_token,
            "kind": "denunciation",
            "subject_kind": "cadre",
            "cadre_name": "Cán bộ địa chính",
            "content": f"Tố cáo {unique}",
            "name": name,
            "phone": "0912 000 111",
        },
    )
    assert sent.status_code == 201, sent.text
    async with system_scope():
        row = await Signal.select(Signal.id).where(Signal.body.like(f"%{unique}%")).first()
    assert row is not None
    return int(row["id"])


async def test_disclosure_request_second_approver_then_view(factory: Factory) -> None:
    # given a named report to Phúc Xá, a requester and a standing-board member there
    unique, name = uuid.uuid4().hex, f"Người Phản Ánh {uuid.uuid4().hex[:6]}"
    signal = await _named_report(factory, name, unique)
    requester = await _page_client(factory, "00001", "democracy_law")
    board = await _page_client(factory, "00001", "standing_board")
    detail = f"/c/00001/portal/{signal}"
    assert name not in (await requester.get(detail)).text
    # when the requester asks for the identity on the report's page
    asked = await requester.post(
        f"{detail}/disclosures",
        data={"_csrf_token": csrf(requester), "reason": "Cần mời người phản ánh làm rõ thêm"},
    )
    assert asked.status_code in (302, 303)
    request_id = int(
        re.findall(r"/portal/disclosures/(\d+)/approve", (await board.get(detail)).text)[0]
    )
    # then the requester can neither approve nor view it yet
    own = await requester.post(
        f"/c/00001/portal/disclosures/{request_id}/approve", data={"_csrf_token": csrf(requester)}
    )
    early = await requester.post(
        f"/c/00001/portal/disclosures/{request_id}/view", data={"_csrf_token": csrf(requester)}
    )
    assert own.status_code == 403 and early.status_code in (403, 409)
    assert name not in early.text
    # when a second person of the standing board approves it
    approved = await board.post(
        f"/c/00001/portal/disclosures/{request_id}/approve", data={"_csrf_token": csrf(board)}
    )
    assert approved.status_code in (302, 303)
    # then the requester sees the identity on the view response, and only there
    seen = await requester.post(
        f"/c/00001/portal/disclosures/{request_id}/view", data={"_csrf_token": csrf(requester)}
    )
    assert seen.status_code == 200 and 'id="identity"' in seen.text
    assert name in seen.text and "0912 000 111" in seen.text
    assert name not in (await requester.get(detail)).text
    # and the approver, who did not ask, cannot view it
    not_theirs = await board.post(
        f"/c/00001/portal/disclosures/{request_id}/view", data={"_csrf_token": csrf(board)}
    )
    assert not_theirs.status_code == 403 and name not in not_theirs.text
    # and another commune's staff see nothing of the report
    other = await _page_client(factory, "00004", "standing_board")
    assert (await other.get(f"/c/00004/portal/{signal}")).status_code == 404
    assert unique not in (await other.get("/c/00004/portal/")).text
