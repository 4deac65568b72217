"""Saved drafts of a committee's narrative (bản nháp): strengths, shortcomings, causes, proposals,
with the closing block (signer and recipients) the printed report carries.

Writing the narrative takes days; a draft keeps it between sessions without submitting. One draft
per committee and period, overwritten on every save, tenant-scoped (row-level security on
PostgreSQL), never read by the parent, and removed in the same transaction that submits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from giamsat.db.scope import tenant_scope
from giamsat.documents.model import SIGNING_CAPACITIES
from giamsat.errors import InvalidInput
from giamsat.reports.plan import ReportingPlan
from giamsat.reports.schemas import ReportClosing
from giamsat.reports.tables import ReportDraft
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

#: Same bound as a submitted section (schemas.SectionText).
MAX_SECTION_CHARS = 20_000


class SavedDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A committee's saved narrative for one period."""

    committee_code: str
    period: str
    narrative: dict[str, str]
    saved_at: datetime
    closing: ReportClosing = msgspec.field(default_factory=ReportClosing)


def _json(value: object) -> dict[str, str]:
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    return {str(k): str(v) for k, v in (decoded or {}).items()} if isinstance(decoded, dict) else {}


def _checked(plan: ReportingPlan, narrative: dict[str, str]) -> dict[str, str]:
    """Known sections only (blank ones allowed: it is a draft), each within the length bound."""
    keys = [s.key for s in plan.mandatory_sections]
    unknown = sorted(set(narrative) - set(keys))
    if unknown:
        raise unknown_sections(unknown)
    too_long = [s.heading for s in plan.mandatory_sections
                if len(narrative.get(s.key, "")) > MAX_SECTION_CHARS]  # fmt: skip
    if too_long:
        raise InvalidInput(
            N_("These sections are longer than %(count)s characters: %(sections)s."),
            field="narrative",
            params={"count": MAX_SECTION_CHARS, "sections": "; ".join(too_long)},
        )
    return {k: narrative.get(k, "") for k in keys}


def unknown_sections(keys: list[str]) -> InvalidInput:
    """The refusal of narrative sections the plan does not have (the keys a caller sent)."""
    return InvalidInput(
        N_("The report has no such sections: %(sections)s."),
        field="narrative",
        params={"sections": ", ".join(keys)},
    )


def checked_closing(closing: ReportClosing) -> ReportClosing:
    """Trimmed lines, blank recipients dropped; a capacity other than TM./KT./… refused."""
    capacity = " ".join(closing.signer_capacity.split())
    if capacity and capacity.split()[0].upper() not in SIGNING_CAPACITIES:
        raise InvalidInput(
            N_("The signing capacity must start with TM., KT., TL., TUQ. or Q."),
            field="signer_capacity",
        )
    return ReportClosing(
        signer_capacity=capacity,
        signer_title=" ".join(closing.signer_title.split()),
        signer_name=" ".join(closing.signer_name.split()),
        recipients=[" ".join(r.split()) for r in closing.recipients if r.strip()],
    )


def closing_of(value: object) -> ReportClosing | None:
    """A stored closing block (JSON), or ``None`` when none was entered."""
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    if not isinstance(decoded, dict) or not decoded:
        return None
    try:
        return msgspec.convert(decoded, ReportClosing)
    except msgspec.ValidationError:
        return None


async def save_draft(
    ctx: TenantContext,
    plan: ReportingPlan,
    period_id: str,
    narrative: dict[str, str],
    closing: ReportClosing | None = None,
) -> SavedDraft:
    """Save (or overwrite) the caller's committee's narrative (and closing) for ``period_id``."""
    period = plan.period(period_id)
    text = _checked(plan, narrative)
    ending = checked_closing(closing) if closing is not None else None
    now = datetime.now(UTC)
    async with tenant_scope(ctx.path):
        row = ReportDraft(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            period_id=period.id,
            draft_key=f"{ctx.committee_id}:{period.id}",
            narrative=text,
            closing=msgspec.to_builtins(ending) if ending is not None else {},
            saved_by=ctx.user_id,
            saved_at=now,
        )
        await ReportDraft.insert(row).on_conflict(
            target=ReportDraft.draft_key,
            action="DO UPDATE",
            values=[
                ReportDraft.narrative,
                ReportDraft.closing,
                ReportDraft.saved_by,
                ReportDraft.saved_at,
            ],
        )
    return SavedDraft(
        committee_code=ctx.committee_code,
        period=period.id,
        narrative=text,
        saved_at=now,
        closing=ending or ReportClosing(),
    )


async def saved_narrative(committee_id: int, period_id: str) -> tuple[dict[str, str], datetime]:
    """The saved draft of one committee (call inside a scope covering it); ``({}, …)`` if none."""
    narrative, saved_at, _closing = await saved_draft(committee_id, period_id)
    return narrative, saved_at


async def saved_draft(
    committee_id: int, period_id: str
) -> tuple[dict[str, str], datetime, ReportClosing | None]:
    """Narrative, save time and closing block of one committee's draft (inside its scope)."""
    row = (
        await ReportDraft.select(ReportDraft.narrative, ReportDraft.saved_at, ReportDraft.closing)
        .where(ReportDraft.draft_key == f"{committee_id}:{period_id}")
        .first()
    )
    if row is None:
        return {}, datetime.min.replace(tzinfo=UTC), None
    return _json(row["narrative"]), row["saved_at"], closing_of(row["closing"])


async def officials_closing(committee_id: int) -> ReportClosing:
    """The signer the committee last put on a delegation's documents (its officials as the
    delegations area knows them), as the default closing block; the plan's defaults if none."""
    from giamsat.delegations.tables import Delegation

    row = (
        await Delegation.select(
            Delegation.signer_capacity, Delegation.signer_title, Delegation.signer_name
        )
        .where((Delegation.committee == committee_id) & (Delegation.signer_name != ""))
        .order_by(Delegation.id, ascending=False)
        .first()
    )
    if row is None:
        return ReportClosing()
    return ReportClosing(
        signer_capacity=row["signer_capacity"],
        signer_title=row["signer_title"],
        signer_name=row["signer_name"],
    )


async def discard_draft(committee_id: int, period_id: str) -> None:
    """Drop the draft once it has become a submission (inside the submitting transaction)."""
    await ReportDraft.delete().where(ReportDraft.draft_key == f"{committee_id}:{period_id}")
