"""The citizens' portal: anonymous reports with a receipt, the thread, and sealed identities."""

from __future__ import annotations

import hashlib
import logging
import uuid

import pytest

from giamsat.audit.tables import AuditEntry
from giamsat.db.scope import system_scope
from giamsat.observability.redaction import redact_text
from giamsat.portal import receipts
from tests.conftest import Database
from tests.factories import Factory
from tests.integration.portal.conftest import (
    IDENTITY_KEY,
    csrf_of,
    raw_rows,
    receipt_on,
    staff_client,
)

CITIZEN = {
    "kind": "complaint",
    "cadre_name": "Nguyễn Văn Cán",
    "cadre_unit": "UBND phường",
    "content": "Cán bộ phường nhận tiền khi làm thủ tục",
}


async def submit(client, committee: str, **extra: str) -> object:  # type: ignore[no-untyped-def]
    token, form_token = await csrf_of(client, f"/portal/{committee}/report")
    data = {"_csrf_token": token, "token": form_token, "subject_kind": "cadre", **CITIZEN, **extra}
    return await client.post(f"/portal/{committee}/report", data=data)


async def test_anonymous_report_receipt_status_and_reply(factory: Factory, db: Database) -> None:
    # given a member of the public on the portal, and a unique text to follow
    public = factory.client()
    unique = uuid.uuid4().hex
    choose = await public.get("/portal/", params={"q": "phuc xa"})
    assert "/portal/00001/report" in choose.text
    # when they send an anonymous report to Phường Phúc Xá
    resp = await submit(public, "00001", anonymous="on", content=f"Phản ánh {unique}")
    # then a receipt code is shown once, and only its hash is stored
    assert resp.status_code == 201, resp.text
    code = receipt_on(resp.text)
    assert receipts.normalise(code) is not None
    digest = hashlib.sha256(receipts.normalise(code).encode()).hexdigest()  # type: ignore[union-attr]
    stored = await raw_rows(
        db, f"SELECT receipt_hash FROM portal_report WHERE receipt_hash = '{digest}'"
    )
    assert stored == [(digest,)]
    assert await raw_rows(db, f"SELECT id FROM portal_report WHERE receipt_hash = '{code}'") == []
    # and the committee's staff see it as a citizen signal and reply through the API
    staff, _ = await factory.api_client("00001")
    reports = (await staff.get("/api/v1/portal/reports")).json()["items"]
    listed = [r for r in reports if unique in r["summary"]]
    assert [(r["kind"], r["anonymous"], r["has_identity"]) for r in listed] == [
        ("complaint", True, False)
    ]
    reply = await staff.post(
        f"/api/v1/portal/reports/{listed[0]['signal_id']}/messages",
        json={"body": "Ủy ban đã tiếp nhận và đang xác minh."},
    )
    assert reply.status_code == 201, reply.text
    # and the reporter, coming back with the code (typed in lower case), reads the reply
    token, _ = await csrf_of(public, "/portal/status")
    status = await public.post("/portal/status", data={"_csrf_token": token, "code": code.lower()})
    assert "Đã tiếp nhận" in status.text and "Ủy ban đã tiếp nhận và đang xác minh." in status.text
    # and can answer in the thread, which staff then read
    await public.post(
        "/portal/status", data={"_csrf_token": token, "code": code, "body": "Tôi có thêm chứng cứ."}
    )
    detail = (await staff.get(f"/api/v1/portal/reports/{listed[0]['signal_id']}")).json()
    assert [m["author"] for m in detail["messages"]] == ["staff", "reporter"]
    # and another commune's staff see nothing of it
    other, _ = await factory.api_client("00004")
    assert unique not in (await other.get("/api/v1/portal/reports")).text
    assert (await other.get(f"/api/v1/portal/reports/{listed[0]['signal_id']}")).status_code == 404
    # and a wrong code reveals nothing
    wrong = await public.post(
        "/portal/status", data={"_csrf_token": token, "code": receipts.new_code()}
    )
    assert wrong.status_code == 404 and "Mã tra cứu không đúng" in wrong.text


async def test_named_report_is_refused_without_an_identity_key(
    factory: Factory, db: Database
) -> None:
    public = factory.client()  # identity_key is empty in the test settings
    unique = uuid.uuid4().hex
    # when someone leaves their name without ticking "anonymous"
    resp = await submit(public, "00001", name="Trần Văn Dân", content=f"Nội dung {unique}")
    # then the form is shown again with a clear message, and nothing is stored
    assert resp.status_code == 422
    assert "chỉ nhận phản ánh ẩn danh" in resp.text
    assert await raw_rows(db, f"SELECT id FROM signal WHERE body LIKE '%{unique}%'") == []


async def test_identity_is_sealed_and_disclosed_only_on_a_second_persons_approval(
    factory: Factory, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # given a named report with distinctive identity values
    public = factory.client(identity_key=IDENTITY_KEY)
    digits = f"{uuid.uuid4().int % 10**6:06d}"  # unique: other tests send 0912 345 678 too
    name, phone = f"Phạm Thị Tố Giác {uuid.uuid4().hex[:6]}", f"0912 {digits[:3]} {digits[3:]}"
    email, address = f"to.giac.{uuid.uuid4().hex[:6]}@example.vn", "Số 7 ngõ Bí Mật"
    with caplog.at_level(logging.DEBUG):
        resp = await submit(public, "00001", name=name, phone=phone, email=email, address=address)
        assert resp.status_code == 201, resp.text
        requester, req_user = await staff_client(factory, "00001", identity_key=IDENTITY_KEY)
        reports = (await requester.get("/api/v1/portal/reports")).json()["items"]
        signal_id = next(r["signal_id"] for r in reports if r["has_identity"])
        detail = await requester.get(f"/api/v1/portal/reports/{signal_id}")
    # then the identity is in no column of the database in clear
    for table in ("portal_report", "signal", "audit_entry", "intake_submission"):
        dump = repr(await raw_rows(db, f"SELECT * FROM {table}"))
        assert name not in dump and email not in dump and phone[5:] not in dump, table
    sealed = await raw_rows(
        db, f"SELECT identity_sealed FROM portal_report WHERE signal = {signal_id}"
    )
    assert sealed[0][0].startswith("v1.")
    # and in no API response and no log record
    for text in (detail.text, str(reports), caplog.text):
        assert name not in text and email not in text and address not in text
    # when the requester asks, and tries to approve their own request
    ask = await requester.post(
        f"/api/v1/portal/reports/{signal_id}/disclosures",
        json={"reason": "Cần mời người phản ánh cung cấp thêm chứng cứ"},
    )
    assert ask.status_code == 201, ask.text
    request_id = ask.json()["id"]
    assert (
        await requester.get(f"/api/v1/portal/disclosures/{request_id}/identity")
    ).status_code == 403
    own_board, _ = await staff_client(factory, "00001", "standing_board", identity_key=IDENTITY_KEY)
    # then a second person with the approver role approves; the requester may read it
    approved = await own_board.post(f"/api/v1/portal/disclosures/{request_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert (
        await own_board.get(f"/api/v1/portal/disclosures/{request_id}/identity")
    ).status_code == 403
    seen = await requester.get(f"/api/v1/portal/disclosures/{request_id}/identity")
    assert seen.json() == {"name": name, "phone": phone, "address": address, "email": email}
    # and each step is in the audit log, without the identity
    async with system_scope():
        actions = [
            r["action"]
            for r in await AuditEntry.select(AuditEntry.action)
            .where(AuditEntry.subject_id == str(request_id))
            .where(AuditEntry.subject_type == "identity_disclosure")
            .order_by(AuditEntry.id)
        ]
    assert actions == [
        "identity.disclosure_requested",
        "identity.disclosure_approved",
        "identity.viewed",
    ]
    # and another commune's approver cannot touch the request
    other_board, _ = await staff_client(
        factory, "00004", "standing_board", identity_key=IDENTITY_KEY
    )
    assert (
        await other_board.post(f"/api/v1/portal/disclosures/{request_id}/approve")
    ).status_code == 404
    del req_user


async def test_requester_cannot_self_approve_and_read_only_cannot_ask(factory: Factory) -> None:
    public = factory.client(identity_key=IDENTITY_KEY)
    unique = uuid.uuid4().hex
    assert (await submit(public, "00001", name="Người Thứ Hai", content=unique)).status_code == 201
    admin, _ = await staff_client(factory, "00001", "admin", identity_key=IDENTITY_KEY)
    signal_id = next(
        r["signal_id"]
        for r in (await admin.get("/api/v1/portal/reports")).json()["items"]
        if unique in r["summary"]
    )
    # when an admin (an approver role) asks and then approves their own request
    ask = await admin.post(
        f"/api/v1/portal/reports/{signal_id}/disclosures",
        json={"reason": "Xác minh tính xác thực của phản ánh"},
    )
    own = await admin.post(f"/api/v1/portal/disclosures/{ask.json()['id']}/approve")
    # then it is refused, and the request stays pending
    assert own.status_code == 403 and "tự phê duyệt" in own.json()["message"]
    detail = (await admin.get(f"/api/v1/portal/reports/{signal_id}")).json()
    assert [d["status"] for d in detail["disclosures"]] == ["pending"]
    # and a read-only account cannot even ask
    reader, _ = await factory.api_client("00001", "read_only")
    refused = await reader.post(
        f"/api/v1/portal/reports/{signal_id}/disclosures", json={"reason": "Tò mò muốn biết là ai"}
    )
    assert refused.status_code == 403


async def test_submissions_are_rate_limited_per_client(factory: Factory) -> None:
    public = factory.client()
    # when one address sends more reports than the hourly limit
    codes = [(await submit(public, "00001", anonymous="on")).status_code for _ in range(6)]
    # then the sixth is refused
    assert codes == [201, 201, 201, 201, 201, 429]


def test_log_text_loses_contact_data_and_receipt_codes() -> None:
    # given a log message that quotes user input: a phone number, an e-mail and a receipt code
    code = receipts.new_code()
    text = f"bad input: gọi 0912.345.678 hoặc a.b@example.vn, mã {code}"
    # when it is redacted as every log record is
    redacted = redact_text(text)
    # then none of them survives
    assert "0912" not in redacted
    assert "example.vn" not in redacted
    assert code not in redacted
    assert redact_text("+84 912 345 678") == "***"
