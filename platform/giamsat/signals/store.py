"""Writing the SignalDrafts a channel proposes as Signal rows, inside the caller's scope.

The caller holds the committee's tenant scope (one transaction) and commits only when every
draft is stored, so a submission never leaves half its signals behind.
"""

from __future__ import annotations

from collections.abc import Mapping

from giamsat.cadres.repository import CadreRepository
from giamsat.cadres.schemas import CadreNameplate, CadreView
from giamsat.channels import FieldError, SignalDraft, SubmissionInvalid
from giamsat.signals.writer import NewSignal, write_signals
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, in_both


async def store_drafts(
    ctx: TenantContext,
    drafts: list[SignalDraft],
    cadres: Mapping[str, CadreView | CadreNameplate],
    *,
    form_id: str,
    idempotency_key: str | None = None,
    submitted_by: int | None = None,
    body: str = "",
    cadre_field: str = "cadre",
) -> list[int]:
    """Insert one Signal per draft and return their ids, in order.

    A draft naming a cadre code that is neither in the committee's subtree register nor among
    its ancestors' entries is refused with a field error on ``cadre_field`` (and nothing is
    written by the caller's rollback).
    """
    known: dict[str, CadreView | CadreNameplate] = dict(cadres)
    missing = sorted({d.cadre_code for d in drafts if d.cadre_code and d.cadre_code not in known})
    if missing:
        repo = CadreRepository(ctx)
        known.update(await repo.find_many(missing))
        upward = [code for code in missing if code not in known]
        if upward:
            known.update(await repo.find_ancestor_registered_nameplates(upward))
    unknown = [code for code in missing if code not in known]
    if unknown:
        raise SubmissionInvalid(
            [
                FieldError(
                    cadre_field,
                    *in_both(N_("There is no cadre with code %(code)s."), code=", ".join(unknown)),
                )
            ]
        )
    rows: list[NewSignal] = []  # plain structs: a piccolo row costs ~0.7 ms to build
    for draft in drafts:
        cadre = known.get(draft.cadre_code) if draft.cadre_code else None
        subject = (
            cadre.full_name
            if cadre
            else draft.subject_text or str(draft.facts.get("cadre_name", ""))
        )
        rows.append(
            NewSignal(
                committee=ctx.committee_id,
                tenant_path=ctx.path,
                channel=draft.channel,
                form_id=form_id,
                kind=draft.kind,
                cadre=cadre.id if cadre else None,
                subject_text=subject[:255],
                indicator_codes=list(draft.indicator_codes),
                facts=dict(draft.facts),
                source=draft.source[:255],
                occurred_on=draft.occurred_on,
                received_on=draft.received_on,  # type: ignore[arg-type]  # checked on write
                anonymous=draft.anonymous,
                idempotency_key=idempotency_key,
                status="received",
                submitted_by=submitted_by,
                body=body or draft.summary,
            )
        )
    return await write_signals(rows)
