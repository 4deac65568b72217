"""Metrics, request ids and redacted structured logs, through the real app."""

from __future__ import annotations

import io
import json
import logging
import re
import uuid
from datetime import date
from typing import Any

from giamsat.cases.tables import Case
from giamsat.db.scope import tenant_scope
from giamsat.observability.logs import JsonFormatter, configure_logging
from giamsat.observability.metrics import PLUGIN_FAILURES, RULE_EVALUATIONS
from giamsat.settings import Settings
from tests.integration.audit.conftest import context_for


def _sample(text: str, name: str, labels: str) -> float:
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(labels)}\}} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


async def test_requests_are_counted_by_route_template_with_ids(factory: Any) -> None:
    # given a logged-in API client
    client, _ = await factory.api_client("001")
    try:
        # when it reads two different committees, one request carrying its own id
        first = await client.get("/api/v1/committees/001", headers={"X-Request-ID": "abc-12345678"})
        second = await client.get("/api/v1/committees/00001")
        bad_id = await client.get("/api/v1/me", headers={"X-Request-ID": "no spaces\nallowed"})
        text = (await client.get("/metrics")).text
    finally:
        await client.aclose()
    # then the caller's id is echoed, a fresh one is made when missing or unacceptable
    assert first.headers["X-Request-ID"] == "abc-12345678"
    assert re.fullmatch(r"[0-9a-f]{32}", second.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", bad_id.headers["X-Request-ID"])
    # and both reads are one series labelled by the route template, never the raw path
    labels = 'method="GET",route="/api/v1/committees/{committee}",status="200"'
    assert _sample(text, "giamsat_http_requests_total", labels) >= 2
    assert "/api/v1/committees/00001" not in text


async def test_cases_by_status_are_counted_at_scrape_time(factory: Any) -> None:
    # given two cases of a status nobody else uses, in two different communes
    status = f"t{uuid.uuid4().hex[:10]}"
    for code in ("00001", "00004"):
        ctx = await context_for(code)
        async with tenant_scope(ctx.path):
            await Case.insert(Case(committee=ctx.committee_id, tenant_path=ctx.path,
                                   origin_path=ctx.path, number=f"M-{uuid.uuid4().hex[:8]}",
                                   status=status, received_on=date(2022, 6, 1)))  # fmt: skip
    # when Prometheus scrapes
    client = factory.client()
    async with client:
        text = (await client.get("/metrics")).text
    # then the gauge counts both, across the whole tree
    assert _sample(text, "giamsat_cases", f'status="{status}"') == 2


async def test_other_areas_counters_are_exported(factory: Any) -> None:
    # given counters incremented the way the rule and channel areas do
    RULE_EVALUATIONS.labels(engine="durable_rules", outcome="matched").inc()
    PLUGIN_FAILURES.labels(plugin="probe-plugin", reason="timeout").inc(2)
    client = factory.client()
    async with client:
        text = (await client.get("/metrics")).text
    # then they appear in /metrics with their labels
    assert _sample(text, "giamsat_rule_evaluations_total",
                   'engine="durable_rules",outcome="matched"') >= 1  # fmt: skip
    assert _sample(text, "giamsat_plugin_failures_total",
                   'plugin="probe-plugin",reason="timeout"') >= 2  # fmt: skip


async def test_request_log_line_carries_id_route_committee_status(factory: Any, caplog) -> None:
    # given a logged-in client
    client, _ = await factory.api_client("001")
    caplog.set_level(logging.INFO, logger="giamsat.http")
    try:
        await client.get("/api/v1/me", headers={"X-Request-ID": "req-log-000001"})
    finally:
        await client.aclose()
    # then exactly one line describes the request, formatted as one JSON object
    records = [r for r in caplog.records if getattr(r, "status", None) == 200
               and "/api/v1/me" in r.getMessage()]  # fmt: skip
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["status"] == 200 and line["method"] == "GET" and line["duration_ms"] >= 0
    assert line["logger"] == "giamsat.http" and line["level"] == "INFO"


def test_personal_data_and_secrets_never_reach_the_logs(caplog) -> None:
    # given logging configured as the app does
    configure_logging("INFO")
    settings = Settings(database_url="postgresql://app:db-pass-9@127.0.0.1/giamsat",
                        secret_key="sk-very-secret", identity_key="ik-very-secret")  # fmt: skip
    log = logging.getLogger("giamsat.test")
    # when code logs a reporter's details, a token, a receipt code and the settings object
    with caplog.at_level(logging.INFO):
        log.info("report from %s, phone 0912 345 678, mail an.nguyen@example.vn, CCCD 001099012345",
                 "Nguyễn Văn An")  # fmt: skip
        log.info("password=hunter22 token: tok-abc receipt_code=GS-7K2Q-93XA Bearer eyJhbGciOi")
        log.info("receipt GS-7K2Q-93XA issued; settings %r", settings)
    text = caplog.text
    # then none of it is there, while the harmless words are
    for secret in (
        "0912 345 678",
        "an.nguyen@example.vn",
        "001099012345",
        "hunter22",
        "tok-abc",
        "GS-7K2Q-93XA",
        "eyJhbGciOi",
        "db-pass-9",
        "sk-very-secret",
        "ik-very-secret",
    ):
        assert secret not in text, secret
    assert "report from" in text and "receipt" in text


def test_json_lines_redact_extras_and_exceptions() -> None:
    # given the JSON handler writing to a buffer
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("giamsat.test.json")
    log.addHandler(handler)
    try:
        # when a record carries sensitive extras and an exception mentioning an e-mail
        try:
            raise ValueError("no user lan.tran@example.vn")
        except ValueError:
            log.error("lookup failed", exc_info=True,
                      extra={"reporter_phone": "0987654321", "case_id": 7})  # fmt: skip
    finally:
        log.removeHandler(handler)
    line = json.loads(buffer.getvalue().splitlines()[-1])
    # then the line is one JSON object with the fields masked and the harmless ones kept
    assert line["reporter_phone"] == "***" and line["case_id"] == 7
    assert "lan.tran@example.vn" not in line["exception"] and "ValueError" in line["exception"]


async def test_client_errors_are_info_without_traceback_and_counted_by_their_status(
    factory: Any, caplog
) -> None:
    # given a logged-in page client (session-bound CSRF token) and an anonymous one
    client, _ = await factory.page_client("001")
    caplog.set_level(logging.DEBUG)
    try:
        before = (await client.get("/metrics")).text
        # when it posts a form without its CSRF token, asks for a case that does not exist,
        # and for two paths no route matches
        refused = await client.post("/logout")
        missing = await client.get("/api/v1/cases/999999999")
        unmatched = [await client.get(f"/no/such/{uuid.uuid4().hex}") for _ in range(2)]
        after = (await client.get("/metrics")).text
    finally:
        await client.aclose()
    assert refused.status_code == 403 and missing.status_code in (401, 404)
    assert [r.status_code for r in unmatched] == [404, 404]
    # then the CSRF refusal is counted as a 403 (never a 500) under its route
    csrf_403 = 'method="POST",route="/logout",status="403"'
    assert _sample(after, "giamsat_http_requests_total", csrf_403) == (
        _sample(before, "giamsat_http_requests_total", csrf_403) + 1
    )
    assert _sample(after, "giamsat_http_requests_total",
                   'method="POST",route="/logout",status="500"') == 0  # fmt: skip
    # and the unmatched paths are counted under one label, and never by their raw path
    lost = 'method="GET",route="<unmatched>",status="404"'
    assert _sample(after, "giamsat_http_requests_total", lost) == (
        _sample(before, "giamsat_http_requests_total", lost) + 2
    )
    assert "/no/such/" not in after
    # and nothing was logged at ERROR or with a traceback; each request has its INFO line
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    lines = [r.getMessage() for r in caplog.records if r.name == "giamsat.http"]
    assert "POST /logout 403" in lines and lines.count("GET <unmatched> 404") == 2
