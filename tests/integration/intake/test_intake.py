"""Intake through plugins: enabled per committee, idempotent, attachments checked, all committed."""

from __future__ import annotations

import logging
import uuid

import pytest

from giamsat.channels import ChannelRegistry, SubmissionInvalid
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.intake import service
from giamsat.intake.errors import ChannelDisabled
from giamsat.intake.tables import SignalAttachment
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre

PDF = b"%PDF-1.4\n% test\n"


def report_values(cadre: str, indicator: str = "DD3") -> dict[str, str]:
    return {
        "cadre": cadre,
        "indicator": indicator,
        "union": "CĐ phường Phúc Xá",
        "content": "Nội dung báo cáo",
    }


async def signals_with_key(key: str) -> list[dict[str, object]]:
    async with system_scope():
        return list(await Signal.select().where(Signal.idempotency_key == key))


async def test_enabling_is_per_committee_and_a_disabled_channel_accepts_nothing(
    db: object, registry: ChannelRegistry
) -> None:
    # given Phúc Xá enables the workplace channel and Trúc Bạch does not
    phuc_xa, truc_bach = await context_for("00001"), await context_for("00004")
    await enable(phuc_xa, registry, "workplace")
    await enable(truc_bach, registry, "workplace", on=False)
    cadre = await new_cadre(phuc_xa)
    # when both submit a workplace report
    accepted = await service.submit_form(
        phuc_xa, registry, "workplace", "report", report_values(cadre)
    )
    with pytest.raises(ChannelDisabled) as refused:
        await service.submit_form(truc_bach, registry, "workplace", "report", report_values(cadre))
    # then only Phúc Xá's is stored, and the refusal names the channel
    assert len(accepted.signal_ids) == 1
    assert refused.value.field == "channel" and "workplace" in refused.value.message
    # and when Phúc Xá disables it again, it accepts nothing either
    await enable(phuc_xa, registry, "workplace", on=False)
    with pytest.raises(ChannelDisabled):
        await service.submit_form(phuc_xa, registry, "workplace", "report", report_values(cadre))


async def test_unknown_cadre_and_unknown_indicator_are_refused_by_field(
    db: object, registry: ChannelRegistry
) -> None:
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    other_commune_cadre = await new_cadre(await context_for("00004"))
    # when a report names a cadre of another commune and a made-up indicator
    with pytest.raises(SubmissionInvalid) as invalid:
        await service.submit_form(
            ctx, registry, "workplace", "report", report_values(other_commune_cadre, "DD99")
        )
    # then both fields are named, and nothing was stored
    assert sorted(e.field for e in invalid.value.errors) == ["cadre", "indicator"]
    async with system_scope():
        assert await Signal.count().where(Signal.subject_text == other_commune_cadre) == 0


async def test_same_idempotency_key_twice_gives_one_signal_through_the_api(
    factory: Factory, registry: ChannelRegistry
) -> None:
    # given a staff client of Phúc Xá with the workplace channel on
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.api_client("00001")
    key = f"test-{uuid.uuid4().hex}"
    # when the same submission is sent twice with one key
    first = await client.post(
        "/api/v1/intake/workplace/report",
        json=report_values(cadre),
        headers={"Idempotency-Key": key},
    )
    again = await client.post(
        "/api/v1/intake/workplace/report",
        json=report_values(cadre),
        headers={"Idempotency-Key": key},
    )
    # then the retry returns the first result and exactly one signal exists
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert again.json()["signal_ids"] == first.json()["signal_ids"]
    assert again.json()["replayed"] is True
    rows = await signals_with_key(key)
    assert [r["id"] for r in rows] == first.json()["signal_ids"]
    assert rows[0]["tenant_path"] == ctx.path and rows[0]["status"] == "received"
    # and another commune using the same key gets its own submission, never Phúc Xá's result
    other = await context_for("00004")
    await enable(other, registry, "workplace")
    other_client, _ = await factory.api_client("00004")
    theirs = await other_client.post(
        "/api/v1/intake/workplace/report",
        json=report_values(await new_cadre(other)),
        headers={"Idempotency-Key": key},
    )
    assert theirs.status_code == 201 and theirs.json()["replayed"] is False
    assert set(theirs.json()["signal_ids"]).isdisjoint(first.json()["signal_ids"])
    if factory.db.backend == "postgres":  # row-level security hides Phúc Xá's row from Trúc Bạch
        async with tenant_scope(other.path):
            assert await Signal.count().where(Signal.idempotency_key == key) == 1


async def test_oversized_and_wrong_type_attachments_are_refused(
    factory: Factory, registry: ChannelRegistry
) -> None:
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.api_client("00001")
    fields = report_values(cadre)
    # when a script is sent as a "PDF", and a real PDF larger than 10 MiB
    fake = await client.post(
        "/api/v1/intake/workplace/report",
        data=fields,
        files={"evidence": ("a.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf")},
    )
    big = await client.post(
        "/api/v1/intake/workplace/report",
        data=fields,
        files={"evidence": ("b.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")},
    )
    # then both are refused with the field named
    assert fake.status_code == 422 and fake.json()["errors"][0]["field"] == "evidence"
    assert "application/octet-stream" in fake.json()["errors"][0]["message_en"]
    assert big.status_code == 422 and "larger than" in big.json()["errors"][0]["message_en"]
    # and a small real PDF is kept with its hash, size and type
    ok = await client.post(
        "/api/v1/intake/workplace/report",
        data=fields,
        files={"evidence": ("c.pdf", PDF, "application/pdf")},
    )
    assert ok.status_code == 201, ok.text
    async with system_scope():
        row = (
            await SignalAttachment.select()
            .where(SignalAttachment.submission == ok.json()["submission_id"])
            .first()
        )
    assert row is not None
    assert (row["size"], row["content_type"], bytes(row["data"])) == (
        len(PDF),
        "application/pdf",
        PDF,
    )


def _sheet(cadre: str, bad_cadre: str) -> bytes:
    codes = [f"DD{i}" for i in range(1, 10)] + ["DD-CV"]
    header = [
        "ma_can_bo",
        "ho_ten",
        "don_vi",
        "cong_doan",
        "nam",
        "ky",
        "ngay_danh_gia",
        *codes,
        "bang_chung",
    ]

    def row(code: str, mark: str) -> str:
        marks = ["x" if c == "DD4" and mark else "" for c in codes]
        return ",".join(
            [
                code,
                "",
                "Sở Nội vụ",
                "CĐ Sở",
                "2022",
                "Cả năm",
                "20/11/2022",
                *marks,
                "Chạy danh hiệu" if mark else "",
            ]
        )

    return "\n".join([",".join(header), row(cadre, "x"), row(bad_cadre, "")]).encode()


async def test_bulk_sheet_with_a_bad_row_keeps_nothing(
    factory: Factory, registry: ChannelRegistry
) -> None:
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.api_client("00001")
    before = await sheet_signals(ctx)
    # when a sheet with one good row and one unknown cadre is uploaded
    resp = await client.post(
        "/api/v1/intake/workplace/bulk/assessment-sheet",
        files={"file": ("cd.csv", _sheet(cadre, "KHONG-CO"), "text/csv")},
    )
    # then nothing is kept and line 3 is named
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["accepted"] is False
    assert [(r["line"], r["ok"]) for r in body["rows"]] == [(2, True), (3, False)]
    assert await sheet_signals(ctx) == before
    # and with both rows good, both are kept
    second = await new_cadre(ctx)
    good = await client.post(
        "/api/v1/intake/workplace/bulk/assessment-sheet",
        files={"file": ("cd.csv", _sheet(cadre, second), "text/csv")},
    )
    assert good.status_code == 201, good.text
    assert len(good.json()["signal_ids"]) == 2
    assert await sheet_signals(ctx) == before + 2
    # and a sibling commune's scope sees none of them (row-level security on PostgreSQL)
    if factory.db.backend == "postgres":
        assert await sheet_signals(await context_for("00004"), ctx.path) == 0


async def sheet_signals(ctx: TenantContext, path: str | None = None) -> int:
    async with tenant_scope(ctx.path):
        return int(
            await Signal.count()
            .where(Signal.tenant_path == (path or ctx.path))
            .where(Signal.form_id == "assessment-sheet")
        )


async def test_a_failing_signal_handler_loses_no_signal_and_logs_no_content(
    db: object, registry: ChannelRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    # given a rule-engine handler that fails
    calls: list[list[int]] = []

    async def broken(ctx: TenantContext, ids: list[int]) -> None:
        calls.append(ids)
        raise RuntimeError("engine down")

    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    with caplog.at_level(logging.DEBUG, logger="giamsat"):
        values = report_values(cadre) | {"content": "Bí mật nội dung 0912345678"}
        result = await service.submit_form(
            ctx, registry, "workplace", "report", values, decide=broken
        )
    # then the handler saw the ids, the signal stays received, and the log has no content
    assert calls == [result.signal_ids]
    async with system_scope():
        row = await Signal.select(Signal.status).where(Signal.id == result.signal_ids[0]).first()
    assert row == {"status": "received"}
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("giamsat"))
    assert "engine down" not in ours and "Bí mật" not in ours
    assert f"signals {result.signal_ids}: RuntimeError" in ours
