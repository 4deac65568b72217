"""Merged or split committees: open cases continue at the successor, closed ones stay."""

from __future__ import annotations

import datetime as dt

from giamsat.cases.tables import Case, CaseEvent, Finding
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.tenancy.levels import Level
from giamsat.tenancy.schemas import SuccessionRequest
from giamsat.tenancy.service import create_committee, record_succession
from tests.integration.cases.conftest import new_case

# Two communes this test adds under Huyện Mê Linh (250): merging a commune of the register
# would change the tree other tests read (their first commune of 250, the register re-import).
MERGED, SUCCESSOR, SURVIVOR_PARENT = "90072", "90073", "250"


async def test_open_cases_move_to_the_successor_and_closed_ones_stay(db, factory):
    # given a commune of its own with one open and one closed case
    await create_committee(MERGED, "Xã Chi Đông cũ", "xã", SURVIVOR_PARENT, Level.COMMUNE)
    open_case_view = await new_case(MERGED)
    closed = await new_case(MERGED)
    async with system_scope():
        await Case.update({Case.status: "closed"}).where(Case.id == closed.id)
    successor = await create_committee(
        SUCCESSOR, "Xã Chi Đông mới", "xã", SURVIVOR_PARENT, Level.COMMUNE
    )
    # when it is merged into the new commune
    await record_succession(
        SuccessionRequest(
            kind="merge",
            predecessors=[MERGED],
            successors=[SUCCESSOR],
            effective_on=dt.date(2025, 1, 1),
        )
    )
    # then the open case, its history and findings belong to the successor
    async with tenant_scope(successor.path):
        moved = await Case.select(Case.id, Case.tenant_path).where(Case.id == open_case_view.id)
        events = await CaseEvent.select(CaseEvent.action).where(CaseEvent.case == open_case_view.id)
        findings = await Finding.count().where(Finding.case == open_case_view.id)
    assert moved == [{"id": open_case_view.id, "tenant_path": successor.path}]
    assert "moved_by_succession" in [e["action"] for e in events]
    assert "opened" in [e["action"] for e in events] or len(events) >= 2
    assert findings == 1
    # and the closed case stays with the ended commune, as history
    async with system_scope():
        kept = await Case.select(Case.tenant_path).where(Case.id == closed.id).first()
    assert kept["tenant_path"] == f"/01/{SURVIVOR_PARENT}/{MERGED}/"
    # and another commune sees neither
    async with tenant_scope("/01/250/08974/"):
        seen = await Case.count().where(
            Case.id.is_in([open_case_view.id, closed.id]) & Case.tenant_path.like("/01/250/08974/%")
        )
    assert seen == 0
    # and the successor's officer reads the move in the case's history, committees by name, in
    # the page's language
    officer, _ = await factory.page_client(SUCCESSOR)
    page = await officer.get(f"/c/{SUCCESSOR}/cases/{open_case_view.id}")
    assert page.status_code == 200
    assert "Sáp nhập theo sắp xếp đơn vị hành chính: Xã Chi Đông cũ → Xã Chi Đông mới" in page.text
    await officer.get(f"/language?to=en&next=/c/{SUCCESSOR}/")
    english = await officer.get(f"/c/{SUCCESSOR}/cases/{open_case_view.id}")
    assert (
        "Merged by the administrative reorganisation: Xã Chi Đông cũ → Xã Chi Đông mới"
        in english.text
    )
    assert f"{MERGED} → {SUCCESSOR}" not in english.text and "sáp nhập" not in english.text
    # and the other commune's officer cannot open the case
    outsider, _ = await factory.page_client("08974")
    assert (await outsider.get(f"/c/08974/cases/{open_case_view.id}")).status_code == 404
