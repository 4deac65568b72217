"""Cases written without ``open_case`` (bulk imports, sample data) are swept like any other."""

from __future__ import annotations

import datetime as dt

from giamsat.cases.deadlines import sweep_deadlines
from giamsat.cases.tables import Case, CaseClock, CaseEvent
from giamsat.db.scope import system_scope, tenant_scope
from tests.integration.cases.conftest import context_for


async def _bulk_case(code: str, received: dt.date, due: dt.date, title: str) -> int:
    """Insert a case row the way a bulk import does: no clock, no history, no audit."""
    ctx = await context_for(code)
    async with tenant_scope(ctx.path):
        case = Case(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            origin_path=ctx.path,
            number=f"IMPORT/{code}/{title}",
            title=title,
            status="received",
            received_on=received,
            due_on=due,
        )
        await case.save()
    return int(case.id)


async def test_sweep_escalates_and_reminds_cases_that_have_no_clock(db):
    # given two imported cases of Phường Cống Vị (00025): one overdue, one due in 2 working days
    overdue = await _bulk_case("00025", dt.date(2025, 1, 20), dt.date(2025, 2, 24), "overdue")
    soon = await _bulk_case("00025", dt.date(2025, 2, 3), dt.date(2025, 3, 3), "soon")
    ctx = await context_for("00025")
    # when a sibling commune (00028) sweeps its own subtree
    await sweep_deadlines(dt.date(2025, 2, 27), within=(await context_for("00028")).path)
    # then it does not see, let alone touch, either case
    async with system_scope():
        untouched = await CaseClock.count().where(CaseClock.case.is_in([overdue, soon]))
    assert untouched == 0
    # when the owning commune's sweep runs on 2025-02-27
    report = await sweep_deadlines(dt.date(2025, 2, 27), within=ctx.path)
    # then neither is skipped: the overdue one escalates, the other is reminded
    assert (report.skipped, report.escalated, report.reminded) == (0, 1, 1)
    async with system_scope():
        clocks = {
            r["case"]: r["clock_days"]
            for r in await CaseClock.select().where(CaseClock.case.is_in([overdue, soon]))
        }
        status = await Case.select(Case.status).where(Case.id == overdue).first()
        escalations = await CaseEvent.count().where(
            (CaseEvent.case == overdue) & (CaseEvent.action == "escalated")
        )
    # and each got a clock counted in working days from receipt to its due date (Tết skipped)
    assert clocks == {overdue: 20, soon: 20}
    assert status == {"status": "escalated"} and escalations == 1
    # and sweeping again sends nothing twice
    again = await sweep_deadlines(dt.date(2025, 2, 28), within=ctx.path)
    assert (again.escalated, again.reminded, again.skipped) == (0, 0, 0)
