"""The citizen form asks whether a report is about a cadre or an organisation (and the
organisation's name), staff see that subject; the portal's rate limits are settings."""

from __future__ import annotations

import uuid

import pytest

from giamsat.db.scope import system_scope
from giamsat.errors import ConfigurationError
from giamsat.plans.facts import json_value
from giamsat.settings import load_settings
from giamsat.signals.tables import Signal
from tests.factories import Factory
from tests.integration.portal.conftest import csrf_of, receipt_on

ABOUT_MARKET = {
    "kind": "report",
    "subject_kind": "organisation",
    "organisation_name": "Ban quản lý chợ Long Biên",
    "cadre_name": "",
}


async def _send(client, committee: str, **values: str):  # type: ignore[no-untyped-def]
    token, form_token = await csrf_of(client, f"/portal/{committee}/report")
    data = {"_csrf_token": token, "token": form_token, "anonymous": "on", **values}
    return await client.post(f"/portal/{committee}/report", data=data)


async def test_report_about_an_organisation_carries_its_name(factory: Factory) -> None:
    # given the public form of Phường Phúc Xá, which asks what the report is about
    public = factory.client()
    form = await public.get("/portal/00001/report")
    assert 'name="subject_kind"' in form.text and 'name="organisation_name"' in form.text
    unique = uuid.uuid4().hex
    # when a report about an organisation is sent without the organisation's name
    missing = await _send(
        public, "00001", **(ABOUT_MARKET | {"organisation_name": ""}), content=f"Thu phí {unique}"
    )
    # then the form comes back with the message beside that field, and nothing is stored
    assert missing.status_code == 422
    assert "field-text govuk-form-group--error" in missing.text
    assert "f-report-organisation_name" in missing.text.split("govuk-form-group--error", 1)[1][:200]
    async with system_scope():
        assert await Signal.count().where(Signal.body.like(f"%{unique}%")) == 0
    # when it is sent with the name
    sent = await _send(public, "00001", **ABOUT_MARKET, content=f"Thu phí {unique}")
    # then the signal's subject is the organisation, marked as one, with no cadre name
    assert sent.status_code == 201, sent.text
    receipt_on(sent.text)
    async with system_scope():
        row = await Signal.select(Signal.subject_text, Signal.facts).where(
            Signal.body.like(f"%{unique}%")).first()  # fmt: skip
    assert row is not None
    facts = json_value(row["facts"])
    assert row["subject_text"] == "Ban quản lý chợ Long Biên"
    assert facts["subject_kind"] == "organisation" and "cadre_name" not in facts
    # and Phúc Xá's staff see the organisation on their portal page
    staff, _ = await factory.page_client("00001", "democracy_law")
    listing = await staff.get("/c/00001/portal/")
    line = next(tr for tr in listing.text.split("<tr>") if unique in tr)
    assert "Ban quản lý chợ Long Biên (tổ chức)" in line
    # and another commune's staff see nothing of it
    other, _ = await factory.page_client("00004", "democracy_law")
    assert unique not in (await other.get("/c/00004/portal/")).text


async def test_report_about_a_cadre_needs_the_cadres_name(factory: Factory) -> None:
    # given the public form
    public = factory.client()
    # when a report about a cadre names none
    resp = await _send(public, "00001", kind="report", subject_kind="cadre", content="Không rõ ai")
    # then the cadre's name is asked for
    assert resp.status_code == 422
    assert "f-report-cadre_name" in resp.text.split("govuk-form-group--error", 1)[1][:200]


async def test_submission_limit_comes_from_settings(factory: Factory) -> None:
    # given a portal configured to take one report per client and hour
    public = factory.client(portal_submissions_per_hour=1)
    about = {"kind": "feedback", "subject_kind": "cadre", "cadre_name": "Nguyễn Văn B"}
    # when the same client sends two reports
    first = await _send(public, "00001", **about, content="Góp ý thứ nhất")
    second = await _send(public, "00001", **about, content="Góp ý thứ hai")
    # then the second is refused as too many
    assert first.status_code == 201, first.text
    assert second.status_code == 429


async def test_lookup_limit_comes_from_settings(factory: Factory) -> None:
    # given a portal allowing one receipt look-up per client and hour, and a report sent
    public = factory.client(portal_lookups_per_hour=1)
    about = {"kind": "feedback", "subject_kind": "cadre", "cadre_name": "Trần Văn C"}
    code = receipt_on((await _send(public, "00001", **about, content="Góp ý")).text)
    token, _ = await csrf_of(public, "/portal/status")
    # when the holder of the code reads its status twice
    first = await public.post("/portal/status", data={"_csrf_token": token, "code": code})
    second = await public.post("/portal/status", data={"_csrf_token": token, "code": code})
    # then the second read is refused
    assert first.status_code == 200 and "Đã tiếp nhận" in first.text
    assert second.status_code == 429


def test_limits_are_read_from_the_environment_and_checked() -> None:
    # given operators setting the portal limits
    settings = load_settings(
        {"GIAMSAT_PORTAL_SUBMISSIONS_PER_HOUR": "12", "GIAMSAT_PORTAL_LOOKUPS_PER_HOUR": "300"}
    )
    # then they are read as numbers, and the defaults stay when unset
    assert (settings.portal_submissions_per_hour, settings.portal_lookups_per_hour) == (12, 300)
    defaults = load_settings({})
    assert (defaults.portal_submissions_per_hour, defaults.portal_lookups_per_hour) == (5, 60)
    # and a zero limit is refused, naming the variable
    with pytest.raises(ConfigurationError, match="GIAMSAT_PORTAL_SUBMISSIONS_PER_HOUR"):
        load_settings({"GIAMSAT_PORTAL_SUBMISSIONS_PER_HOUR": "0"})


async def test_refused_uploads_do_not_count_against_the_submission_limit(factory: Factory) -> None:
    # given a portal taking one report per client and hour, and a citizen whose attachment is
    # a script dressed up as a PDF (its bytes say otherwise)
    public = factory.client(portal_submissions_per_hour=1)
    about = {"kind": "feedback", "subject_kind": "cadre", "cadre_name": "Lê Văn D"}
    fake = ("bang-chung.pdf", b"#!/bin/sh\necho not a pdf\n", "application/pdf")
    refused = []
    for _ in range(3):
        token, form_token = await csrf_of(public, "/portal/00001/report")
        data = {"_csrf_token": token, "token": form_token, "anonymous": "on", **about,
                "content": "Góp ý kèm tệp"}  # fmt: skip
        resp = await public.post("/portal/00001/report", data=data, files={"evidence": fake})
        refused.append(resp.status_code)
    # when they send it again without the bad file
    accepted = await _send(public, "00001", **about, content="Góp ý không kèm tệp")
    # then each refusal said why and cost nothing: the corrected report is taken
    assert set(refused) == {422}, refused
    assert accepted.status_code == 201, accepted.text
    # and the limit still holds for accepted reports
    assert (await _send(public, "00001", **about, content="Góp ý thêm")).status_code == 429
