"""A case routed down keeps the signals its district received, shown to the owning commune."""

from __future__ import annotations

import datetime as dt

from giamsat.cases.opening import open_case
from giamsat.cases.schemas import FiredRule, OpenCase
from giamsat.db.scope import tenant_scope
from giamsat.signals.tables import Signal
from giamsat.signals.writer import write_signal
from tests.integration.cases.conftest import context_for

REPORTER = "Nguyễn Thị Người Báo Tin"


async def _district_signal(code: str) -> int:
    ctx = await context_for(code)
    async with tenant_scope(ctx.path):
        signal = Signal(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            channel="workplace",
            kind="report",
            subject_text="Ông Trần Văn Xét",
            indicator_codes=["DD3"],
            source=REPORTER,
            received_on=dt.date(2025, 3, 3),
        )
        await write_signal(signal)
    return int(signal.id)


async def test_owner_sees_the_signals_received_above_it_without_the_reporter(db, factory):
    # given a signal received by Quận Tây Hồ (003), routed down to a commune of it as a case
    district = await context_for("003")
    owner, sibling = await context_for("00097"), await context_for("00094")
    assert owner.path.startswith(district.path) and sibling.path.startswith(district.path)
    signal = await _district_signal("003")
    case = await open_case(
        district,
        OpenCase(
            owner="00097",
            origin="003",
            title="Phản ánh chuyển xuống phường",
            received_on=dt.date(2025, 3, 3),
            signal_ids=[signal],
            findings=["DD3"],
            fired_rules=[FiredRule(id="route.commune", title="Cán bộ diện phường quản lý")],
        ),
    )
    # when the owning commune opens the case page and the API
    pages, _ = await factory.page_client("00097")
    api, _ = await factory.api_client("00097")
    detail = await pages.get(f"/c/00097/cases/{case.id}")
    shown = (await api.get(f"/api/v1/cases/{case.id}")).json()
    # then the district's signal is listed with who received it, never who reported it
    assert detail.status_code == 200, detail.text
    assert "Nơi làm việc (Công đoàn)" in detail.text and "tiếp nhận tại" in detail.text
    assert REPORTER not in detail.text
    (summary,) = shown["case"]["signals"]
    assert (summary["id"], summary["received_by"], summary["source"]) == (signal, "003", None)
    # and the district above sees the same signal, also without the reporter
    above, _ = await factory.api_client("003")
    seen = (await above.get(f"/api/v1/cases/{case.id}")).json()["case"]["signals"]
    assert [s["id"] for s in seen] == [signal] and seen[0]["source"] is None
    # and a sibling commune sees neither the case nor the signal
    other, _ = await factory.page_client("00094")
    refused = await other.get(f"/c/00094/cases/{case.id}")
    assert refused.status_code == 404 and f"#{signal}" not in refused.text
