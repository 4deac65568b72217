"""The API end to end: status tree, chase, Word and Excel files read back with their figures."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
from tests.integration.reports.conftest import context_of
from tests.integration.reports.test_rollup import NARRATIVE

from giamsat.db.scope import system_scope
from giamsat.notifications.tables import Notification
from giamsat.reports.plan import load_plan
from giamsat.reports.sampledata import generate_activity
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.submissions import draft_report, submit


def _cell_values(workbook: openpyxl.Workbook, sheet: str) -> dict[str, object]:
    """The figure rows (numbered in the STT column) under the sheet's title block."""
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return {str(r[1]): r[2] for r in rows if isinstance(r[0], int) and r[1] is not None}


def _worded(value: object) -> str:
    """A figure as the documents write it: a number, or a withheld count in words."""
    return f"dưới {str(value)[1:]}" if str(value).startswith("<") else str(value)


async def test_exports_carry_the_suppressed_figures_of_the_committee(db, factory) -> None:
    # given activity in the 2022 period for Sóc Sơn's commune (a committee no other test uses)
    async with system_scope():
        await generate_activity(
            "00379", signals=25, cases=4, cadres=3, seed=7, start=date(2022, 2, 1), days=200
        )
    client, _ = await factory.api_client("00379")
    expected = await draft_report(
        await context_of("00379"), load_plan(), "2022", date.today(), leaving=True
    )
    # when the commune downloads its Excel and Word reports
    xlsx = await client.get("/api/v1/reports/2022/export.xlsx")
    word = await client.get("/api/v1/reports/2022/export.docx")
    # then the workbook's first sheet holds the figures and the Word file the same tables
    assert xlsx.status_code == 200 and word.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    summary = _cell_values(book, "Kết quả chung")
    assert summary["Cán bộ, đảng viên được giám sát"] == expected.figures["cadres.supervised"]
    assert summary["Vụ việc đã mở"] == expected.figures["cases.opened"]
    channels = _cell_values(book, "Phản ánh theo kênh")
    assert sorted(str(v) for v in channels.values()) == sorted(
        _worded(v) for k, v in expected.figures.items() if k.startswith("signals.channel.")
    )
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Cán bộ, đảng viên được giám sát" in text
    assert str(expected.figures["cadres.supervised"]) in text
    assert any("BÁO CÁO" in p.text for p in document.paragraphs)


async def test_status_tree_and_chase_through_the_api(db, factory) -> None:
    # given Ba Vì (271) with one commune submitted for 2022 and a staff user in a commune
    plan = load_plan()
    await submit(
        await context_of("09619"),
        plan,
        "2022",
        SubmitRequest(narrative=NARRATIVE),
        date(2022, 11, 20),
    )
    commune_user = await factory.user("09625", "democracy_law")
    client, _ = await factory.api_client("271")
    # when the district reads its status tree and chases a missing commune
    status = (await client.get("/api/v1/reports/2022/status?depth=1")).json()
    chased = await client.post("/api/v1/reports/2022/chase/09625")
    again = await client.post("/api/v1/reports/2022/chase/09619")
    # then the submitted commune is green, the others missing, and the chase reached the user
    by_code = {c["code"]: c["status"] for c in status["children"]}
    assert by_code["09619"] == "submitted" and by_code["09625"] == "missing"
    assert chased.status_code == 201 and chased.json()["notifications"] >= 1
    assert again.status_code == 422
    async with system_scope():
        notes = await Notification.count().where(
            (Notification.recipient == commune_user.id) & (Notification.kind == "report.chase")
        )
    assert notes == 1


async def test_another_district_sees_nothing_through_the_api(db, factory) -> None:
    # given Ba Vì's commune submitted (previous test or now) and a Hoàn Kiếm user
    client, _ = await factory.api_client("002")
    # when Hoàn Kiếm asks for Ba Vì's commune and chases it
    read = await client.get("/api/v1/reports/2022/children/09619")
    chase = await client.post("/api/v1/reports/2022/chase/09628")
    bad = await client.get("/api/v1/reports/1999/status")
    # then both are not found and an unknown period is a clear 422
    assert read.status_code == 404 and chase.status_code == 404
    assert bad.status_code == 422 and "1999" in bad.json()["message"]
