"""What became of a submission, in plain words, for the one who sent it (kết quả xử lý).

Every accepted submission (a form, an API call, a sheet) has an outcome: for each of its signals,
where it went — a case at a level with its status and due date, the triage queue, no case (with
the rule pack that decided so), or still waiting (and why). It is read by submission id, by the
sender's idempotency key, or as a feed to poll. It never shows the reporter's identity, the
signal's text, or another committee's data: a case handled by another committee is shown only by
its level, status and due date. A partner organisation's officer reads only their own
organisation's submissions (see :mod:`giamsat.web.visibility`); anything else is 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec
from piccolo.columns.combination import And
from piccolo.columns.combination import Where as WhereClause

from giamsat.accounts.roles import Role
from giamsat.cases.statuses import STATUS_LABELS
from giamsat.cases.tables import Case
from giamsat.db.paging import Order, Page, PageRequest, fetch_page
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import NotFound
from giamsat.intake.tables import IntakeSubmission
from giamsat.residence.tables import ResidenceFinding
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.levels import LEVEL_LABELS
from giamsat.web.i18n import N_, Translator

Where = Literal["case", "residence", "triage", "no_case", "waiting"]
#: Signal statuses that mean "waiting in the triage queue" (the decisions area's).
TRIAGE_STATUSES = frozenset({"triage", "queued", "needs_triage"})


class SignalOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """Where one signal went, in plain words (``text_vi`` / ``text_en``) and as data."""

    signal_id: int
    where: Where
    text_vi: str
    text_en: str
    #: The case's level (``district`` …) and its name for people, when it went to a case.
    case_level: str | None = None
    case_level_name_vi: str = ""
    case_level_name_en: str = ""
    #: The case's number, only when the sender's own committee handles it.
    case_number: str | None = None
    case_status_vi: str = ""
    case_status_en: str = ""
    due_on: date | None = None
    #: The rule pack (version) whose rules decided; empty while undecided.
    decided_by: str = ""


class SubmissionOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """A submission and the outcome of each of its signals."""

    submission_id: int
    channel: str
    form_id: str
    kind: str
    submitted_at: datetime
    #: The sender's own Idempotency-Key, when it sent one.
    idempotency_key: str | None
    #: Every signal has a final place (a case, or no case): nothing is waiting any more.
    settled: bool
    signals: list[SignalOutcome]


#: What became of a signal, in the catalogue's words (the API gives both languages).
TRIAGE_WAITING = N_("Waiting in the triage queue for a member of staff to decide.")
NO_CASE = N_(
    "No case: under supervision plan %(plan)s this signal does not open a case; it is kept "
    "and counted with later signals about the same cadre."
)


def _vi(message: str, **params: object) -> str:
    text = Translator("vi").gettext(message)
    return text % params if params and "%(" in text else text


def _both(message: str, **params: object) -> tuple[str, str]:
    """(Vietnamese, English) of ``message``; a ``name_vi`` parameter fills ``name`` in the
    Vietnamese."""
    english = {k: v for k, v in params.items() if not k.endswith("_vi")}
    vietnamese = {**english, **{k[:-3]: v for k, v in params.items() if k.endswith("_vi")}}
    return (
        Translator("vi").gettext(message) % vietnamese if params else _vi(message),
        message % english if params else message,
    )


def _level(level: str) -> tuple[str, str]:
    found = next((m for member, m in LEVEL_LABELS.items() if member == level), None)
    return _both(found) if found else ("", "")


def _status(status: str) -> tuple[str, str]:
    found = next((m for member, m in STATUS_LABELS.items() if member == status), None)
    return _both(found) if found else (status, status)


def _ids(value: object) -> list[int]:
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    return [int(v) for v in decoded] if isinstance(decoded, list) else []


async def _cases(case_ids: list[int]) -> dict[int, dict[str, object]]:
    """The cases signals went to, wherever they are handled (only the fields shown)."""
    if not case_ids:
        return {}
    async with system_scope():
        rows = await Case.select(
            Case.id,
            Case.number,
            Case.status,
            Case.due_on,
            Case.pack_version,
            Case.committee,
            Case.committee.level,
        ).where(Case.id.is_in(case_ids))
    return {int(row["id"]): row for row in rows}


async def _at_residence(signal_ids: list[int]) -> dict[int, tuple[str, list[str]]]:
    """Signals whose residence duties went onto a member's residence record: the commune's name
    and the duties (the record itself is the commune's; the sender only learns where it went)."""
    if not signal_ids:
        return {}
    async with system_scope():
        rows = await ResidenceFinding.select(
            ResidenceFinding.signal, ResidenceFinding.indicator, ResidenceFinding.committee.name
        ).where(ResidenceFinding.signal.is_in(signal_ids))
    found: dict[int, tuple[str, list[str]]] = {}
    for row in rows:
        _, codes = found.setdefault(int(row["signal"]), (str(row["committee.name"]), []))
        codes.append(str(row["indicator"]))
    return found


def _residence_outcome(
    signal_id: int, decided_by: str, commune: str, codes: list[str]
) -> SignalOutcome:
    duties = ", ".join(codes)
    return SignalOutcome(
        signal_id=signal_id,
        where="residence",
        text_vi=f"Đã ghi vào hồ sơ nơi cư trú của đảng viên tại {commune} (nhiệm vụ {duties}); "
        "không mở vụ việc.",
        text_en=f"Recorded on the party member's residence record at {commune} (duties "
        f"{duties}); no case.",
        decided_by=decided_by,
    )


def _signal_outcome(
    ctx: TenantContext,
    signal: dict[str, object],
    cases: dict[int, dict[str, object]],
    residence: dict[int, tuple[str, list[str]]] | None = None,
) -> SignalOutcome:
    signal_id, status = int(str(signal["id"])), str(signal["status"])
    decided_by = str(signal["pack_version"] or "")
    case = cases.get(int(str(signal["case_id"]))) if signal["case_id"] else None
    if case is not None:
        level = str(case["committee.level"])
        level_vi, level_en = _level(level)
        status_vi, status_en = _status(str(case["status"]))
        due = case["due_on"] if isinstance(case["due_on"], date) else None
        text_vi, text_en = (
            _both(N_("Went to a case handled at the %(level)s level (%(status)s; due %(due)s)."),
                  level=level_en.lower(), status=status_en, due=f"{due:%d/%m/%Y}",
                  level_vi=level_vi, status_vi=status_vi)
            if due
            else _both(N_("Went to a case handled at the %(level)s level (%(status)s)."),
                       level=level_en.lower(), status=status_en,
                       level_vi=level_vi, status_vi=status_vi)
        )  # fmt: skip
        return SignalOutcome(
            signal_id=signal_id,
            where="case",
            text_vi=text_vi,
            text_en=text_en,
            case_level=level,
            case_level_name_vi=level_vi,
            case_level_name_en=level_en,
            case_number=str(case["number"]) if case["committee"] == ctx.committee_id else None,
            case_status_vi=status_vi,
            case_status_en=status_en,
            due_on=due,
            decided_by=str(case["pack_version"] or decided_by),
        )
    if status in TRIAGE_STATUSES:
        return SignalOutcome(
            signal_id=signal_id,
            where="triage",
            text_vi=_vi(TRIAGE_WAITING),
            text_en=TRIAGE_WAITING,
            decided_by=decided_by,
        )
    if status == "evaluated" and residence and signal_id in residence:
        return _residence_outcome(signal_id, decided_by, *residence[signal_id])
    if status == "evaluated":
        return SignalOutcome(
            signal_id=signal_id,
            where="no_case",
            text_vi=_vi(NO_CASE, plan=decided_by),
            text_en=NO_CASE % {"plan": decided_by},
            decided_by=decided_by,
        )
    waiting = N_("Waiting to be decided.")
    if signal["cadre"] is None:
        waiting = N_("Not linked to a cadre of the register: waiting for staff to review it.")
    elif decided_by:
        waiting = N_("Waiting: %(plan)s.")
    return SignalOutcome(
        signal_id=signal_id,
        where="waiting",
        text_vi=_vi(waiting, plan=decided_by),
        text_en=waiting % {"plan": decided_by} if "%(plan)s" in waiting else waiting,
    )


def _own_key(scoped_key: object) -> str | None:
    return str(scoped_key).split(":", 2)[2] if scoped_key else None


async def _outcomes(ctx: TenantContext, rows: list[dict[str, object]]) -> list[SubmissionOutcome]:
    ids = {
        row_id: _ids(row["signal_ids"]) for row_id, row in ((int(str(r["id"])), r) for r in rows)
    }
    every = sorted({i for signal_ids in ids.values() for i in signal_ids})
    signals: dict[int, dict[str, object]] = {}
    if every:
        async with tenant_scope(ctx.path):
            found = await Signal.select(
                Signal.id, Signal.status, Signal.case_id, Signal.pack_version, Signal.cadre
            ).where(Signal.id.is_in(every) & (Signal.committee == ctx.committee_id))
        signals = {int(row["id"]): row for row in found}
    cases = await _cases(sorted({int(str(s["case_id"])) for s in signals.values() if s["case_id"]}))
    residence = await _at_residence(
        sorted(i for i, s in signals.items() if s["status"] == "evaluated" and not s["case_id"])
    )
    result = []
    for row in rows:
        outcomes = [
            _signal_outcome(ctx, signals[i], cases, residence)
            for i in ids[int(str(row["id"]))]
            if i in signals
        ]
        result.append(
            SubmissionOutcome(
                submission_id=int(str(row["id"])),
                channel=str(row["channel"]),
                form_id=str(row["form_id"]),
                kind=str(row["kind"]),
                submitted_at=row["created_at"],  # type: ignore[arg-type]
                idempotency_key=_own_key(row["scoped_key"]),
                settled=all(o.where in ("case", "residence", "no_case") for o in outcomes),
                signals=outcomes,
            )
        )
    return result


def _readable(ctx: TenantContext) -> And | WhereClause:
    """The submissions the caller may read: their committee's, and for a partner's officer only
    their organisation's."""
    where: And | WhereClause = IntakeSubmission.committee == ctx.committee_id
    if ctx.role == Role.PARTNER_OFFICER:
        where = where & (IntakeSubmission.organisation == ctx.organisation)
    return where


_NOT_FOUND = N_("There is no such submission.")


async def by_id(ctx: TenantContext, submission_id: int) -> SubmissionOutcome:
    """One submission's outcome; 404 outside what the caller may read."""
    async with tenant_scope(ctx.path):
        rows = await IntakeSubmission.select().where(
            _readable(ctx) & (IntakeSubmission.id == submission_id)
        )
    if not rows:
        raise NotFound(_NOT_FOUND, field="submission")
    return (await _outcomes(ctx, list(rows)))[0]


async def by_key(ctx: TenantContext, key: str) -> SubmissionOutcome:
    """The submission sent with Idempotency-Key ``key`` (any channel); 404 when none."""
    async with tenant_scope(ctx.path):
        rows = await IntakeSubmission.select().where(
            _readable(ctx) & IntakeSubmission.scoped_key.like(f"{ctx.committee_id}:%")
        )
    mine = [row for row in rows if _own_key(row["scoped_key"]) == key]
    if not mine:
        raise NotFound(_NOT_FOUND, field="Idempotency-Key")
    return (await _outcomes(ctx, mine[:1]))[0]


async def feed(
    ctx: TenantContext, request: PageRequest, *, after: int = 0
) -> Page[SubmissionOutcome]:
    """The caller's submissions after id ``after``, oldest first, one page with its total."""
    where = [_readable(ctx) & (IntakeSubmission.id > after)]
    order: list[Order] = [(IntakeSubmission.id, True)]
    async with tenant_scope(ctx.path):
        rows = await fetch_page(
            IntakeSubmission, IntakeSubmission.all_columns(), where, order, request
        )
    items = await _outcomes(ctx, rows.items)
    return Page(items=items, limit=rows.limit, offset=rows.offset, total=rows.total)


async def recent_page(ctx: TenantContext, request: PageRequest) -> Page[SubmissionOutcome]:
    """One page of the caller's submissions, newest first (for the page), with their total."""
    where = [_readable(ctx)]
    order: list[Order] = [(IntakeSubmission.id, False)]
    async with tenant_scope(ctx.path):
        rows = await fetch_page(
            IntakeSubmission, IntakeSubmission.all_columns(), where, order, request
        )
    items = await _outcomes(ctx, rows.items)
    return Page(items=items, limit=rows.limit, offset=rows.offset, total=rows.total)


async def recent(ctx: TenantContext, limit: int = 50) -> list[SubmissionOutcome]:
    """The caller's latest submissions, newest first (for the page)."""
    async with tenant_scope(ctx.path):
        rows = (
            await IntakeSubmission.select()
            .where(_readable(ctx))
            .order_by(IntakeSubmission.id, ascending=False)
            .limit(limit)
        )
    return await _outcomes(ctx, list(rows))
