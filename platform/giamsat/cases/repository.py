"""Reading cases as one committee may see them (call inside that committee's scope).

Three kinds of viewer: the owning committee sees everything; a committee above it (the case is
in its subtree) sees everything except who reported; the committee the case was referred up
from sees the status only. Anyone else (a sibling) gets "not found", as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec
from piccolo.custom_types import Combinable
from piccolo.query import OrderByRaw

from giamsat.calendar import provisional_note
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.policy import policy_of
from giamsat.cases.schemas import (
    CaseDetail,
    CaseEventView,
    CaseFilter,
    CaseListItem,
    CaseStatusView,
    CaseView,
    DueNote,
    FindingView,
    FiredRule,
    SignalSummary,
)
from giamsat.cases.statuses import OPEN_STATUSES, Status, allowed_from
from giamsat.cases.tables import Case, CaseClock, CaseEvent, Finding
from giamsat.db.like import contains_words
from giamsat.db.paging import Order, Page, PageRequest, fetch_all, fetch_page
from giamsat.db.scope import system_scope
from giamsat.db.subtree import path_within
from giamsat.errors import NotFound
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

Access = Literal["full", "subtree", "status"]

_CASE_COLUMNS = (
    Case.id,
    Case.number,
    Case.committee.code,
    Case.committee.name,
    Case.tenant_path,
    Case.origin_path,
    Case.cadre,
    Case.subject_name,
    Case.title,
    Case.status,
    Case.priority,
    Case.complex_case,
    Case.managing_level,
    Case.pack_version,
    Case.fired_rules,
    Case.policy,
    Case.assignee,
    Case.received_on,
    Case.due_on,
    Case.escalated,
    Case.merged_into,
    Case.opened_at,
    Case.closed_at,
)


def _proposals(value: Any) -> list[str]:
    policy = policy_of(value)
    return ["delegation"] if policy is not None and policy.propose_delegation else []


def access_of(ctx_path: str, row: dict[str, Any]) -> Access | None:
    if row["tenant_path"] == ctx_path:
        return "full"
    if row["tenant_path"].startswith(ctx_path):
        return "subtree"
    if row["origin_path"].startswith(ctx_path):
        return "status"
    return None


def _visible(ctx_path: str) -> Any:
    # The same rule as the row-level-security policy, so SQLite behaves like PostgreSQL.
    return path_within(Case.tenant_path, ctx_path) | path_within(Case.origin_path, ctx_path)


def _rules(raw: Any) -> list[FiredRule]:
    data = msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw
    return msgspec.convert(data or [], list[FiredRule])


def _json(raw: Any) -> Any:
    return msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw


class CaseRepository:
    """Cases as ``ctx``'s committee sees them; every method runs inside the caller's scope."""

    def __init__(self, ctx: TenantContext) -> None:
        self.ctx = ctx

    async def row(self, case_id: int) -> dict[str, Any]:
        row = (
            await Case.select(*_CASE_COLUMNS)
            .where((Case.id == case_id) & _visible(self.ctx.path))
            .first()
        )
        if row is None or access_of(self.ctx.path, row) is None:
            raise NotFound(N_("This case is not among the cases your committee can see."))
        return dict(row)

    async def in_subtree(self, case_id: int) -> bool:
        """Whether the case is handled by the committee or below (a body's reference to it)."""
        return bool(
            await Case.exists().where(
                (Case.id == case_id) & path_within(Case.tenant_path, self.ctx.path)
            )
        )

    async def owned_row(self, case_id: int) -> dict[str, Any]:
        """The case when ``ctx``'s committee owns it (only the owner acts on a case)."""
        row = await self.row(case_id)
        if row["tenant_path"] != self.ctx.path:
            raise NotFound(
                N_("This case is handled by %(committee)s, not by your committee."),
                params={"committee": row["committee.name"]},
            )
        return row

    async def detail(self, case_id: int) -> CaseDetail:
        row = await self.row(case_id)
        access = access_of(self.ctx.path, row)
        if access == "status":
            return CaseDetail(access="status", status=_status_view(row, await _due_note(row)))
        assert access is not None
        return CaseDetail(access=access, case=await self.view(row, access))

    async def view(self, row: dict[str, Any], access: Access = "full") -> CaseView:
        clock = await CaseClock.select().where(CaseClock.case == row["id"]).first() or {}
        events = await CaseEvent.select().where(CaseEvent.case == row["id"]).order_by(CaseEvent.id)
        findings = await Finding.select().where(Finding.case == row["id"]).order_by(Finding.id)
        signals = await linked_signals(row["id"])
        return CaseView(
            id=row["id"],
            number=row["number"],
            committee_code=row["committee.code"],
            committee_name=row["committee.name"],
            origin_path=row["origin_path"],
            cadre_id=row["cadre"],
            subject_name=row["subject_name"],
            title=row["title"],
            status=row["status"],
            priority=row["priority"],
            complex_case=row["complex_case"],
            managing_level=row["managing_level"],
            pack_version=row["pack_version"],
            fired_rules=_rules(row["fired_rules"]),
            assignee=row["assignee"],
            received_on=row["received_on"],
            due_on=row["due_on"],
            due_note=await _due_note(row),
            clock_days=clock.get("clock_days", 20),
            paused_days=clock.get("paused_days", 0),
            paused_since=clock.get("paused_since"),
            escalated=row["escalated"],
            merged_into=row["merged_into"],
            follow_up_of=clock.get("follow_up_of"),
            opened_at=row["opened_at"],
            closed_at=row["closed_at"],
            allowed_statuses=allowed_from(row["status"]) if access == "full" else [],
            proposals=_proposals(row.get("policy")),
            signals=[
                _signal(s, reveal=access == "full" and s["tenant_path"] == self.ctx.path)
                for s in signals
            ],
            findings=[
                FindingView(
                    indicator=f["indicator"], signal_id=f["signal_id"], rule_id=f["rule_id"]
                )
                for f in findings
            ],
            history=[
                CaseEventView(
                    at=e["at"],
                    action=e["action"],
                    from_status=e["from_status"],
                    to_status=e["to_status"],
                    reason=e["reason"],
                    actor=e["actor"],
                    details=_json(e["details"]) or {},
                )
                for e in events
            ],
        )

    def conditions(self, filters: CaseFilter) -> list[Combinable]:
        """The filters as SQL conditions, the caller's view first (the count uses them too)."""
        path = self.ctx.path
        where: list[Combinable] = [_visible(path)]
        if filters.status:
            where.append(Case.status == filters.status)
        if filters.overdue_on is not None:
            where.append((Case.due_on < filters.overdue_on) & Case.closed_at.is_null())
        own_open = filters.own_open_in or (
            (filters.due_from, filters.due_to) != (None, None) and _OPEN_VALUES
        )
        if own_open:
            where.append(Case.tenant_path == path)
            where.append(Case.status.is_in(sorted(own_open)))
        if filters.due_from is not None:
            where.append(Case.due_on >= filters.due_from)
        if filters.due_to is not None:
            where.append(Case.due_on <= filters.due_to)
        if filters.q.strip():
            # a case seen by its status only has no title to search in
            where.append(path_within(Case.tenant_path, path))
            where.append(contains_words(Case.title, filters.q.strip()))
        return where

    async def page(self, filters: CaseFilter, request: PageRequest) -> Page[CaseListItem]:
        """One page of the cases the filters choose, with their total (two queries at most)."""
        rows = await fetch_page(
            Case, _LIST_COLUMNS, self.conditions(filters), _ORDERS[filters.sort], request
        )
        return rows.map(self._item)

    async def merge_candidates(
        self, case_id: int, cadre_id: int | None, number: str = "", limit: int = 20
    ) -> list[CaseListItem]:
        """At most ``limit`` of the committee's own open cases a case may be merged into: those
        about the same cadre first, then the most recently received; ``number`` narrows them
        to the case numbers containing it (one query: the list is never counted)."""
        path = self.ctx.path
        where: list[Combinable] = [
            _visible(path), Case.tenant_path == path, Case.status.is_in(list(_OPEN_VALUES)),
            Case.id != case_id,
        ]  # fmt: skip
        if number.strip():
            where.append(contains_words(Case.number, number.strip()))
        query = Case.select(*_LIST_COLUMNS)
        for condition in where:
            query = query.where(condition)
        if cadre_id is not None:
            same = OrderByRaw(f'CASE WHEN {_T}."cadre" = {int(cadre_id)} THEN 0 ELSE 1 END')
            query = query.order_by(same)
        query = query.order_by(Case.received_on, ascending=False).order_by(Case.id, ascending=False)
        return [self._item(r) for r in await query.limit(limit)]

    async def everything(self, filters: CaseFilter) -> list[CaseListItem]:
        """Every case the filters choose, in the list's order (an export of the list)."""
        rows = await fetch_all(Case, _LIST_COLUMNS, self.conditions(filters), _ORDERS[filters.sort])
        return [self._item(r) for r in rows]

    async def count(self, filters: CaseFilter) -> int:
        """How many cases the filters choose (one SQL count, the list's conditions)."""
        query = Case.count()
        for condition in self.conditions(filters):
            query = query.where(condition)
        return int(await query)

    async def earliest_due(self, filters: CaseFilter) -> dt.date | None:
        """The earliest due date among the cases the filters choose (one query)."""
        query = Case.select(Case.due_on).order_by(Case.due_on).limit(1)
        for condition in [*self.conditions(filters), Case.due_on.is_not_null()]:
            query = query.where(condition)
        rows = await query
        return rows[0]["due_on"] if rows else None

    async def list(self, filters: CaseFilter) -> list[CaseListItem]:
        """The filters' ``limit`` cases from their ``offset`` (no total)."""
        page = PageRequest(limit=filters.limit, offset=filters.offset)
        return (await self.page(filters, page)).items

    def _item(self, row: dict[str, Any]) -> CaseListItem:
        access = access_of(self.ctx.path, row) or "status"
        hidden = access == "status"
        return CaseListItem(
            id=row["id"],
            number=row["number"],
            committee_code=row["committee.code"],
            committee_name=row["committee.name"],
            title="" if hidden else row["title"],
            status=row["status"],
            priority=row["priority"],
            complex_case=row["complex_case"],
            received_on=row["received_on"],
            due_on=row["due_on"],
            escalated=row["escalated"],
            access=access,
        )


_LIST_COLUMNS = (
    Case.id,
    Case.number,
    Case.committee.code,
    Case.committee.name,
    Case.tenant_path,
    Case.origin_path,
    Case.title,
    Case.status,
    Case.priority,
    Case.complex_case,
    Case.received_on,
    Case.due_on,
    Case.escalated,
)
_OPEN_VALUES = tuple(sorted(s.value for s in OPEN_STATUSES))
_T = '"supervision_case"'
#: Open cases first, then those without a due date last (both backends alike).
_OPEN_FIRST = OrderByRaw(
    f'CASE WHEN {_T}."status" IN ({", ".join(repr(v) for v in _OPEN_VALUES)}) THEN 0 ELSE 1 END'
)
_DUE_LAST = OrderByRaw(f'{_T}."due_on" IS NULL')
#: The workflow's order of statuses (received … closed), for sorting by status.
_BY_STATUS = (
    "CASE "
    + " ".join(f"WHEN {_T}.\"status\" = '{s.value}' THEN {n}" for n, s in enumerate(Status))
    + " ELSE 99 END"
)
_STATUS_ORDER = OrderByRaw(_BY_STATUS)
_ORDERS: dict[str, list[Order]] = {
    "due_on": [(_OPEN_FIRST, True), (_DUE_LAST, True), (Case.due_on, True), (Case.id, True)],
    "-due_on": [(_OPEN_FIRST, True), (_DUE_LAST, True), (Case.due_on, False), (Case.id, False)],
    "received_on": [(Case.received_on, True), (Case.id, True)],
    "-received_on": [(Case.received_on, False), (Case.id, False)],
    "number": [(Case.id, True)],
    "-number": [(Case.id, False)],
    "status": [(_STATUS_ORDER, True), (_DUE_LAST, True), (Case.due_on, True), (Case.id, True)],
    "-status": [(_STATUS_ORDER, False), (_DUE_LAST, True), (Case.due_on, True), (Case.id, True)],
}


async def _due_note(row: dict[str, Any]) -> DueNote | None:
    """The note of a due date that counts in a provisional calendar year, else None."""
    if row["due_on"] is None or row["closed_at"] is not None:
        return None
    calendar = await working_calendar()
    years = calendar.provisional_years(row["received_on"], row["due_on"])
    if not years:
        return None
    vi, en = provisional_note(years)
    return DueNote(provisional_years=list(years), vi=vi, en=en)


def _status_view(row: dict[str, Any], due_note: DueNote | None) -> CaseStatusView:
    return CaseStatusView(
        id=row["id"],
        number=row["number"],
        committee_code=row["committee.code"],
        committee_name=row["committee.name"],
        status=row["status"],
        received_on=row["received_on"],
        due_on=row["due_on"],
        due_note=due_note,
        closed_at=row["closed_at"],
    )


async def linked_signals(case_id: int) -> list[dict[str, Any]]:
    """Every signal linked to the case or to a case merged into it, wherever it was received.

    Call only after the viewer's access to the case is established: a case routed down to a
    commune keeps the signals its district received, which the commune's own scope cannot
    read; the case link is what entitles the viewer to their summary (never to who reported,
    which :func:`_signal` reveals only to the committee that received the signal itself).
    """
    async with system_scope():
        merged = await Case.select(Case.id).where(Case.merged_into == case_id)
        ids = [case_id, *(r["id"] for r in merged)]
        rows = (
            await Signal.select(
                Signal._meta.primary_key,
                Signal.tenant_path,
                Signal.committee.code,
                Signal.committee.name,
                Signal.channel,
                Signal.kind,
                Signal.received_on,
                Signal.indicator_codes,
                Signal.source,
                Signal.anonymous,
            )
            .where(Signal.case_id.is_in(ids))
            .order_by(Signal._meta.primary_key)
        )
    return [dict(r) for r in rows]


def _signal(row: dict[str, Any], *, reveal: bool) -> SignalSummary:
    codes = _json(row["indicator_codes"]) or []
    source = row["source"] if reveal and not row["anonymous"] else None
    return SignalSummary(
        id=row["id"],
        channel=row["channel"],
        kind=row["kind"],
        received_on=row["received_on"],
        indicator_codes=list(codes),
        source=source,
        received_by=row["committee.code"],
        received_by_name=row["committee.name"],
    )
