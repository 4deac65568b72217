"""Bad input gets a clear 4xx, never a 500, on both backends (PostgreSQL refuses more than
SQLite: integers above 2^31, NUL in text)."""

from __future__ import annotations

import json

import httpx

from tests.factories import Factory, csrf

OWN = "002"
HUGE = 2**31 + 5


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def _all_4xx(responses: dict[str, httpx.Response]) -> list[str]:
    return [f"{what} -> {r.status_code} {r.text[:200]}" for what, r in responses.items()
            if not 400 <= r.status_code < 500]  # fmt: skip


async def test_out_of_range_ids_and_paging_values_are_4xx(factory: Factory) -> None:
    # given a district administrator on the API
    api, _ = await factory.api_client(OWN, "admin")
    # when ids and paging values are out of range
    reason = {"reason": "trùng"}
    answers = {
        "path id": await api.get(f"/api/v1/cases/{HUGE}"),
        "path id, write": await api.post(f"/api/v1/cases/{HUGE}/merge", json={"into": 1, **reason}),
        "delegation id": await api.get(f"/api/v1/delegations/{HUGE}"),
        "signal id": await api.post(f"/api/v1/portal/reports/{HUGE}/messages", json={"body": "x"}),
        "negative limit": await api.get("/api/v1/cases", params={"limit": -1}),
        "huge offset": await api.get("/api/v1/cases", params={"offset": 2**70}),
        "cadre offset": await api.get("/api/v1/cadres", params={"offset": 2**64}),
        "year 0": await api.get("/api/v1/calendar/overrides", params={"year": 0}),
        "body id": await api.post(
            "/api/v1/feedback",
            json={
                "recipient_kind": "cadre",
                "recipient": "Ông A",
                "content": "Góp ý",
                "received_on": "2025-03-03",
                "cadre_id": HUGE,
            },
        ),
        "body ids": await api.post(
            "/api/v1/delegations",
            json={
                "subject": "Giám sát",
                "supervised_name": "Đảng ủy phường Thử Nghiệm",
                "period_start": "2025-01-01",
                "period_end": "2025-06-30",
                "indicators": [{"code": "DD3", "name": "Kê khai"}],
                "case_id": 2**63 + 1,
            },
        ),
    }
    # then every answer is a 4xx
    assert await _all_4xx(answers) == []
    assert answers["path id"].status_code == 404


async def test_control_characters_and_deep_json_are_refused(factory: Factory) -> None:
    # given a public visitor and a district officer
    public = factory.client()
    api, _ = await factory.api_client(OWN, "democracy_law")
    login = {"committee": OWN, "username": "a\x00b", "password": "x\x00"}
    # when NUL and other control characters, or JSON nested 1,000 deep, are sent
    answers = {
        "login NUL": await public.post("/api/v1/auth/login", json=login),
        "login escape": await public.post(
            "/api/v1/auth/login",
            content=b'{"committee":"002","username":"a\\u0000","password":"x"}',
            headers={"content-type": "application/json"},
        ),
        "query NUL": await api.get("/api/v1/committees", params={"q": "ho\x00an"}),
        "query bell": await api.get("/api/v1/cadres", params={"q": "a\x07"}),
        "body NUL": await api.post(
            "/api/v1/feedback",
            json={
                "recipient_kind": "party_committee",
                "recipient": "Quận ủy\x00",
                "content": "Góp ý",
                "received_on": "2025-03-03",
            },
        ),
        "body C1": await api.post(
            "/api/v1/plans/additions/simulate", json={"content": "rules:\u009c", "filename": "a"}
        ),
        "deep JSON": await api.post(
            "/api/v1/feedback", content=_nested(1000), headers={"content-type": "application/json"}
        ),
    }
    await public.get("/login")
    answers["page login NUL"] = await public.post(
        "/login",
        data={"committee": OWN, "username": "a\x00", "password": "x", "_csrf_token": csrf(public)},
    )
    await public.get(f"/portal/{OWN}/report")
    answers["portal NUL"] = await public.post(
        f"/portal/{OWN}/report",
        data={"_csrf_token": csrf(public), "kind": "complaint", "content": "Phản ánh\x00"},
    )
    # then each is a 400 saying what was wrong, and a tab or newline is still fine
    assert await _all_4xx(answers) == []
    assert answers["deep JSON"].status_code in (400, 422)
    # (in the caller's language: Vietnamese by default)
    assert "Ký tự điều khiển" in answers["body NUL"].json()["message"]
    fine = await api.get("/api/v1/committees", params={"q": "hoan\tkiem"})
    assert fine.status_code == 200


async def test_search_wildcards_are_literal(factory: Factory) -> None:
    # given a district officer whose subtree has communes and cadres
    api, _ = await factory.api_client(OWN, "democracy_law")
    everything = (await api.get("/api/v1/committees", params={"q": "phuong"})).json()["items"]
    assert everything, "the search finds nothing at all: the test is broken"
    # when they search for a bare % or _
    for q in ("%", "_", "%%", "\\"):
        committees = await api.get("/api/v1/committees", params={"q": q})
        cadres = await api.get("/api/v1/cadres", params={"q": q})
        # then nothing is listed (no name holds those characters)
        assert (committees.status_code, committees.json()["total"]) == (200, 0), q
        assert (cadres.status_code, cadres.json()["items"]) == (200, []), q


async def test_document_of_a_delegation_without_head_is_409(factory: Factory) -> None:
    # given a delegation that has only its plan (no decision: no head, no secretary)
    api, _ = await factory.api_client(OWN, "democracy_law")
    planned = await api.post(
        "/api/v1/delegations",
        json={"subject": "Giám sát", "supervised_name": "Đảng ủy phường Thử Nghiệm",
              "period_start": "2025-01-01",
              "period_end": "2025-06-30", "indicators": [{"code": "DD3", "name": "Kê khai"}]},
    )  # fmt: skip
    assert planned.status_code == 201, planned.text
    # when its documents are asked for
    for name in ("decision", "notice", "outline", "results", "letter"):
        resp = await api.get(f"/api/v1/delegations/{planned.json()['id']}/documents/{name}")
        # then each is a 409 that says what is missing
        assert resp.status_code == 409, (name, resp.text)
        body = json.loads(resp.text)
        assert body["error"] == "conflict"
        assert "thành viên" in body["message"] or "Chưa lập được" in body["message"], body


async def test_triage_pages_and_signal_files_refuse_bad_input(factory: Factory) -> None:
    # given a district officer on the pages
    page, _ = await factory.page_client(OWN)
    token = csrf(page)
    form = {"_csrf_token": token, "action": "classify", "cadre": str(HUGE), "kind": "<b>x</b>",
            "indicators": ["DD3", "x" * 300]}  # fmt: skip
    # when ids are out of range, or a form carries ids and codes that cannot exist
    answers = {
        "file of a huge signal": await page.get(f"/c/{OWN}/signals/{HUGE}/attachments/1"),
        "huge file id": await page.get(f"/c/{OWN}/signals/1/attachments/{HUGE}"),
        "negative file id": await page.get(f"/c/{OWN}/signals/1/attachments/-1"),
        "huge signal page": await page.get(f"/c/{OWN}/triage/{HUGE}"),
        "classify a huge signal": await page.post(f"/c/{OWN}/triage/{HUGE}", data=form),
        "close a huge signal": await page.post(
            f"/c/{OWN}/triage/{HUGE}",
            data={"_csrf_token": token, "action": "close", "reason": "r" * 5000},
        ),
        "control characters": await page.post(
            f"/c/{OWN}/triage/1", data={"_csrf_token": token, "action": "close", "reason": "\x00"}
        ),
    }
    # then every answer is a 4xx, never the internal values typed in
    assert await _all_4xx(answers) == []
    assert all("<b>x</b>" not in r.text for r in answers.values())
