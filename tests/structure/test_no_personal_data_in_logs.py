"""A representative flow logs nothing that identifies a reporter or opens an account.

The flow: a named portal report (name, phone, e-mail, receipt code), logins with a wrong
password on the API and the login page, and an intake report whose content holds a phone number.
"""

from __future__ import annotations

import logging
import uuid

import pytest

from giamsat.channels import build_registry
from giamsat.observability.logs import JsonFormatter
from giamsat.portal import ratelimit
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre
from tests.integration.portal.conftest import IDENTITY_KEY, csrf_of, receipt_on

COMMUNE = "00037"


async def _named_portal_report(factory: Factory, secrets: dict[str, str]) -> str:
    await ratelimit.forget(ratelimit.client_key("127.0.0.1", "test-secret-key"))
    public = factory.client(identity_key=IDENTITY_KEY)
    token, form_token = await csrf_of(public, f"/portal/{COMMUNE}/report")
    sent = await public.post(
        f"/portal/{COMMUNE}/report",
        data={"_csrf_token": token, "token": form_token, "kind": "denunciation",
              "subject_kind": "cadre", "cadre_name": "Cán bộ địa chính",
              "content": f"Tố cáo, gọi tôi qua {secrets['phone']}", "name": secrets["name"],
              "phone": secrets["phone"], "email": secrets["email"]},
    )  # fmt: skip
    assert sent.status_code == 201, sent.text
    return receipt_on(sent.text)


async def _wrong_password_logins(factory: Factory, password: str) -> None:
    user = await factory.user(COMMUNE)
    api = await factory.client().post(
        "/api/v1/auth/login",
        json={"committee": COMMUNE, "username": user.username, "password": password},
    )
    assert api.status_code == 401, api.text
    page = factory.client()
    await page.get("/login")
    form = await page.post(
        "/login",
        data={"committee": COMMUNE, "username": user.username, "password": password,
              "_csrf_token": page.cookies.get("giamsat_csrf", "")},
    )  # fmt: skip
    assert form.status_code not in (302, 303), form.text


async def _intake_with_phone(factory: Factory, phone: str) -> None:
    ctx = await context_for(COMMUNE)
    await enable(ctx, build_registry(timeout=5.0), "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.api_client(COMMUNE)
    sent = await client.post(
        "/api/v1/intake/workplace/report",
        json={"cadre": cadre, "indicator": "DD3", "union": "CĐ phường",
              "content": f"Người lao động phản ánh, liên hệ {phone}"},
    )  # fmt: skip
    assert sent.status_code == 201, sent.text


async def test_flow_logs_no_identity_phone_email_password_or_receipt(
    factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    # given a reporter's identity, a wrong password and phone numbers unique to this test
    tag = uuid.uuid4().hex[:8]
    secrets = {
        "name": f"Lê Thị Danh {tag}",
        "phone": "0912 345 678",
        "email": f"danh.{tag}@example.vn",
        "password": f"sai-mat-khau-{tag}",
        "intake_phone": "0987.654.321",
    }
    caplog.set_level(logging.DEBUG)
    # when the flow runs with every logger at DEBUG
    receipt = await _named_portal_report(factory, secrets)
    await _wrong_password_logins(factory, secrets["password"])
    await _intake_with_phone(factory, secrets["intake_phone"])
    # then the flow was logged at all (requests are), and no rendering of any record holds a
    # secret: its message, the test handler's line, or the JSON line that leaves the platform
    assert len(caplog.records) > 5
    forbidden = [*secrets.values(), receipt, receipt.replace("-", "")]
    json_lines = JsonFormatter()
    leaks = [
        f"{record.name}: {text[:200]}"
        for record in caplog.records
        for text in (record.getMessage(), caplog.handler.format(record), json_lines.format(record))
        if any(secret in text for secret in forbidden)
    ]
    assert leaks == []
