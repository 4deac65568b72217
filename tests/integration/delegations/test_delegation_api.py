"""A delegation through the API, step by step, down to its five Word documents."""

from __future__ import annotations

import io
from typing import Any

import docx

from giamsat.audit.service import recent

DISTRICT = "002"  # Quận Hoàn Kiếm
SUPERVISED = "Đảng ủy phường Hàng Bạc"
MEMBERS = [
    {
        "full_name": "Trần Thị Bình",
        "role": "head",
        "position": "Phó Chủ tịch",
        "organisation": "Ủy ban MTTQ Việt Nam quận Hoàn Kiếm",
    },
    {
        "full_name": "Phạm Thu Dung",
        "role": "member",
        "position": "Phó Chủ tịch",
        "organisation": "Liên đoàn Lao động quận",
        "source": "member_organisation",
        "official": False,
    },
    {
        "full_name": "Lê Văn Cường",
        "role": "member",
        "position": "Ủy viên",
        "organisation": "Hội đồng tư vấn",
        "source": "advisory_council",
        "official": False,
    },
    {
        "full_name": "Hoàng Minh Đức",
        "role": "secretary",
        "position": "Chuyên viên",
        "organisation": "Ban Dân chủ - Pháp luật",
    },
]
PLAN = {
    "subject": "việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu",
    "supervised_name": SUPERVISED,
    "period_start": "2022-01-01",
    "period_end": "2022-06-30",
    "indicators": [{"code": "DD3", "name": "Kê khai tài sản không trung thực"}],
}


async def _ok(resp: Any) -> dict[str, Any]:
    assert resp.status_code in (200, 201), resp.text
    return dict(resp.json())


async def _planned(client: Any) -> int:
    return int((await _ok(await client.post("/api/v1/delegations", json=PLAN)))["id"])


async def test_delegation_without_head_is_refused_and_nothing_changes(db, factory):
    client, _ = await factory.api_client(DISTRICT)
    delegation = await _planned(client)
    # when the decision names no head
    no_head = [m for m in MEMBERS if m["role"] != "head"]
    resp = await client.post(
        f"/api/v1/delegations/{delegation}/decision",
        json={"decided_on": "2022-07-01", "members": no_head, "signer_name": "Nguyễn Văn An"},
    )
    # then it is refused with the reason, and the delegation is still planned without members
    assert resp.status_code == 422 and "phải có đúng một trưởng đoàn" in resp.json()["message"]
    shown = await _ok(await client.get(f"/api/v1/delegations/{delegation}"))
    assert (shown["status"], shown["members"]) == ("planned", [])


async def test_notice_less_than_fifteen_days_ahead_is_refused(db, factory):
    client, _ = await factory.api_client(DISTRICT)
    delegation = await _planned(client)
    await _ok(
        await client.post(
            f"/api/v1/delegations/{delegation}/decision",
            json={"decided_on": "2022-07-01", "members": MEMBERS, "signer_name": "Nguyễn Văn An"},
        )
    )
    # when the notice goes out 10 days before the first session
    resp = await client.post(
        f"/api/v1/delegations/{delegation}/notice",
        json={
            "notice_on": "2022-07-31",
            "report_due": "2022-08-05",
            "sessions": [{"held_on": "2022-08-10", "place": "Trụ sở", "activity": "Làm việc"}],
        },
    )
    # then it is refused, naming the 15 days and the dates as dd/mm/yyyy, and no session was
    # stored
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        "Thông báo và đề cương báo cáo phải được gửi đến đối tượng chịu sự giám sát ít nhất 15 "
        "ngày trước buổi làm việc đầu tiên (10/08/2022); gửi ngày 31/07/2022 thì chỉ trước 10 "
        "ngày."
    )
    shown = await _ok(await client.get(f"/api/v1/delegations/{delegation}"))
    assert (shown["status"], shown["sessions"]) == ("decided", [])


async def test_a_step_out_of_turn_is_refused_in_the_readers_language(db, factory):
    # given a planned delegation of Quận Hoàn Kiếm, its decision not yet signed
    client, _ = await factory.api_client(DISTRICT)
    delegation = await _planned(client)
    report = {"received_on": "2022-08-01"}
    # when its officer records the supervised body's report, in Vietnamese, then in English
    vi = await client.post(f"/api/v1/delegations/{delegation}/report", json=report)
    await client.get("/language", params={"to": "en"})
    en = await client.post(f"/api/v1/delegations/{delegation}/report", json=report)
    # then each refusal names the delegation by its subject and the steps by their names
    assert (vi.status_code, en.status_code) == (422, 422)
    assert vi.json()["message"] == (
        f"Đoàn giám sát “{PLAN['subject']}” đang ở bước “Đã lập kế hoạch”: báo cáo của đối "
        "tượng chịu sự giám sát chỉ ghi nhận được ở bước “Đã gửi thông báo”."
    )
    assert en.json()["message"] == (
        f"The delegation “{PLAN['subject']}” is at the step “Planned”: the supervised body's "
        "report can only be recorded at the step “Notice sent”."
    )
    for said in (vi.json()["message"], en.json()["message"]):
        assert "planned" not in said and "notified" not in said and str(delegation) not in said
    # and another district's officer finds no such delegation, in its own words
    sibling, _ = await factory.api_client("003")
    other = await sibling.post(f"/api/v1/delegations/{delegation}/report", json=report)
    assert other.status_code == 404
    assert other.json()["message"] == "Đoàn giám sát này không thuộc Ủy ban MTTQ của bạn."


async def _full_run(client: Any) -> int:
    delegation = await _planned(client)
    base = f"/api/v1/delegations/{delegation}"
    await _ok(
        await client.post(
            f"{base}/decision",
            json={
                "decided_on": "2022-07-01",
                "number": 15,
                "members": MEMBERS,
                "signer_name": "Nguyễn Văn An",
            },
        )
    )
    shown = await _ok(
        await client.post(
            f"{base}/notice",
            json={
                "notice_on": "2022-07-05",
                "number": 16,
                "report_due": "2022-08-01",
                "sessions": [
                    {"held_on": "2022-08-10", "place": "Trụ sở Đảng ủy", "activity": "Làm việc"},
                    {"held_on": "2022-08-11", "place": "Tổ dân phố 3", "activity": "Khảo sát"},
                ],
            },
        )
    )
    await _ok(await client.post(f"{base}/report", json={"received_on": "2022-08-01"}))
    for session in shown["sessions"]:
        await _ok(
            await client.post(
                f"{base}/minutes",
                json={"session_id": session["id"], "minutes": "Biên bản làm việc"},
            )
        )
    await _ok(
        await client.post(
            f"{base}/results",
            json={
                "results_on": "2022-09-01",
                "number": 30,
                "findings": [
                    {
                        "indicator_code": "DD3",
                        "indicator_name": "Kê khai tài sản không trung thực",
                        "conclusion": "Có hạn chế cần khắc phục",
                    }
                ],
            },
        )
    )
    await _ok(
        await client.post(
            f"{base}/letter",
            json={
                "letter_on": "2022-09-05",
                "number": 31,
                "recommendations": [
                    {"text": "Chỉ đạo kê khai tài sản đúng hạn."},
                    {"text": "Công khai kết quả khắc phục."},
                ],
            },
        )
    )
    return delegation


EXPECTED = {  # document → (kind title, words of the title, a recipient line)
    "decision": ("QUYẾT ĐỊNH", "thành lập Đoàn giám sát", f"- {SUPERVISED};"),
    "notice": ("THÔNG BÁO", "Về việc giám sát", "- Như trên;"),
    "outline": ("ĐỀ CƯƠNG BÁO CÁO", "Phục vụ giám sát", f"- {SUPERVISED};"),
    "results": (
        "BÁO CÁO",
        "Kết quả giám sát",
        "- Ban Thường trực Ủy ban MTTQ Việt Nam Thành phố Hà Nội;",
    ),
    "letter": ("KIẾN NGHỊ", "", "- Ban Thường trực Ủy ban MTTQ Việt Nam Thành phố Hà Nội;"),
}


async def test_five_documents_download_as_word_files(db, factory):
    client, _ = await factory.api_client(DISTRICT)
    delegation = await _full_run(client)
    shown = await _ok(await client.get(f"/api/v1/delegations/{delegation}"))
    assert shown["status"] == "recommended" and shown["documents"] == list(EXPECTED)
    for name, (kind_title, title_words, recipient) in EXPECTED.items():
        # when each document is downloaded through the API
        resp = await client.get(f"/api/v1/delegations/{delegation}/documents/{name}")
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
        # then it opens as a .docx with the committee's header, the title and the recipients
        document = docx.Document(io.BytesIO(resp.content))
        header = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text.strip()]
        assert header[0] == "ỦY BAN MTTQ VIỆT NAM\nQUẬN HOÀN KIẾM"
        assert header[1] == "BAN THƯỜNG TRỰC"
        titled = [p.text for p in document.paragraphs if p.text.strip()]
        assert titled[0] == kind_title and title_words in titled[1]
        recipients = [
            p.text for p in document.tables[-1].rows[0].cells[0].paragraphs if p.text.strip()
        ]
        assert recipients[0] == "Nơi nhận:" and recipient in recipients, recipients
    # and each export is in the audit chain
    exports = [
        e
        for e in await recent(DISTRICT, limit=200)
        if e.action == "delegation.document_exported" and e.subject_id == str(delegation)
    ]
    assert sorted(e.details["document"] for e in exports) == sorted(EXPECTED)
    # and another district cannot download them
    other, _ = await factory.api_client("003")
    assert (
        await other.get(f"/api/v1/delegations/{delegation}/documents/decision")
    ).status_code == 404


async def test_costs_follow_the_rates_and_recommendations_are_tracked(db, factory):
    client, _ = await factory.api_client(DISTRICT)
    delegation = await _full_run(client)
    shown = await _ok(await client.post(f"/api/v1/delegations/{delegation}/costs"))
    lines = {c["item"]: (c["unit_amount"], c["quantity"], c["verified"]) for c in shown["costs"]}
    # two officials and two others over two session days; one report and one letter
    assert lines == {
        "member_day_official": (100_000, 4, False),
        "member_day_other": (70_000, 4, False),
        "results_report": (2_000_000, 1, False),
        "recommendation_letter": (2_000_000, 1, False),
    }
    items = (
        await client.get("/api/v1/recommendations", params={"delegation_id": delegation})
    ).json()["items"]
    assert [(i["item_no"], i["status"]) for i in items] == [
        (1, "awaiting_answer"),
        (2, "awaiting_answer"),
    ]
    assert items[0]["answer_by"] == shown["answer_by"]
