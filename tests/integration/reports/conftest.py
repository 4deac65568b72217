"""Helpers for the reports tests: a tenant context per committee and an isolated plan period.

Tests share one database per backend, so each test gets its own reporting period in its own
far-future year: activity generated for it cannot mix with another test's.
"""

from __future__ import annotations

import itertools
from datetime import date

import msgspec
import pytest

from giamsat.db.scope import system_scope
from giamsat.reports.plan import Period, ReportingPlan, load_plan
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.tables import Committee

_years = itertools.count(2040)


async def context_of(
    code: str, role: str = "democracy_law", user_id: int | None = None
) -> TenantContext:
    async with system_scope():
        row = (
            await Committee.select(Committee.id, Committee.name, Committee.level, Committee.path)
            .where(Committee.code == code)
            .first()
        )
    assert row is not None, code
    return TenantContext(
        committee_id=row["id"],
        committee_code=code,
        committee_name=row["name"],
        committee_level=row["level"],
        path=row["path"],
        role=role,
        user_id=user_id,
        username="tester",
    )


class IsolatedPlan(msgspec.Struct, frozen=True):
    plan: ReportingPlan
    period: Period

    @property
    def start(self) -> date:
        return self.period.starts_on

    @property
    def before_deadline(self) -> date:
        return self.period.deadline.replace(day=1)

    @property
    def after_deadline(self) -> date:
        return self.period.deadline.replace(day=28)


@pytest.fixture
def isolated() -> IsolatedPlan:
    """The 2022 plan with one extra period in a year no other test uses."""
    year = next(_years) + (hash(object()) % 7) * 100
    period = Period(
        id=f"t{year}",
        name=f"Kỳ thử {year}",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 11, 20),
        deadline=date(year, 11, 25),
    )
    base = load_plan()
    return IsolatedPlan(msgspec.structs.replace(base, periods=[*base.periods, period]), period)
