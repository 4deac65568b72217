"""The five documents of a delegation, built from its rows with the documents library.

Each export is audited (who downloaded which document of which delegation); the bytes are
rendered on demand and never stored, so a corrected row yields a corrected document.
"""

from __future__ import annotations

from typing import Any

import msgspec

from giamsat.audit.service import record
from giamsat.cases.committees import by_id
from giamsat.db.scope import tenant_scope
from giamsat.delegations.downloads import DocumentFile
from giamsat.delegations.repository import view
from giamsat.delegations.schemas import DelegationView, DocumentName
from giamsat.documents import (
    AdministrativeDocument,
    Committee,
    DelegationFacts,
    DelegationMember,
    DocumentError,
    DocumentIssue,
    Finding,
    Indicator,
    MemberRole,
    Recommendation,
    ScheduleItem,
    Signer,
    SupervisedBody,
    build_delegation_decision,
    build_recommendation_letter,
    build_report_outline,
    build_results_report,
    build_supervision_notice,
    render_docx,
)
from giamsat.errors import Conflict, InvalidInput
from giamsat.recommendations.tables import Recommendation as RecommendationRow
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_, Translator, Word, Words

FILE_NAMES: dict[str, str] = {
    "decision": "quyet-dinh-thanh-lap-doan",
    "notice": "thong-bao-giam-sat",
    "outline": "de-cuong-bao-cao",
    "results": "bao-cao-ket-qua-giam-sat",
    "letter": "van-ban-kien-nghi",
}
#: The five documents by their titles, as labels a message names them by (Vietnamese in the
#: catalogue; file names use it).
DOCUMENT_NAMES: dict[str, Word] = {
    "decision": Word(N_("Decision forming the supervision delegation")),
    "notice": Word(N_("Supervision notice")),
    "outline": Word(N_("Report outline")),
    "results": Word(N_("Supervision results report")),
    "letter": Word(N_("Recommendation letter")),
}
_PLACE_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Quận ",
    "Huyện ",
    "Thị xã ",
    "Phường ",
    "Xã ",
    "Thị trấn ",
)


def place_of(name: str) -> str:
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def issuing_committee(name: str) -> Committee:
    return Committee(
        parent=f"ỦY BAN MTTQ VIỆT NAM\n{name.upper()}",
        full_name=f"Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam {name}",
        place=place_of(name),
    )


def facts_of(
    d: DelegationView, committee_name: str, recommendations: list[dict[str, Any]]
) -> DelegationFacts:
    start = min([s.held_on for s in d.sessions], default=None)
    return DelegationFacts(
        committee=issuing_committee(committee_name),
        signer=Signer(capacity=d.signer_capacity, title=d.signer_title, name=d.signer_name),
        plan_reference=d.plan_reference or f"Kế hoạch giám sát của {committee_name}",
        subject=d.subject,
        supervised=SupervisedBody(name=d.supervised_name, address=d.supervised_address),
        members=[
            DelegationMember(
                name=m.full_name,
                role=MemberRole(m.role),
                position=m.position,
                organisation=m.organisation,
            )
            for m in d.members
        ],
        period_start=d.period_start,
        period_end=d.period_end,
        schedule=[
            ScheduleItem(on=s.held_on, time=s.time, place=s.place, activity=s.activity)
            for s in d.sessions
        ],
        report_due=d.report_due,
        indicators=[Indicator(code=i.code, name=i.name) for i in d.indicators],
        findings=[
            Finding(
                indicator_code=f.indicator_code,
                indicator_name=f.indicator_name,
                conclusion=f.conclusion,
                details=f.details,
            )
            for f in d.findings
        ],
        recommendations=[
            Recommendation(text=r["text"], addressee=r["addressee"]) for r in recommendations
        ],
        answer_by=d.answer_by,
        decision_reference=(
            f"Quyết định số {d.decision_number or '…'} ngày {d.decision_on:%d/%m/%Y}"
            if d.decision_on
            else ""
        ),
        min_notice_days=min(d.min_notice_days, (start - d.notice_on).days)
        if start and d.notice_on
        else d.min_notice_days,
    )


def build(
    name: str, d: DelegationView, facts: DelegationFacts, *, report_to: str = ""
) -> AdministrativeDocument:
    """Build one document; results and letter also go to the next-higher Front (``report_to``)."""
    issues = {
        "decision": (build_delegation_decision, d.decision_on, d.decision_number),
        "notice": (build_supervision_notice, d.notice_on, d.notice_number),
        "outline": (build_report_outline, d.notice_on, None),
        "results": (build_results_report, d.results_on, d.results_number),
        "letter": (build_recommendation_letter, d.letter_on, d.letter_number),
    }
    builder, issued_on, number = issues[name]
    if issued_on is None:
        raise Conflict(
            N_("%(document)s cannot be made yet: finish the delegation's earlier steps first."),
            field="document",
            params={"document": DOCUMENT_NAMES[name]},
        )
    try:
        extra = [report_to] if report_to and name in ("results", "letter") else []
        return builder(facts, DocumentIssue(issued_on=issued_on, number=number, recipients=extra))
    except DocumentError as exc:
        # the document library's own catalogue message: what is missing or contradicts
        raise Conflict(exc.template, field="document", params=exc.params) from exc


def file_name(name: str, d: DelegationView) -> DocumentFile:
    """The download's names: the document's Vietnamese title, numbered when it has a number."""
    number = {
        "decision": d.decision_number,
        "notice": d.notice_number,
        "results": d.results_number,
        "letter": d.letter_number,
    }.get(name)
    label = Translator("vi").gettext(DOCUMENT_NAMES[name])
    display = f"{label} số {number}.docx" if number else f"{label} - đoàn {d.id}.docx"
    return DocumentFile(name=display, ascii_name=f"{FILE_NAMES[name]}-{d.id}.docx", content=b"")


async def export_document(
    ctx: TenantContext, delegation_id: int, name: DocumentName
) -> DocumentFile:
    """One document as a Word file with its UTF-8 and ASCII names; the export is audited."""
    if name not in FILE_NAMES:
        raise InvalidInput(
            N_("A delegation has no such document; its documents are %(known)s."),
            field="document",
            params={"known": Words(DOCUMENT_NAMES.values())},
        )
    async with tenant_scope(ctx.path):
        d = await view(ctx, delegation_id)
        owner = await by_id(await _owner_id(d.id))
        items = (
            await RecommendationRow.select(RecommendationRow.text, RecommendationRow.addressee)
            .where(RecommendationRow.delegation_id == d.id)
            .order_by(RecommendationRow.item_no)
        )
        parent = await by_id(owner.parent_id) if owner.parent_id is not None else None
        report_to = f"Ban Thường trực Ủy ban MTTQ Việt Nam {parent.name}" if parent else ""
        try:
            facts = facts_of(d, owner.name, [dict(i) for i in items])
        except (DocumentError, msgspec.ValidationError):
            raise Conflict(
                N_(
                    "The documents cannot be made yet: check the delegation's subject, members "
                    "and period supervised."
                ),
                field="delegation",
            ) from None
        document = build(name, d, facts, report_to=report_to)
        content = render_docx(document)
        await record(
            ctx,
            "delegation.document_exported",
            "delegation",
            d.id,
            {"document": name, "bytes": len(content)},
        )
    names = file_name(name, d)
    return DocumentFile(name=names.name, ascii_name=names.ascii_name, content=content)


async def _owner_id(delegation_id: int) -> int:
    from giamsat.delegations.tables import Delegation

    row = (
        await Delegation.select(Delegation.committee).where(Delegation.id == delegation_id).first()
    )
    assert row is not None
    return int(row["committee"])
