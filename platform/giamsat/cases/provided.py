"""What the case routes get from the areas that call cases, through the app factory's
dependencies (their ``DEPENDENCIES``), so that cases never imports them.

- ``indicator_names`` (the plans area): the case page names a finding's indicator (e.g. DD3)
  from the catalogue of the pack in force, which cases never reads.
- ``plan_name`` (the plans area): the case page names the plan whose pack decided the case,
  never its version string.
- ``open_by_hand`` (the decision step): ``POST /api/v1/cases`` goes through the pack like any
  signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from giamsat.cases.schemas import CaseByHand, CaseView
from giamsat.tenancy.context import TenantContext


class IndicatorNames(Protocol):
    """Indicator code → (Vietnamese, English) name in the catalogue in force for a committee
    on a date; empty when no pack is in force."""

    async def __call__(
        self, committee_path: str, on_date: dt.date
    ) -> Mapping[str, tuple[str, str]]: ...


class PlanName(Protocol):
    """A pack version → its plan's (Vietnamese, English) name; None for a version not stored."""

    async def __call__(self, version: str) -> tuple[str, str] | None: ...


class OpenByHand(Protocol):
    """Open a case staff chose the cadre and manifestations of; the pack in force routes it
    and sets its clock. Ids outside the caller's scope are refused (404)."""

    async def __call__(
        self, ctx: TenantContext, data: CaseByHand, *, today: dt.date
    ) -> CaseView: ...
