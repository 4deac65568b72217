"""Demo step: a few cases opened through ``open_case`` and one delegation with its documents.

Re-running the demo adds nothing twice: the step looks for its own cases (pack version
``demo``) and its delegation (by subject) first.
"""

from __future__ import annotations

import datetime as dt

from giamsat import clock
from giamsat.cases.committees import by_code
from giamsat.cases.opening import open_case, system_context
from giamsat.cases.schemas import FiredRule, OpenCase
from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.delegations import service
from giamsat.delegations.schemas import (
    Decision,
    DelegationPlan,
    FindingIn,
    IndicatorIn,
    Letter,
    MemberIn,
    Minutes,
    Notice,
    RecommendationIn,
    ReportReceived,
    Results,
    SessionIn,
)
from giamsat.delegations.tables import Delegation

DEMO_PACK = "demo"
DEMO_SUBJECT = "việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu (demo)"


def _base_day() -> dt.date:
    """A receipt day a week ago: the calendar has every year, so any day gets its clock."""
    return clock.today() - dt.timedelta(days=7)


async def demo_cases() -> None:
    async with system_scope():
        if await Case.exists().where(Case.pack_version == DEMO_PACK):
            return
    base = _base_day()
    rule = FiredRule(id="demo.route.managing_level", title="Định tuyến theo diện cán bộ quản lý")
    cases = [
        ("00001", "00001", "Phản ánh về thái độ tiếp công dân", base, False, "commune"),
        ("001", "00001", "Phản ánh về kê khai tài sản, thu nhập", base, True, "district"),
        (
            "01",
            "001",
            "Tố cáo về việc sử dụng xe công",
            base - dt.timedelta(days=45),
            False,
            "province",
        ),
    ]
    for owner, origin, title, received, complex_case, level in cases:
        await open_case(
            (await by_code(owner)).id,
            OpenCase(
                owner=owner,
                origin=origin,
                title=title,
                received_on=received,
                complex_case=complex_case,
                managing_level=level,
                pack_version=DEMO_PACK,
                fired_rules=[rule],
                findings=["DD5"],
                subject_name="Cán bộ (demo)",
            ),
        )


async def demo_delegation(
    code: str = "01", supervised: str = "Ban Thường vụ Quận ủy Hoàn Kiếm"
) -> None:
    """One delegation of committee ``code`` walked to its recommendation letter."""
    node = await by_code(code)
    async with system_scope():
        if await Delegation.exists().where(
            (Delegation.subject == DEMO_SUBJECT) & (Delegation.committee == node.id)
        ):
            return
    ctx = system_context(node)
    d = await service.plan(
        ctx,
        DelegationPlan(
            subject=DEMO_SUBJECT,
            supervised_name=supervised,
            period_start=dt.date(2021, 1, 1),
            period_end=dt.date(2022, 6, 30),
            indicators=[
                IndicatorIn(code="DD3", name="Kê khai tài sản, thu nhập không trung thực"),
                IndicatorIn(code="DD5", name="Quan liêu, xa rời quần chúng"),
            ],
            plan_reference="Kế hoạch số 250/KH-MTTQ-BTT ngày 05/3/2022",
        ),
    )
    members = [
        MemberIn(full_name="Trần Thị Bình", role="head", position="Phó Chủ tịch"),
        MemberIn(
            full_name="Phạm Thu Dung",
            role="member",
            position="Phó Chủ tịch",
            organisation="Liên đoàn Lao động thành phố",
            source="member_organisation",
            official=False,
        ),
        MemberIn(full_name="Hoàng Minh Đức", role="secretary", position="Chuyên viên"),
    ]
    await service.decide(
        ctx,
        d.id,
        Decision(
            decided_on=dt.date(2022, 7, 1), number=15, members=members, signer_name="Nguyễn Văn An"
        ),
    )
    d = await service.send_notice(
        ctx,
        d.id,
        Notice(
            notice_on=dt.date(2022, 7, 5),
            number=16,
            report_due=dt.date(2022, 8, 1),
            sessions=[
                SessionIn(
                    held_on=dt.date(2022, 8, 10),
                    place=f"Trụ sở {supervised}",
                    activity=f"Làm việc với {supervised}",
                )
            ],
        ),
    )
    await service.receive_report(ctx, d.id, ReportReceived(received_on=dt.date(2022, 8, 1)))
    await service.record_minutes(
        ctx, d.id, Minutes(session_id=d.sessions[0].id, minutes="Biên bản buổi làm việc (demo)")
    )
    await service.report_results(
        ctx,
        d.id,
        Results(
            results_on=dt.date(2022, 9, 1),
            number=30,
            findings=[
                FindingIn(
                    indicator_code="DD5",
                    indicator_name="Quan liêu, xa rời quần chúng",
                    conclusion="Có hạn chế cần khắc phục",
                )
            ],
        ),
    )
    await service.send_letter(
        ctx,
        d.id,
        Letter(
            letter_on=dt.date(2022, 9, 5),
            number=31,
            recommendations=[RecommendationIn(text="Chỉ đạo thực hiện nghiêm việc tiếp công dân.")],
        ),
    )


async def cases_demo() -> None:
    """Cases with deadlines, and one delegation whose five documents can be downloaded."""
    await demo_cases()
    await demo_delegation()
    # The district demo account (Ba Đình) gets a delegation of its own to download from.
    await demo_delegation("001", "Đảng ủy phường Phúc Xá")
