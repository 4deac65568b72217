"""Tracking feedback until the recipient takes it in and explains (Quyết định 99).

received → sent (forwarded to the recipient) → taken_in (tiếp thu; with a reply-by date when
the explanation cannot come at once) → explained (giải trình) → closed. The sweep reminds the
committee once per reply-by date that has passed without an explanation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from giamsat.audit.service import record
from giamsat.cadres.repository import CadreRepository
from giamsat.calendar.overrides_store import working_calendar
from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.db.scope import tenant_scope
from giamsat.db.subtree import path_within
from giamsat.errors import InvalidInput, NotFound
from giamsat.feedback.schemas import ExplainedIn, FeedbackIn, FeedbackView, SentIn, TakenInIn
from giamsat.feedback.tables import Feedback
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.tenancy.context import TenantContext
from giamsat.text import nfc
from giamsat.web.i18n import N_, Word
from giamsat.web.labels import STEPS

_COLUMNS = (*Feedback.all_columns(), Feedback.committee.code)
#: Which status each step needs, and the status it leads to.
_STEPS = {
    "sent": ("received", "sent"),
    "taken_in": ("sent", "taken_in"),
    "explained": ("taken_in", "explained"),
    "closed": ("explained", "closed"),
}


def _step_word(status: str) -> Word:
    """A stored step code as the people reading the message call it."""
    return Word(STEPS.get(status, N_("In progress")))


def _view(row: dict[str, Any]) -> FeedbackView:
    keys = FeedbackView.__struct_fields__
    values = {k: row[k] for k in keys if k in row}
    return FeedbackView(**values | {"committee_code": row["committee.code"]})


async def _row(ctx: TenantContext, item_id: int, *, owned: bool) -> dict[str, Any]:
    where = (
        (Feedback.tenant_path == ctx.path) if owned else path_within(Feedback.tenant_path, ctx.path)
    )
    row = await Feedback.select(*_COLUMNS).where((Feedback.id == item_id) & where).first()
    if row is None:
        raise NotFound(N_("This feedback is not among your committee's feedback."))
    return dict(row)


async def receive(ctx: TenantContext, data: FeedbackIn) -> FeedbackView:
    async with tenant_scope(ctx.path):
        if data.cadre_id is not None and not await CadreRepository(ctx).visible(data.cadre_id):
            raise InvalidInput(
                N_("The cadre is not among the cadres your committee can see."), field="cadre_id"
            )
        row = Feedback(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            recipient_kind=data.recipient_kind,
            recipient=nfc(data.recipient.strip()),
            cadre_id=data.cadre_id,
            content=nfc(data.content.strip()),
            received_on=data.received_on,
        )
        await row.save()
        await record(
            ctx, "feedback.received", "feedback", row.id, {"recipient_kind": data.recipient_kind}
        )
        return _view(await _row(ctx, row.id, owned=True))


async def get(ctx: TenantContext, item_id: int) -> FeedbackView:
    async with tenant_scope(ctx.path):
        return _view(await _row(ctx, item_id, owned=False))


async def list_feedback(ctx: TenantContext) -> list[FeedbackView]:
    async with tenant_scope(ctx.path):
        rows = (
            await Feedback.select(*_COLUMNS)
            .where(path_within(Feedback.tenant_path, ctx.path))
            .order_by(Feedback.id, ascending=False)
        )
    return [_view(r) for r in rows]


async def page_feedback(ctx: TenantContext, request: PageRequest) -> Page[FeedbackView]:
    """One page of the subtree's feedback, newest first, with its total."""
    where = [path_within(Feedback.tenant_path, ctx.path)]
    order: list[Order] = [(Feedback.id, False)]
    async with tenant_scope(ctx.path):
        rows = await fetch_page(Feedback, _COLUMNS, where, order, request)
    return rows.map(_view)


async def _step(
    ctx: TenantContext, item_id: int, step: str, on: dt.date, values: dict[Any, Any]
) -> FeedbackView:
    needed, result = _STEPS[step]
    async with tenant_scope(ctx.path):
        row = await _row(ctx, item_id, owned=True)
        if row["status"] != needed:
            raise InvalidInput(
                N_("The feedback is at the step %(status)s: this needs the step %(needed)s."),
                field="status",
                params={"status": _step_word(row["status"]), "needed": _step_word(needed)},
            )
        if on < row["received_on"]:
            raise InvalidInput(
                N_("%(on)s is before the feedback was received (%(received)s)."),
                params={"on": f"{on:%d/%m/%Y}", "received": f"{row['received_on']:%d/%m/%Y}"},
            )
        await Feedback.update({Feedback.status: result, **values}).where(Feedback.id == item_id)
        await record(ctx, f"feedback.{step}", "feedback", item_id, {"on": on.isoformat()})
        return _view(await _row(ctx, item_id, owned=True))


async def mark_sent(ctx: TenantContext, item_id: int, data: SentIn) -> FeedbackView:
    return await _step(ctx, item_id, "sent", data.sent_on, {Feedback.sent_on: data.sent_on})


async def reply_deadline(data: TakenInIn) -> dt.date | None:
    """The reply-by date promised when taking the feedback in, checked; None when none was."""
    if data.reply_within is not None:
        if data.reply_by is not None:
            raise InvalidInput(
                N_("Give either a reply-by date or a number of working days, not both."),
                field="reply_within",
            )
        calendar = await working_calendar()
        return calendar.add_working_days(data.taken_in_on, data.reply_within).due
    if data.reply_by is not None and data.reply_by <= data.taken_in_on:
        raise InvalidInput(
            "the reply-by date must be after the day it was taken in", field="reply_by"
        )
    return data.reply_by


async def take_in(ctx: TenantContext, item_id: int, data: TakenInIn) -> FeedbackView:
    reply_by = await reply_deadline(data)
    return await _step(
        ctx,
        item_id,
        "taken_in",
        data.taken_in_on,
        {Feedback.taken_in_on: data.taken_in_on, Feedback.reply_by: reply_by},
    )


async def explain(ctx: TenantContext, item_id: int, data: ExplainedIn) -> FeedbackView:
    return await _step(
        ctx,
        item_id,
        "explained",
        data.explained_on,
        {
            Feedback.explained_on: data.explained_on,
            Feedback.explanation: nfc(data.explanation.strip()),
        },
    )


async def close(ctx: TenantContext, item_id: int, on: dt.date) -> FeedbackView:
    return await _step(ctx, item_id, "closed", on, {})


async def sweep_feedback(today: dt.date, *, within: str = "/") -> int:
    """Remind once per reply-by date that passed without an explanation; returns how many."""
    async with tenant_scope(within):
        rows = await Feedback.select(*_COLUMNS).where(
            (Feedback.status == "taken_in")
            & Feedback.reply_by.is_not_null()
            & (Feedback.reply_by < today)
            & path_within(Feedback.tenant_path, within)
        )
    reminded = 0
    for row in rows:
        if row["reminded_for"] == row["reply_by"]:
            continue
        async with tenant_scope(row["tenant_path"]):
            won = (
                await Feedback.update({Feedback.reminded_for: row["reply_by"]})
                .where(
                    (Feedback.id == row["id"])
                    & (Feedback.reminded_for.is_null() | (Feedback.reminded_for != row["reply_by"]))
                )
                .returning(Feedback.id)
            )
            if won:
                await notify(
                    row["committee"],
                    ["democracy_law", "standing_board"],
                    "feedback.overdue",
                    Title(
                        vi=f"Góp ý quá hạn giải trình ({row['reply_by']:%d/%m/%Y})",
                        en=f"Feedback explanation overdue since {row['reply_by']}",
                    ),
                    link=f"/c/{row['committee.code']}/feedback/{row['id']}",
                )
                await record(
                    row["committee"],
                    "feedback.reminded",
                    "feedback",
                    row["id"],
                    {"reply_by": row["reply_by"].isoformat()},
                )
                reminded += 1
    return reminded
