"""Helpers of the case tests: open a case through ``open_case`` in a given commune."""

from __future__ import annotations

import datetime as dt
import itertools

from giamsat.cases.opening import open_case
from giamsat.cases.schemas import CaseView, FiredRule, OpenCase
from tests.integration.audit.conftest import context_for

__all__ = ["context_for", "new_case"]
_titles = itertools.count(1)


async def new_case(
    owner: str,
    origin: str | None = None,
    *,
    received: dt.date = dt.date(2025, 1, 20),
    complex_case: bool = False,
    clock_days: int | None = None,
    pack_version: str = "hn-2022.1",
) -> CaseView:
    return await open_case(
        await _owner_id(owner),
        OpenCase(
            owner=owner,
            origin=origin or owner,
            title=f"Phản ánh số {next(_titles)}",
            received_on=received,
            complex_case=complex_case,
            clock_days=clock_days,
            subject_name="Ông Nguyễn Văn Thử",
            findings=["DD3"],
            pack_version=pack_version,
            fired_rules=[FiredRule(id="route.commune", title="Cán bộ diện xã quản lý")],
        ),
    )


async def _owner_id(code: str) -> int:
    return (await context_for(code)).committee_id
