"""Real rows of a committee (Ba Đình, 001, by default), made through the services, for the
cross-committee walks of reads and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import msgspec

from giamsat.cadres.schemas import CadreCreate
from giamsat.cadres.service import create_cadre
from giamsat.cadres.tables import Cadre
from giamsat.calendar.overrides_store import working_calendar
from giamsat.cases.committees import by_code
from giamsat.cases.demo import DEMO_SUBJECT, demo_delegation
from giamsat.cases.opening import open_case, system_context
from giamsat.cases.schemas import OpenCase
from giamsat.cases.tables import Case, CaseClock, CaseEvent, Finding
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.delegations.tables import Delegation
from giamsat.feedback.tables import Feedback
from giamsat.intake.tables import DecisionJob, IntakeSubmission, SignalAttachment
from giamsat.plans.facts import json_value
from giamsat.plans.files import read_folder
from giamsat.plans.tables import PlanDraft, RulePackVersion
from giamsat.portal import ratelimit
from giamsat.portal.tables import DisclosureRequest, PortalMessage, PortalReport
from giamsat.recommendations.tables import Recommendation
from giamsat.residence.tables import ResidenceFinding
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from tests.factories import Factory
from tests.integration.portal.conftest import IDENTITY_KEY, csrf_of, staff_client

BA_DINH = "001"
RULES_2022 = Path(__file__).resolve().parents[2] / "rules" / "2022-ha-noi"


class BaDinhRows(msgspec.Struct, frozen=True):
    """Ids of Ba Đình's rows, and texts that only those rows contain."""

    case_id: int
    delegation_id: int
    recommendation_id: int
    feedback_id: int
    signal_id: int
    submission_id: int
    disclosure_id: int
    draft_id: int
    version_id: int
    cadre: str
    markers: tuple[str, ...]
    code: str = BA_DINH
    cadre_id: int = 0
    user_id: int = 0
    attachment_id: int = 0
    job_id: int = 0


async def _received_on() -> dt.date:
    """A day whose case clock stays inside the years whose official calendar is checked."""
    return dt.date(max((await working_calendar()).confirmed_years), 9, 1)


async def _portal_report(factory: Factory, code: str, unique: str) -> int:
    await ratelimit.forget(ratelimit.client_key("127.0.0.1", "test-secret-key"))
    public = factory.client(identity_key=IDENTITY_KEY)
    token, form_token = await csrf_of(public, f"/portal/{code}/report")
    sent = await public.post(
        f"/portal/{code}/report",
        data={"_csrf_token": token, "token": form_token, "kind": "complaint",
              "subject_kind": "cadre", "cadre_name": "Cán bộ quận", "content": f"Phản ánh {unique}",
              "name": "Người Phản Ánh", "phone": "0912 000 222"},
    )  # fmt: skip
    assert sent.status_code == 201, sent.text
    async with system_scope():
        row = await Signal.select(Signal.id).where(Signal.body.like(f"%{unique}%")).first()
    assert row is not None
    return int(row["id"])


async def _delegation_and_recommendation(ctx: TenantContext) -> tuple[int, int]:
    await demo_delegation(
        ctx.committee_code, "Đảng ủy phường Phúc Xá"
    )  # adds nothing when already there
    async with system_scope():
        d = (
            await Delegation.select(Delegation.id)
            .where(
                (Delegation.subject == DEMO_SUBJECT) & (Delegation.committee == ctx.committee_id)
            )
            .first()
        )
        r = (
            await Recommendation.select(Recommendation.id)
            .where(Recommendation.tenant_path == ctx.path)
            .first()
        )
    assert d is not None and r is not None
    return int(d["id"]), int(r["id"])


#: Marks the plan draft and version the walks add, which ``forget_plan_rows`` removes afterwards
#: (other suites read every plan history and must not meet them).
WALKER, WALKER_PLAN = "structure walk", "ba-dinh-structure"


async def forget_plan_rows() -> None:
    """Remove the walks' plan drafts and versions."""
    async with system_scope():
        await PlanDraft.delete().where(PlanDraft.drafted_by_name == WALKER)
        await RulePackVersion.delete().where(RulePackVersion.plan_id == WALKER_PLAN)


async def _plan_draft_and_version(ctx: TenantContext) -> tuple[int, int]:
    """A plan draft of Ba Đình, and a stored version of its that is never in force (it starts
    after its own plan ends), so no other test's decisions change."""
    files = read_folder(RULES_2022)
    async with tenant_scope(ctx.path):
        draft = PlanDraft(committee=ctx.committee_id, tenant_path=ctx.path, year=2023, files=files,
                          drafted_by_name=WALKER)  # fmt: skip
        await draft.save()
        version = RulePackVersion(
            committee=ctx.committee_id, tenant_path=ctx.path, plan_id=WALKER_PLAN,
            version=f"ba-dinh-structure@{uuid.uuid4().hex[:12]}", content_hash="-", year=2022,
            name="Kế hoạch của Ba Đình", effective_from=dt.date(2099, 1, 1), files=files,
        )  # fmt: skip
        await version.save()
    return int(draft.id), int(version.id)


async def ba_dinh_rows(factory: Factory) -> BaDinhRows:
    """One case, cadre, feedback item, portal report with a disclosure request, delegation and
    recommendation of Ba Đình, each new or found by what only Ba Đình's rows hold."""
    return await committee_rows(factory, BA_DINH)


async def committee_rows(factory: Factory, code: str) -> BaDinhRows:
    """The same rows for committee ``code``, and an account of it."""
    unique = uuid.uuid4().hex[:10]
    ctx = system_context(await by_code(code))
    title, cadre = f"Vụ việc {code} {unique}", f"BD{unique.upper()}"
    case = await open_case(
        ctx, OpenCase(owner=code, origin=code, title=title, received_on=await _received_on())
    )
    made = await create_cadre(
        ctx, CadreCreate(code=cadre, full_name="Trần Văn Quận", managing_level="district")
    )
    staff, user = await staff_client(factory, code, "admin", identity_key=IDENTITY_KEY)
    feedback = await staff.post(
        "/api/v1/feedback",
        json={"recipient_kind": "party_committee", "recipient": "Quận ủy Ba Đình",
              "content": f"Góp ý {unique}", "received_on": "2022-09-01"},
    )  # fmt: skip
    assert feedback.status_code == 201, feedback.text
    signal = await _portal_report(factory, code, unique)
    asked = await staff.post(
        f"/api/v1/portal/reports/{signal}/disclosures",
        json={"reason": "Cần mời người phản ánh làm rõ thêm"},
    )
    assert asked.status_code == 201, asked.text
    delegation, recommendation = await _delegation_and_recommendation(ctx)
    async with tenant_scope(ctx.path):
        submission = IntakeSubmission(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            channel="citizen",
            form_id="report",
            signal_ids=[signal],
        )
        await submission.save()
        attachment = SignalAttachment(
            submission=submission.id, committee=ctx.committee_id, tenant_path=ctx.path,
            field="evidence", filename=f"Tệp {unique}.pdf", content_type="application/pdf",
            size=9, sha256="0" * 64, data=b"%PDF-1.4\n",
        )  # fmt: skip
        await attachment.save()
        job = DecisionJob(  # a big sheet's decision, done
            committee=ctx.committee_id, tenant_path=ctx.path, submission=submission.id,
            channel="citizen", rows=1, total=1, state="done",
        )  # fmt: skip
        await job.save()
    draft, version = await _plan_draft_and_version(ctx)
    return BaDinhRows(
        case_id=case.id, delegation_id=delegation, recommendation_id=recommendation,
        feedback_id=int(feedback.json()["id"]), signal_id=signal, submission_id=int(submission.id),
        disclosure_id=int(asked.json()["id"]), cadre=cadre, draft_id=draft, version_id=version,
        markers=(title, cadre, f"Góp ý {unique}", f"Phản ánh {unique}"),
        code=code, cadre_id=made.id, user_id=user.id, attachment_id=int(attachment.id),
        job_id=int(job.id),
    )  # fmt: skip


async def forget_rows(rows: BaDinhRows) -> None:
    """Remove what :func:`committee_rows` added for ``rows`` (its case, cadre, feedback, portal
    report with its signal, submissions, their decision job and file), so the suites after the
    walks count the committee's rows as they left them. The accounts, the audit log
    (append-only) and the demo delegation (added once, found again by every walk) stay."""
    async with system_scope():
        reports = [r["id"] for r in await PortalReport.select(PortalReport.id).where(
            PortalReport.signal == rows.signal_id)]  # fmt: skip
        if reports:
            await DisclosureRequest.delete().where(DisclosureRequest.report.is_in(reports))
            await PortalMessage.delete().where(PortalMessage.report.is_in(reports))
            await PortalReport.delete().where(PortalReport.id.is_in(reports))
        submissions = [rows.submission_id] + [
            r["id"]
            for r in await IntakeSubmission.select(IntakeSubmission.id, IntakeSubmission.signal_ids)
            if rows.signal_id in (json_value(r["signal_ids"]) or [])
        ]
        await SignalAttachment.delete().where(SignalAttachment.submission.is_in(submissions))
        await DecisionJob.delete().where(DecisionJob.submission.is_in(submissions))
        await IntakeSubmission.delete().where(IntakeSubmission.id.is_in(submissions))
        await ResidenceFinding.delete().where(ResidenceFinding.signal == rows.signal_id)
        await Signal.delete().where(Signal.id == rows.signal_id)
        await Feedback.delete().where(Feedback.id == rows.feedback_id)
        for table in (CaseEvent, CaseClock, Finding):
            await table.delete().where(table.case == rows.case_id)
        await Case.delete().where(Case.id == rows.case_id)
        await Cadre.delete().where(Cadre.id == rows.cadre_id)
