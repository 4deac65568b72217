"""Delegation pages: list, detail with download buttons, and a download through the page."""

from __future__ import annotations

import io

import docx

from tests.integration.delegations.test_delegation_api import _full_run


async def test_delegation_detail_page_offers_the_documents(db, factory):
    api, _ = await factory.api_client("004")
    delegation = await _full_run(api)
    pages, _ = await factory.page_client("004")
    # when the officer opens the list and the detail page
    listing = await pages.get("/c/004/delegations/")
    detail = await pages.get(f"/c/004/delegations/{delegation}")
    # then both show the delegation, and the detail links the five documents
    assert listing.status_code == 200 and f"/c/004/delegations/{delegation}" in listing.text
    for name in ("decision", "notice", "outline", "results", "letter"):
        assert f"/c/004/delegations/{delegation}/documents/{name}" in detail.text
    # and a download from the page opens as Word
    resp = await pages.get(f"/c/004/delegations/{delegation}/documents/letter")
    assert resp.status_code == 200
    assert "van-ban-kien-nghi" in resp.headers["content-disposition"]
    titled = [p.text for p in docx.Document(io.BytesIO(resp.content)).paragraphs if p.text.strip()]
    assert titled[0] == "KIẾN NGHỊ"


async def test_a_document_asked_for_too_early_is_refused_in_the_readers_language(db, factory):
    # given a delegation with its decision and members, and nothing after
    from tests.integration.delegations.test_delegation_api import MEMBERS, _ok, _planned

    api, _ = await factory.api_client("004")
    delegation = await _planned(api)
    await _ok(await api.post(f"/api/v1/delegations/{delegation}/decision", json={
        "decided_on": "2022-07-01", "number": 15, "members": MEMBERS,
        "signer_name": "Nguyễn Văn An",
    }))  # fmt: skip
    pages, _ = await factory.page_client("004")
    url = f"/c/004/delegations/{delegation}/documents/results"
    # when the officer asks for its results report, in Vietnamese and then in English
    vietnamese = await pages.get(url)
    await pages.get("/language", params={"to": "en", "next": "/"})
    english = await pages.get(url)
    # then each is refused, naming the document and what to do, never a status or an id
    assert (vietnamese.status_code, english.status_code) == (409, 409)
    assert "Chưa lập được Báo cáo kết quả giám sát" in vietnamese.text
    assert "Supervision results report cannot be made yet" in english.text
    for answer in (vietnamese, english):
        assert "reported" not in answer.text and f"delegation {delegation}" not in answer.text
