"""Writing next year's plan: a draft copied from a published version, edited part by part,
submitted by the Democracy & Law department and approved (published) by the standing board.

Every edit is checked like a published pack before it is kept: an edit that would make the
plan invalid is refused with its problems and the draft stays as it was. Two people editing
at once: the second save names who saved first (``revision``), and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec

from giamsat.audit.schemas import Actor
from giamsat.audit.service import record
from giamsat.db.scope import tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from giamsat.plans.addition_drafts import (
    ADDITION_FILE,
    NEEDS_A_RULE,
    addition_files,
    addition_problems,
    change_rules,
    is_addition,
)
from giamsat.plans.additions import AdditionRejected, publish_addition
from giamsat.plans.files import materialised
from giamsat.plans.schemas import PackVersionView
from giamsat.plans.service import (
    PackRejected,
    history,
    publish,
    published_version,
    validate_files,
)
from giamsat.plans.tables import PlanDraft
from giamsat.rulepacks.errors import PackError
from giamsat.rulepacks.loader import Loaded, read_pack
from giamsat.rulepacks.model import Rule, RulePack
from giamsat.rulepacks.writer import pack_files
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

DRAFTING, SUBMITTED, RETURNED, PUBLISHED = "drafting", "submitted", "returned", "published"
EDITABLE = (DRAFTING, RETURNED)


class DraftView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    year: int
    base_version: str
    revision: int
    status: str
    drafted_by: int | None
    drafted_by_name: str
    saved_by_name: str
    saved_at: dt.datetime
    submitted_by_name: str
    reviewed_by_name: str
    review_comment: str
    published_version: str
    files: dict[str, str]

    @property
    def is_addition(self) -> bool:
        """A lower committee's additions to the plan above it, rather than a plan of its own."""
        return is_addition(self.files)

    def loaded(self) -> Loaded:
        """The draft's pack, parsed (a draft is kept only while it validates); for additions,
        the pack they add to."""
        with materialised(self.files, "draft") as root:
            return read_pack(root)


class DraftChanged(Conflict):
    """Someone saved the draft after the caller's page was opened: nothing was kept."""

    #: The English text (a catalogue message id); pages fill it with ``who`` and ``when``.
    TEXT = N_(
        "%(who)s saved the draft at %(when)s, after you opened this page: reload it to see their "
        "changes. Nothing of yours was saved."
    )

    def __init__(self, who: str, when: dt.datetime) -> None:
        self.who, self.when = who, f"{when:%H:%M %d/%m/%Y}"
        super().__init__(self.TEXT % {"who": who, "when": self.when}, field="revision")

    def say(self, gettext: Callable[..., str]) -> str:
        return gettext(self.TEXT, who=self.who, when=self.when)


class DraftRefused(InvalidInput):
    """An edit that would make the plan invalid: ``errors`` says why; nothing was kept."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__("; ".join(e.render("vi") for e in errors), field="draft")


def _view(row: dict[str, Any], code: str) -> DraftView:
    files = row["files"]
    decoded = msgspec.json.decode(files) if isinstance(files, str | bytes) else files
    return DraftView(
        id=row["id"],
        committee_code=code,
        year=row["year"],
        base_version=row["base_version"],
        revision=row["revision"],
        status=row["status"],
        drafted_by=row["drafted_by"],
        drafted_by_name=row["drafted_by_name"],
        saved_by_name=row["saved_by_name"],
        saved_at=row["saved_at"],
        submitted_by_name=row["submitted_by_name"],
        reviewed_by_name=row["reviewed_by_name"],
        review_comment=row["review_comment"],
        published_version=row["published_version"],
        files={str(k): str(v) for k, v in dict(decoded).items()},
    )


def _who(ctx: TenantContext) -> str:
    return ctx.full_name or ctx.username or "—"


def _actor(ctx: TenantContext) -> Actor:
    return Actor(user_id=ctx.user_id, username=ctx.username or "")


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def roll_forward(pack: RulePack, year: int) -> RulePack:
    """Last year's pack relabelled for ``year``: the plan's id, names and dates, the reporting
    deadline and the examples' dates move by the same number of years; everything else stays
    for the editor to change (the validator warns about what still names the old year)."""
    years = year - pack.plan.year
    old, new = str(pack.plan.year), str(year)
    plan = pack.plan
    name = msgspec.structs.replace(
        plan.name, vi=plan.name.vi.replace(old, new), en=plan.name.en.replace(old, new)
    )
    plan = msgspec.structs.replace(
        plan,
        id=plan.id.replace(old, new),
        name=name,
        year=year,
        effective_from=_shift(plan.effective_from, years),
        effective_to=_shift(plan.effective_to, years),
    )
    reporting = msgspec.structs.replace(
        pack.rules.reporting, deadline=_shift(pack.rules.reporting.deadline, years)
    )
    examples = []
    for ex in pack.examples:
        signals = [
            msgspec.structs.replace(s, received_on=_shift(s.received_on, years))
            for s in ex.facts.signals
        ]
        facts = msgspec.structs.replace(
            ex.facts, as_of=_shift(ex.facts.as_of, years), signals=signals
        )
        examples.append(msgspec.structs.replace(ex, facts=facts))
    rules = msgspec.structs.replace(pack.rules, reporting=reporting)
    return msgspec.structs.replace(pack, plan=plan, rules=rules, examples=examples)


def _checked(files: dict[str, str], ctx: TenantContext) -> dict[str, str]:
    """``files`` when they make a plan this committee may publish; else :class:`DraftRefused`."""
    pack, report = validate_files(files, "draft", ctx.committee_code)
    if pack is None:
        raise DraftRefused(report.errors)
    return files


async def _row(ctx: TenantContext, draft_id: int) -> dict[str, Any]:
    async with tenant_scope(ctx.path):
        row = (
            await PlanDraft.select()
            .where((PlanDraft.id == draft_id) & (PlanDraft.committee == ctx.committee_id))
            .first()
        )
    if row is None:
        raise NotFound(N_("There is no such plan draft"), field="draft")
    return row


async def get_draft(ctx: TenantContext, draft_id: int) -> DraftView:
    """A draft of the caller's committee (another committee's id is simply not found)."""
    return _view(await _row(ctx, draft_id), ctx.committee_code)


async def list_drafts(ctx: TenantContext) -> list[DraftView]:
    async with tenant_scope(ctx.path):
        rows = (
            await PlanDraft.select()
            .where(PlanDraft.committee == ctx.committee_id)
            .order_by(PlanDraft.id, ascending=False)
        )
    return [_view(r, ctx.committee_code) for r in rows]


async def start_draft(ctx: TenantContext, base_version_id: int, year: int) -> DraftView:
    """A new draft for ``year`` copied from a published version the committee may see."""
    if not 2000 <= year <= 2200:
        raise InvalidInput(N_("The plan's year is not valid"), field="year")
    versions = {v.id: v for v in await history(ctx.committee_code)}
    base = versions.get(base_version_id)
    if base is None:
        raise NotFound(N_("There is no such published plan"), field="base")
    # the version may be an ancestor's: it is one of those that apply to the committee
    files = (await published_version(base.version)).files
    with materialised(files, "base") as root:
        pack = read_pack(root).pack
    rolled = roll_forward(pack, year)
    plan = msgspec.structs.replace(rolled.plan, issuing_committee=ctx.committee_code)
    new_files = {**files, **pack_files(msgspec.structs.replace(rolled, plan=plan))}
    return await _new_draft(ctx, year, base.version, new_files, {"from": base.version})


async def _new_draft(
    ctx: TenantContext, year: int, base_version: str, files: dict[str, str], about: dict[str, str]
) -> DraftView:
    async with tenant_scope(ctx.path):
        row = PlanDraft(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            year=year,
            base_version=base_version,
            files=files,
            drafted_by=ctx.user_id,
            drafted_by_name=_who(ctx),
            saved_by_name=_who(ctx),
        )
        await row.save()
        await record(
            ctx.committee_id,
            "plan_draft.started",
            "plan_draft",
            row.id,
            {"year": year, **about},
            actor=_actor(ctx),
        )
    return await get_draft(ctx, row.id)


async def start_addition_draft(ctx: TenantContext, year: int) -> DraftView:
    """A new addition draft of the committee's own rules, over the plan in force above it."""
    if not 2000 <= year <= 2200:
        raise InvalidInput(N_("The plan's year is not valid"), field="year")
    base_version, files = await addition_files(ctx, year)
    return await _new_draft(ctx, year, base_version, files, {"adds_to": base_version})


async def edit_addition(
    ctx: TenantContext, draft_id: int, revision: int, change: Callable[[list[Rule]], list[Rule]]
) -> DraftView:
    """Change an addition draft's rules; kept only if the addition checker accepts them."""
    draft = await get_draft(ctx, draft_id)
    _editable(draft)
    _same_revision(draft, revision)
    files = change_rules(draft.files, change)
    errors = [e for e in await addition_problems(ctx, files) if e.message != NEEDS_A_RULE]
    if errors:
        raise DraftRefused(errors)
    return await _store(ctx, draft, files, "plan_draft.edited")


async def _store(
    ctx: TenantContext,
    draft: DraftView,
    files: dict[str, str],
    action: str,
    status: str | None = None,
    **extra: Any,
) -> DraftView:
    """Save the new files if nobody saved since ``draft.revision``; audited."""
    values: dict[Any, Any] = {
        PlanDraft.files: files,
        PlanDraft.revision: draft.revision + 1,
        PlanDraft.saved_by_name: _who(ctx),
        PlanDraft.saved_at: dt.datetime.now(dt.UTC),
    }
    if status is not None:
        values[PlanDraft.status] = status
    for key, value in extra.items():
        values[getattr(PlanDraft, key)] = value
    async with tenant_scope(ctx.path):
        changed = (
            await PlanDraft.update(values)
            .where(
                (PlanDraft.id == draft.id)
                & (PlanDraft.committee == ctx.committee_id)
                & (PlanDraft.revision == draft.revision)
            )
            .returning(PlanDraft.id)
        )
        if not changed:
            current = await _row(ctx, draft.id)
            raise DraftChanged(current["saved_by_name"], current["saved_at"])
        await record(
            ctx.committee_id,
            action,
            "plan_draft",
            draft.id,
            {"revision": draft.revision + 1},
            actor=_actor(ctx),
        )
    return await get_draft(ctx, draft.id)


async def edit_draft(
    ctx: TenantContext, draft_id: int, revision: int, change: Callable[[RulePack], RulePack]
) -> DraftView:
    """Apply ``change`` to the draft's pack; keep it only if the plan still validates."""
    draft = await get_draft(ctx, draft_id)
    _editable(draft)
    _same_revision(draft, revision)
    changed = change(draft.loaded().pack)
    files = _checked({**draft.files, **pack_files(changed)}, ctx)
    return await _store(ctx, draft, files, "plan_draft.edited")


async def replace_files(
    ctx: TenantContext, draft_id: int, revision: int, files: dict[str, str]
) -> DraftView:
    """Replace the draft's pack by files imported from a workbook or a YAML folder."""
    draft = await get_draft(ctx, draft_id)
    _editable(draft)
    _same_revision(draft, revision)
    return await _store(ctx, draft, _checked({**draft.files, **files}, ctx), "plan_draft.imported")


def _editable(draft: DraftView) -> None:
    if draft.status not in EDITABLE:
        raise Conflict(
            N_("The draft has been submitted or published: it can no longer be changed"),
            field="status",
        )


def _same_revision(draft: DraftView, revision: int) -> None:
    if revision != draft.revision:
        raise DraftChanged(draft.saved_by_name, draft.saved_at)


async def submit_draft(ctx: TenantContext, draft_id: int, revision: int) -> DraftView:
    """The drafter sends the plan to the standing board (it must validate)."""
    draft = await get_draft(ctx, draft_id)
    _editable(draft)
    _same_revision(draft, revision)
    if draft.is_addition:
        problems = await addition_problems(ctx, draft.files)
        if problems:
            raise DraftRefused(problems)
    else:
        _checked(draft.files, ctx)
    return await _store(
        ctx,
        draft,
        draft.files,
        "plan_draft.submitted",
        SUBMITTED,
        submitted_by_name=_who(ctx),
        review_comment="",
    )


async def return_draft(ctx: TenantContext, draft_id: int, comment: str) -> DraftView:
    """The standing board sends the plan back to its drafter with a comment."""
    draft = await _submitted(ctx, draft_id)
    if not comment.strip():
        raise InvalidInput(N_("Say what needs changing"), field="comment")
    return await _store(
        ctx,
        draft,
        draft.files,
        "plan_draft.returned",
        RETURNED,
        reviewed_by_name=_who(ctx),
        review_comment=comment.strip(),
    )


async def approve_draft(
    ctx: TenantContext, draft_id: int, effective_from: dt.date
) -> tuple[DraftView, PackVersionView | None]:
    """The standing board approves: the plan is published from ``effective_from``.

    The person who drafted the plan cannot approve it: publication takes two people.
    """
    draft = await _submitted(ctx, draft_id)
    if draft.drafted_by is not None and draft.drafted_by == ctx.user_id:
        raise PermissionDenied(
            N_(
                "Whoever drafted the plan cannot approve it: another member of the standing "
                "board must"
            )
        )
    published: PackVersionView | None = None
    try:
        if draft.is_addition:
            added = await publish_addition(
                (draft.files[ADDITION_FILE], ADDITION_FILE),
                ctx.committee_code,
                effective_from,
                ctx.user_id,
                ctx.username or "",
            )
            version = added.base_version
        else:
            published = await publish(
                draft.files, ctx.committee_code, effective_from, ctx.user_id, ctx.username or ""
            )
            version = published.version
    except (PackRejected, AdditionRejected) as exc:
        raise DraftRefused(exc.errors) from None
    done = await _store(
        ctx,
        draft,
        draft.files,
        "plan_draft.approved",
        PUBLISHED,
        reviewed_by_name=_who(ctx),
        published_version=version,
    )
    return done, published


async def _submitted(ctx: TenantContext, draft_id: int) -> DraftView:
    draft = await get_draft(ctx, draft_id)
    if draft.status != SUBMITTED:
        raise Conflict(N_("The draft has not been submitted"), field="status")
    return draft


def check_change(
    draft: DraftView, change: Callable[[RulePack], RulePack], ctx: TenantContext
) -> list[PackError]:
    """The problems ``change`` would bring, without keeping anything (validation as you type)."""
    files = {**draft.files, **pack_files(change(draft.loaded().pack))}
    return validate_files(files, "draft", ctx.committee_code)[1].errors
