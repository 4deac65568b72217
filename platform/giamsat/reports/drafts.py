"""Saved drafts of a committee's narrative (bản nháp): strengths, shortcomings, proposals.

Writing the narrative takes days; a draft keeps it between sessions without submitting. One draft
per committee and period, overwritten on every save, tenant-scoped (row-level security on
PostgreSQL), never read by the parent, and removed in the same transaction that submits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput
from giamsat.reports.plan import ReportingPlan
from giamsat.reports.tables import ReportDraft
from giamsat.tenancy.context import TenantContext

#: Same bound as a submitted section (schemas.SectionText).
MAX_SECTION_CHARS = 20_000


class SavedDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A committee's saved narrative for one period."""

    committee_code: str
    period: str
    narrative: dict[str, str]
    saved_at: datetime


def _json(value: object) -> dict[str, str]:
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    return {str(k): str(v) for k, v in (decoded or {}).items()} if isinstance(decoded, dict) else {}


def _checked(plan: ReportingPlan, narrative: dict[str, str]) -> dict[str, str]:
    """Known sections only (blank ones allowed: it is a draft), each within the length bound."""
    keys = [s.key for s in plan.mandatory_sections]
    unknown = sorted(set(narrative) - set(keys))
    if unknown:
        raise InvalidInput(f"unknown narrative sections: {', '.join(unknown)}", field="narrative")
    too_long = [k for k in keys if len(narrative.get(k, "")) > MAX_SECTION_CHARS]
    if too_long:
        raise InvalidInput(
            f"sections longer than {MAX_SECTION_CHARS} characters: {', '.join(too_long)}",
            field="narrative",
        )
    return {k: narrative.get(k, "") for k in keys}


async def save_draft(
    ctx: TenantContext, plan: ReportingPlan, period_id: str, narrative: dict[str, str]
) -> SavedDraft:
    """Save (or overwrite) the caller's committee's narrative for ``period_id``."""
    period = plan.period(period_id)
    text = _checked(plan, narrative)
    now = datetime.now(UTC)
    async with tenant_scope(ctx.path):
        row = ReportDraft(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            period_id=period.id,
            draft_key=f"{ctx.committee_id}:{period.id}",
            narrative=text,
            saved_by=ctx.user_id,
            saved_at=now,
        )
        await ReportDraft.insert(row).on_conflict(
            target=ReportDraft.draft_key,
            action="DO UPDATE",
            values=[ReportDraft.narrative, ReportDraft.saved_by, ReportDraft.saved_at],
        )
    return SavedDraft(
        committee_code=ctx.committee_code, period=period.id, narrative=text, saved_at=now
    )


async def saved_narrative(committee_id: int, period_id: str) -> tuple[dict[str, str], datetime]:
    """The saved draft of one committee (call inside a scope covering it); ``({}, …)`` if none."""
    row = (
        await ReportDraft.select(ReportDraft.narrative, ReportDraft.saved_at)
        .where(ReportDraft.draft_key == f"{committee_id}:{period_id}")
        .first()
    )
    if row is None:
        return {}, datetime.min.replace(tzinfo=UTC)
    return _json(row["narrative"]), row["saved_at"]


async def discard_draft(committee_id: int, period_id: str) -> None:
    """Drop the draft once it has become a submission (inside the submitting transaction)."""
    await ReportDraft.delete().where(ReportDraft.draft_key == f"{committee_id}:{period_id}")
