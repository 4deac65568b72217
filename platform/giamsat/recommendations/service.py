"""Tracking recommendation items to an answer and to implementation (theo dõi kiến nghị).

An item waits for its answer until ``answer_by`` (the pack's period, 20 working days by
default); the sweep reminds before and at that date and, once it has passed unanswered,
escalates it exactly once to the next-higher Front, which recommends to the supervised body's
superior. Re-supervision opens a follow-up case linked to the original.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from piccolo.custom_types import Combinable

from giamsat.audit.service import record
from giamsat.calendar import CalendarError
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.committees import by_id, common_scope
from giamsat.cases.opening import open_case, system_context
from giamsat.cases.schemas import OpenCase
from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.errors import InvalidInput, NotFound
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.recommendations.schemas import (
    AnswerIn,
    ProgressIn,
    RecommendationSort,
    RecommendationView,
    ResuperviseIn,
)
from giamsat.recommendations.tables import Recommendation
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, Word
from giamsat.web.labels import STEPS

log = logging.getLogger(__name__)
#: The answer period of the 2022 plan (working days); a pack may pass another to the letter.
ANSWER_PERIOD_DAYS = 20
_STAFF: list[int | str] = ["democracy_law", "standing_board"]


class ItemIn(Protocol):
    """What a recommendation letter's item gives: its text and whom it is addressed to."""

    @property
    def text(self) -> str: ...

    @property
    def addressee(self) -> str: ...


def _step_word(status: str) -> Word:
    """A stored step code as the people reading the message call it."""
    return Word(STEPS.get(status, N_("In progress")))


def _view(row: dict[str, Any]) -> RecommendationView:
    return RecommendationView(
        id=row["id"],
        committee_code=row["committee.code"],
        delegation_id=row["delegation_id"],
        case_id=row["case_id"],
        item_no=row["item_no"],
        text=row["text"],
        addressee=row["addressee"],
        issued_on=row["issued_on"],
        answer_by=row["answer_by"],
        status=row["status"],
        answered_on=row["answered_on"],
        answer_summary=row["answer_summary"],
        progress=row["progress"],
        progress_note=row["progress_note"],
        escalated=row["escalated"],
        follow_up_case_id=row["follow_up_case_id"],
        committee_name=row["committee.name"],
    )


_COLUMNS = (
    *Recommendation.all_columns(),
    Recommendation.committee.code,
    Recommendation.committee.name,
)
_ORDERS: dict[str, list[Order]] = {
    "answer_by": [(Recommendation.answer_by, True), (Recommendation.id, True)],
    "-answer_by": [(Recommendation.answer_by, False), (Recommendation.id, False)],
    "issued_on": [(Recommendation.issued_on, True), (Recommendation.id, True)],
    "-issued_on": [(Recommendation.issued_on, False), (Recommendation.id, False)],
}


async def create_items(
    ctx: TenantContext,
    *,
    delegation_id: int | None,
    case_id: int | None,
    issued_on: dt.date,
    answer_by: dt.date | None,
    items: Sequence[ItemIn],
) -> list[int]:
    """Write one tracked item per recommendation (inside the caller's scope).

    Without ``answer_by`` the answer period runs 20 working days from the letter.
    """
    due = answer_by or await answer_deadline(issued_on)
    ids = []
    for number, item in enumerate(items, start=1):
        row = Recommendation(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            delegation_id=delegation_id,
            case_id=case_id,
            item_no=number,
            text=item.text.strip(),
            addressee=item.addressee.strip(),
            issued_on=issued_on,
            answer_by=due,
        )
        await row.save()
        ids.append(int(row.id))
    return ids


async def _owned(ctx: TenantContext, item_id: int) -> dict[str, Any]:
    row = (
        await Recommendation.select(*_COLUMNS)
        .where((Recommendation.id == item_id) & (Recommendation.tenant_path == ctx.path))
        .first()
    )
    if row is None:
        raise NotFound(N_("This recommendation is not among your committee's recommendations."))
    return dict(row)


async def list_items(
    ctx: TenantContext, *, delegation_id: int | None = None
) -> list[RecommendationView]:
    async with tenant_scope(ctx.path):
        query = Recommendation.select(*_COLUMNS).where(
            path_within(Recommendation.tenant_path, ctx.path)
        )
        if delegation_id is not None:
            query = query.where(Recommendation.delegation_id == delegation_id)
        rows = await query.order_by(Recommendation.answer_by).order_by(Recommendation.id)
    return [_view(r) for r in rows]


async def page_items(
    ctx: TenantContext,
    request: PageRequest,
    *,
    delegation_id: int | None = None,
    status: str = "",
    sort: RecommendationSort = "answer_by",
) -> Page[RecommendationView]:
    """One page of the subtree's recommendations (by answer date unless ``sort`` says),
    optionally of one delegation or one status, with their total."""
    where: list[Combinable] = [path_within(Recommendation.tenant_path, ctx.path)]
    if delegation_id is not None:
        where.append(Recommendation.delegation_id == delegation_id)
    if status:
        where.append(Recommendation.status == status)
    async with tenant_scope(ctx.path):
        rows = await fetch_page(Recommendation, _COLUMNS, where, _ORDERS[sort], request)
    return rows.map(_view)


async def get_item(ctx: TenantContext, item_id: int) -> RecommendationView:
    async with tenant_scope(ctx.path):
        row = (
            await Recommendation.select(*_COLUMNS)
            .where(
                (Recommendation.id == item_id) & path_within(Recommendation.tenant_path, ctx.path)
            )
            .first()
        )
    if row is None:
        raise NotFound(N_("This recommendation is not among those your committee can see."))
    return _view(row)


async def record_answer(ctx: TenantContext, item_id: int, data: AnswerIn) -> RecommendationView:
    async with tenant_scope(ctx.path):
        row = await _owned(ctx, item_id)
        if row["status"] not in ("awaiting_answer", "escalated"):
            raise InvalidInput(
                N_("The recommendation is already at the step %(status)s."),
                field="status",
                params={"status": _step_word(row["status"])},
            )
        if data.answered_on < row["issued_on"]:
            raise InvalidInput("the answer cannot predate the letter", field="answered_on")
        await Recommendation.update(
            {
                Recommendation.status: "answered",
                Recommendation.answered_on: data.answered_on,
                Recommendation.answer_summary: data.summary.strip(),
            }
        ).where(Recommendation.id == item_id)
        await record(
            ctx,
            "recommendation.answered",
            "recommendation",
            item_id,
            {"on": data.answered_on.isoformat(), "late": data.answered_on > row["answer_by"]},
        )
    return await get_item(ctx, item_id)


async def record_progress(ctx: TenantContext, item_id: int, data: ProgressIn) -> RecommendationView:
    """Implementation progress (tiến độ thực hiện); 100 % means implemented."""
    async with tenant_scope(ctx.path):
        row = await _owned(ctx, item_id)
        if row["status"] not in ("answered", "in_progress"):
            raise InvalidInput(
                N_(
                    "The recommendation is at the step %(status)s: progress is tracked "
                    "after the answer."
                ),
                field="status",
                params={"status": _step_word(row["status"])},
            )
        status = "implemented" if data.progress == 100 else "in_progress"
        await Recommendation.update(
            {
                Recommendation.progress: data.progress,
                Recommendation.progress_note: data.note.strip(),
                Recommendation.status: status,
            }
        ).where(Recommendation.id == item_id)
        await record(
            ctx,
            "recommendation.progress",
            "recommendation",
            item_id,
            {"progress": data.progress, "status": status},
        )
    return await get_item(ctx, item_id)


async def resupervise(ctx: TenantContext, item_id: int, data: ResuperviseIn) -> RecommendationView:
    """Tái giám sát: a follow-up case of this committee linked to the original case."""
    async with tenant_scope(ctx.path):
        row = await _owned(ctx, item_id)
    case = await open_case(
        ctx,
        OpenCase(
            owner=ctx.committee_code,
            origin=ctx.committee_code,
            received_on=data.received_on,
            title=f"Tái giám sát kiến nghị số {row['item_no']}: {row['text'][:180]}",
            follow_up_of=row["case_id"],
        ),
    )
    async with tenant_scope(ctx.path):
        await Recommendation.update({Recommendation.follow_up_case_id: case.id}).where(
            Recommendation.id == item_id
        )
        await record(
            ctx,
            "recommendation.resupervised",
            "recommendation",
            item_id,
            {"case_id": case.id, "original_case_id": row["case_id"]},
        )
    return await get_item(ctx, item_id)


async def answer_deadline(issued_on: dt.date, days: int = ANSWER_PERIOD_DAYS) -> dt.date:
    """The answer-by date ``days`` working days after the letter, on the official calendar."""
    return (await working_calendar()).add_working_days(issued_on, days).due


async def sweep_recommendations(
    today: dt.date, *, within: str = "/", remind_days: int = 3
) -> dict[str, int]:
    """Remind ``remind_days`` working days before the answer-by date; escalate once after it.

    Working days, not calendar days: an item due just after Tết is reminded before the holiday,
    when the offices are still open to act on it.
    """
    counts = {"reminded": 0, "escalated": 0, "skipped": 0}
    calendar = await working_calendar()
    async with tenant_scope(within):
        rows = await Recommendation.select(*_COLUMNS).where(
            (Recommendation.status == "awaiting_answer")
            & (Recommendation.escalated == False)  # noqa: E712
            & path_within(Recommendation.tenant_path, within)
        )
    for row in rows:
        due: dt.date = row["answer_by"]
        if today > due:
            counts["escalated"] += await _escalate(row, today)
            continue
        if row["reminded_for"] == due:
            continue
        try:
            left = calendar.working_days_between(today, due)
        except CalendarError as exc:
            log.warning("recommendation %s skipped by the sweep: %s", row["id"], exc.message)
            counts["skipped"] += 1
            continue
        if left <= remind_days:
            counts["reminded"] += await _remind(row)
    return counts


async def _remind(row: dict[str, Any]) -> int:
    async with tenant_scope(row["tenant_path"]):
        won = (
            await Recommendation.update({Recommendation.reminded_for: row["answer_by"]})
            .where(
                (Recommendation.id == row["id"])
                & (
                    Recommendation.reminded_for.is_null()
                    | (Recommendation.reminded_for != row["answer_by"])
                )
            )
            .returning(Recommendation.id)
        )
        if won:
            await notify(
                row["committee"],
                _STAFF,
                "recommendation.due_soon",
                Title(
                    vi=f"Kiến nghị sắp đến hạn trả lời ({row['answer_by']:%d/%m/%Y})",
                    en=f"A recommendation's answer is due {row['answer_by']}",
                ),
                link=f"/c/{row['committee.code']}/recommendations/{row['id']}",
            )
    return 1 if won else 0


async def _escalate(row: dict[str, Any], today: dt.date) -> int:
    """Hand the unanswered item to the next-higher Front, once (conditional update)."""
    owner = await by_id(row["committee"])
    parent = await by_id(owner.parent_id) if owner.parent_id is not None else None
    async with tenant_scope(common_scope(owner.path, parent.path) if parent else owner.path):
        won = (
            await Recommendation.update(
                {
                    Recommendation.escalated: True,
                    Recommendation.status: "escalated",
                    Recommendation.escalated_to: parent.id if parent else None,
                }
            )
            .where(
                (Recommendation.id == row["id"]) & (Recommendation.escalated == False)  # noqa: E712
            )
            .returning(Recommendation.id)
        )
        if not won:
            return 0
        details = {
            "answer_by": row["answer_by"].isoformat(),
            "on": today.isoformat(),
            "escalated_to": parent.code if parent else None,
        }
        await record(
            system_context(owner), "recommendation.escalated", "recommendation", row["id"], details
        )
        if parent is not None:
            await notify(
                parent.id,
                _STAFF,
                "recommendation.escalated",
                Title(
                    vi=f"Kiến nghị của {owner.name} quá hạn chưa được trả lời",
                    en=f"A recommendation of {owner.name} is unanswered past its date",
                ),
                link=f"/c/{parent.code}/recommendations/{row['id']}",
            )
    return 1
