"""The residence record's use cases: the commune's list, one member's record, the assessment.

Every read is bound to the caller's own committee: findings and assessments by their
``committee`` column, and the members by where they live (``Cadre.residence_commune``) or by a
finding the pack recorded here. A member is looked up in the whole register (a member who works
at a district office is registered there), but only through those two predicates, so another
committee's member reads exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from typing import Any

from giamsat import clock
from giamsat.audit.service import record
from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import InvalidInput, NotFound
from giamsat.plans.facts import json_value
from giamsat.plans.service import active_pack
from giamsat.residence.schemas import (
    AssessmentUpdate,
    DutyView,
    Rating,
    ResidenceFindingView,
    ResidenceRecord,
    ResidenceRecordList,
    ResidenceRecordSummary,
)
from giamsat.residence.tables import ResidenceAssessment, ResidenceFinding
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

#: Duty code → (Vietnamese, English) text, in the pack's catalogue order.
Duties = dict[str, tuple[str, str]]


def not_found() -> NotFound:
    """The one refusal for a member who is not on this commune's records (or nowhere)."""
    return NotFound(N_("There is no such residence record."), field="cadre_id")


def record_year(year: int | None) -> int:
    """The year asked for, or this year by the clock; a year still to come is refused."""
    today = clock.today()
    if year is None:
        return today.year
    if not 2000 <= year <= today.year:
        raise InvalidInput(
            N_("The year must be from 2000 to %(last)s."), field="year", params={"last": today.year}
        )
    return year


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


async def duties_of(ctx: TenantContext, year: int) -> Duties:
    """The residence duties the pack in force records at the residence (its rules'
    ``record_at_residence``), with their catalogue texts; the pack of the year's last day, or
    of today while the year runs."""
    day = min(_bounds(year)[1], clock.today())
    found = await active_pack(ctx.path, day) or await active_pack(ctx.path, _bounds(year)[0])
    if found is None:
        return {}
    pack = found.pack()
    wanted = {c for r in pack.rules.indicator_rules for c in r.then.record_at_residence}
    return {i.code: (i.text_vi, i.text_en) for i in pack.indicators if i.code in wanted}


async def _findings(ctx: TenantContext, year: int, cadre_id: int | None = None) -> list[Any]:
    first, last = _bounds(year)
    where = (
        (ResidenceFinding.committee == ctx.committee_id)
        & (ResidenceFinding.found_on >= first)
        & (ResidenceFinding.found_on <= last)
    )
    if cadre_id is not None:
        where = where & (ResidenceFinding.cadre == cadre_id)
    async with tenant_scope(ctx.path):
        rows = await (
            ResidenceFinding.select()
            .where(where)
            .order_by(ResidenceFinding.found_on)
            .order_by(ResidenceFinding.id)
        )
    return list(rows)


async def _assessments(ctx: TenantContext, year: int) -> dict[int, dict[str, Any]]:
    async with tenant_scope(ctx.path):
        rows = await ResidenceAssessment.select().where(
            (ResidenceAssessment.committee == ctx.committee_id) & (ResidenceAssessment.year == year)
        )
    return {int(r["cadre"]): dict(r) for r in rows}


_MEMBER_COLUMNS = (Cadre.id, Cadre.code, Cadre.full_name, Cadre.position, Cadre.workplace)


async def _members(ctx: TenantContext, also: set[int]) -> list[dict[str, Any]]:
    """Party members living in the commune, and those with a finding recorded here."""
    lives_here = (
        (Cadre.residence_commune == ctx.committee_id)
        & (Cadre.party_member == True)  # noqa: E712
        & (Cadre.active == True)  # noqa: E712
    )
    where = lives_here | Cadre.id.is_in(sorted(also)) if also else lives_here
    async with system_scope():
        rows = await Cadre.select(*_MEMBER_COLUMNS).where(where).order_by(Cadre.full_name)
    return list(rows)


async def _member(ctx: TenantContext, cadre_id: int) -> dict[str, Any]:
    if not 0 < cadre_id < 2**31:
        raise not_found()
    async with tenant_scope(ctx.path):
        here = await ResidenceFinding.exists().where(
            (ResidenceFinding.committee == ctx.committee_id) & (ResidenceFinding.cadre == cadre_id)
        )
    # the member lives here, or the pack recorded a finding here (the member may have moved)
    where: Any = Cadre.id == cadre_id
    if not here:
        where = where & (Cadre.residence_commune == ctx.committee_id)
    async with system_scope():
        row = await Cadre.select(*_MEMBER_COLUMNS).where(where).first()
    if row is None:
        raise not_found()
    return dict(row)


async def list_records(ctx: TenantContext, year: int) -> ResidenceRecordList:
    """The commune's members and what their records hold for ``year``."""
    findings = await _findings(ctx, year)
    assessed = await _assessments(ctx, year)
    by_cadre: dict[int, list[str]] = {}
    for row in findings:
        by_cadre.setdefault(int(row["cadre"]), []).append(str(row["indicator"]))
    members = await _members(ctx, set(by_cadre) | set(assessed))
    records = []
    for member in members:
        codes = by_cadre.get(int(member["id"]), [])
        own = assessed.get(int(member["id"]))
        records.append(
            ResidenceRecordSummary(
                cadre_id=int(member["id"]),
                cadre_code=member["code"],
                full_name=member["full_name"],
                position=member["position"],
                workplace=member["workplace"],
                findings=len(codes),
                short_duties=sorted(set(codes), key=_duty_order),
                result=(own["result"] or None) if own else None,
                assessed=own is not None,
                workplace_party_org=own["workplace_party_org"] if own else "",
            )
        )
    return ResidenceRecordList(
        committee_code=ctx.committee_code,
        committee_name=ctx.committee_name,
        year=year,
        records=records,
    )


def _duty_order(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


async def get_record(ctx: TenantContext, cadre_id: int, year: int) -> ResidenceRecord:
    """One member's residence record for ``year`` (404 unless the member is on this
    commune's records)."""
    member = await _member(ctx, cadre_id)
    duties = await duties_of(ctx, year)
    rows = await _findings(ctx, year, cadre_id)
    own = (await _assessments(ctx, year)).get(cadre_id)
    for code in (str(r["indicator"]) for r in rows):
        duties.setdefault(code, (code, code))
    ratings: dict[str, Rating] = dict(json_value(own["duties"]) or {}) if own else {}
    counts = {code: sum(1 for r in rows if r["indicator"] == code) for code in duties}
    return ResidenceRecord(
        cadre_id=cadre_id,
        cadre_code=member["code"],
        full_name=member["full_name"],
        position=member["position"],
        workplace=member["workplace"],
        committee_code=ctx.committee_code,
        committee_name=ctx.committee_name,
        year=year,
        duties=[
            DutyView(
                code=code, text_vi=vi, text_en=en, findings=counts[code], rating=ratings.get(code)
            )
            for code, (vi, en) in duties.items()
        ],
        findings=[
            ResidenceFindingView(
                indicator=str(r["indicator"]),
                duty_vi=duties[str(r["indicator"])][0],
                duty_en=duties[str(r["indicator"])][1],
                found_on=r["found_on"],
                channel=r["channel"],
                kind=r["kind"],
                source=r["source"],
                signal_id=int(r["signal"]),
            )
            for r in rows
        ],
        assessed=own is not None,
        result=(own["result"] or None) if own else None,
        residence_party_cell=own["residence_party_cell"] if own else "",
        workplace_party_org=own["workplace_party_org"] if own else "",
        comment=own["comment"] if own else "",
        assessed_at=own["updated_at"] if own else None,
    )


async def assess(ctx: TenantContext, cadre_id: int, data: AssessmentUpdate) -> ResidenceRecord:
    """Keep the commune's assessment of the member for the year (one per member and year)."""
    year = record_year(data.year)
    await _member(ctx, cadre_id)
    duties = await duties_of(ctx, year)
    unknown = sorted(set(data.duties) - set(duties))
    if unknown:
        raise InvalidInput(
            N_("Not a residence duty of the plan: %(duties)s."),
            field="duties",
            params={"duties": ", ".join(unknown)},
        )
    rated = {k: data.duties[k] for k in duties if k in data.duties}
    values = {
        ResidenceAssessment.duties: rated,
        ResidenceAssessment.result: data.result or "",
        ResidenceAssessment.residence_party_cell: data.residence_party_cell.strip(),
        ResidenceAssessment.workplace_party_org: data.workplace_party_org.strip(),
        ResidenceAssessment.comment: data.comment.strip(),
        ResidenceAssessment.assessed_by: ctx.user_id,
        ResidenceAssessment.updated_at: datetime.now(UTC),
    }
    mine = (
        (ResidenceAssessment.committee == ctx.committee_id)
        & (ResidenceAssessment.cadre == cadre_id)
        & (ResidenceAssessment.year == year)
    )
    async with tenant_scope(ctx.path):
        found = await ResidenceAssessment.select(ResidenceAssessment.id).where(mine).first()
        if found is None:
            row = ResidenceAssessment(
                committee=ctx.committee_id, tenant_path=ctx.path, cadre=cadre_id, year=year
            )
            for column, value in values.items():
                setattr(row, column._meta.name, value)
            await row.save()
        else:
            await ResidenceAssessment.update(values).where(mine)  # type: ignore[arg-type]
        await record(
            ctx,
            "residence.assessed",
            "cadre",
            cadre_id,
            {"year": year, "rated": sorted(rated)},
        )
    return await get_record(ctx, cadre_id, year)
