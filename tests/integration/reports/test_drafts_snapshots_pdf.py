"""Saved narrative drafts, stored snapshots read by the dashboard, and the PDF export."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from tests.factories import csrf
from tests.integration.reports.conftest import IsolatedPlan, context_of
from tests.integration.reports.test_rollup import NARRATIVE

from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import InvalidInput
from giamsat.reports.dashboard import build_dashboard
from giamsat.reports.drafts import save_draft
from giamsat.reports.pdf import soffice_path
from giamsat.reports.sampledata import generate_activity
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.snapshots import MAX_AGE, fresh_snapshot, store_snapshots
from giamsat.reports.submissions import draft_report, submit
from giamsat.reports.tables import ReportDraft, ReportSnapshot


async def test_a_saved_draft_is_shown_again_until_submitted_and_only_to_its_committee(
    db, isolated: IsolatedPlan
) -> None:
    # given a commune that saves half of its narrative
    ctx = await context_of("00022")
    plan, period = isolated.plan, isolated.period.id
    await save_draft(ctx, plan, period, {"strengths": "Đã làm tốt", "proposals": ""})
    await save_draft(ctx, plan, period, {"strengths": "Đã làm tốt hơn", "proposals": ""})
    # when it opens its report, and another commune opens its own
    mine = await draft_report(ctx, plan, period, isolated.before_deadline)
    other = await draft_report(await context_of("00025"), plan, period, isolated.before_deadline)
    # then the latest save is shown with its time; the other commune sees no narrative
    assert mine.narrative["strengths"] == "Đã làm tốt hơn" and mine.draft_saved_at is not None
    assert other.narrative == {} and other.draft_saved_at is None
    other_ctx = await context_of("00025")
    async with tenant_scope(other_ctx.path):
        theirs = ReportDraft.tenant_path.like(other_ctx.path + "%")
        assert await ReportDraft.count().where((ReportDraft.period_id == period) & theirs) == 0
        unfiltered = await ReportDraft.count().where(ReportDraft.period_id == period)
    if db.backend == "postgres":
        assert unfiltered == 0
    # and an unknown section is refused
    with pytest.raises(InvalidInput):
        await save_draft(ctx, plan, period, {"salary": "x"})
    # when it submits, the draft becomes the submission and is gone
    await submit(ctx, plan, period, SubmitRequest(narrative=NARRATIVE), isolated.before_deadline)
    after = await draft_report(ctx, plan, period, isolated.before_deadline)
    assert after.narrative == NARRATIVE and after.draft_saved_at is None


async def test_the_draft_button_on_the_page_saves_and_shows_the_text(db, factory) -> None:
    # given an officer of a commune on the reports page
    client, _user = await factory.page_client("00028", "democracy_law")
    text = f"Nháp {datetime.now(UTC).timestamp()}"
    # when the draft button posts the form
    posted = await client.post(
        "/c/00028/reports/draft",
        data={"_csrf_token": csrf(client), "period": "2022", "strengths": text},
    )
    page = await client.get("/c/00028/reports?period=2022")
    # then the page shows the text again, and another commune's page does not
    other, _ = await factory.page_client("00031", "democracy_law")
    elsewhere = await other.get("/c/00031/reports?period=2022")
    assert posted.status_code in (302, 303) and text in page.text and "draft-saved" in page.text
    assert text not in elsewhere.text


async def test_the_dashboard_reads_a_fresh_snapshot_and_not_a_stale_one(
    db, isolated: IsolatedPlan
) -> None:
    # given activity in a Hoàn Kiếm commune and a stored snapshot of Hoàn Kiếm's subtree
    plan, period = isolated.plan, isolated.period
    async with system_scope():
        await generate_activity(
            "00040", signals=6, cases=1, cadres=1, seed=4, start=isolated.start, days=60
        )
    district, commune = await context_of("002"), await context_of("00040")
    run = await store_snapshots(plan, period, isolated.before_deadline, within=district.path)
    # when signals arrive after the snapshot and the dashboard is opened
    async with system_scope():
        await generate_activity(
            "00040", signals=5, cases=0, cadres=0, seed=5, start=isolated.start, days=60
        )
    board = await build_dashboard(commune, plan, period.id, isolated.before_deadline)
    live = await draft_report(commune, plan, period.id, isolated.before_deadline)
    # then it shows the snapshot's figures (6 signals), not a live recomputation (11)
    assert run.stored >= 2 and board.computed_at is not None
    shown = [v for k, v in board.report.figures.items() if k.startswith("signals.channel.")]
    assert sum(int(v) for v in shown if isinstance(v, int)) <= 6
    assert sum(int(v) for k, v in live.figures.items() if k.startswith("signals.channel.")) == 11
    # and once a report is submitted below, or the snapshot is too old, pages compute live
    await submit(
        commune, plan, period.id, SubmitRequest(narrative=NARRATIVE), isolated.before_deadline
    )
    assert await fresh_snapshot(district.committee_id, district.path, period.id) is None
    old = datetime.now(UTC) + MAX_AGE + timedelta(minutes=1)
    assert await fresh_snapshot(commune.committee_id, commune.path, period.id, now=old) is None
    # and another district reads none of Hoàn Kiếm's snapshots
    other = await context_of("003")
    assert await fresh_snapshot(district.committee_id, other.path, period.id) is None
    async with tenant_scope(other.path):
        unfiltered = await ReportSnapshot.count().where(ReportSnapshot.period_id == period.id)
    if db.backend == "postgres":
        assert unfiltered == 0


async def test_pdf_export_or_a_clear_503_without_libreoffice(db, factory, monkeypatch) -> None:
    # given an officer of Ba Đình
    client, _user = await factory.page_client("001", "democracy_law")
    other, _ = await factory.page_client("002", "democracy_law")
    # when LibreOffice is configured away, the PDF endpoint answers 503 with the reason
    monkeypatch.setenv("GIAMSAT_SOFFICE", "/nonexistent/soffice")
    missing = await client.get("/c/001/reports/export.pdf?period=2022")
    assert missing.status_code == 503 and "LibreOffice" in missing.text
    # when it is installed, a PDF of the committee's own report comes back
    monkeypatch.delenv("GIAMSAT_SOFFICE")
    if soffice_path() is None or not os.access(str(soffice_path()), os.X_OK):
        pytest.skip("soffice is not installed on this machine")
    made = await client.get("/c/001/reports/export.pdf?period=2022")
    assert made.status_code == 200 and made.content.startswith(b"%PDF")
    assert made.headers["content-type"].startswith("application/pdf")
    # and another district cannot fetch Ba Đình's PDF through its own session
    refused = await other.get("/c/001/reports/export.pdf?period=2022")
    assert refused.status_code in (403, 404)
