"""The intake form page renders a plugin's form, re-shows errors by field, and stores a signal."""

from __future__ import annotations

import re

from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre


async def test_form_page_shows_field_errors_then_accepts(
    factory: Factory, registry: ChannelRegistry
) -> None:
    # given Phúc Xá with the workplace channel on and a union officer logged in
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.page_client("00001", "partner_officer", organisation="union")
    form = await client.get("/c/00001/intake/workplace/report")
    assert form.status_code == 200 and 'name="indicator"' in form.text
    key = re.search(r'name="idempotency_key" value="(\d+)"', form.text)
    assert key is not None
    # when the form is posted with an unknown cadre code
    data = {
        "_csrf_token": csrf(client),
        "idempotency_key": key.group(1),
        "cadre": "KHONG-CO",
        "indicator": "DD2",
        "union": "CĐ phường",
        "content": "Nội dung",
    }
    bad = await client.post("/c/00001/intake/workplace/report", data=data)
    # then the form comes back with the message beside the cadre field
    assert bad.status_code == 422
    assert "Không tìm thấy cán bộ có mã này" in bad.text
    # when it is corrected and posted twice with the same form key (a double click)
    good = await client.post("/c/00001/intake/workplace/report", data=data | {"cadre": cadre})
    again = await client.post("/c/00001/intake/workplace/report", data=data | {"cadre": cadre})
    # then one signal is stored and both replies say so
    assert good.status_code == 201 and 'id="result"' in good.text
    assert "đã gửi trước đó" in again.text
    async with system_scope():
        assert await Signal.count().where(Signal.idempotency_key == key.group(1)) == 1
    # and a user of another commune cannot open Phúc Xá's intake page
    other, _ = await factory.page_client("00004", "partner_officer")
    assert (await other.get("/c/00001/intake/workplace/report")).status_code == 403


async def test_the_channels_and_forms_describe_themselves_in_the_pages_language(
    factory: Factory, registry: ChannelRegistry
) -> None:
    # given Phúc Xá with the workplace channel on and its union officer, and another ward's
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    client, _ = await factory.page_client("00001", "partner_officer", organisation="union")
    # when the officer opens the channels and the report form in Vietnamese, then in English
    vi_form = await client.get("/c/00001/intake/workplace/assessment")
    await client.get("/language?to=en&next=/c/00001/intake")
    index = await client.get("/c/00001/intake")
    en_form = await client.get("/c/00001/intake/workplace/assessment")
    # then each page describes the channel and the form in its own language alone
    assert "Theo Hướng dẫn số 44/HD-TLĐ" in vi_form.text
    assert "Trade unions at every level supervise" in index.text
    assert "Công đoàn các cấp" not in index.text
    assert "Under Guidance 44/HD-TLĐ of 20/12/2021" in en_form.text
    assert "Theo Hướng dẫn" not in en_form.text
    # and an officer of another ward cannot open Phúc Xá's channels or forms
    other, _ = await factory.page_client("00004", "partner_officer", organisation="union")
    assert (await other.get("/c/00001/intake")).status_code in (403, 404)
    assert (await other.get("/c/00001/intake/workplace/assessment")).status_code in (403, 404)
