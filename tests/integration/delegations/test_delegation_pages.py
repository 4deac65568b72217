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
