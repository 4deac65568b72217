"""Submitting: bad input refused with a clear message, versions with reasons, partners, audit."""

from __future__ import annotations

import pytest
from tests.integration.reports.conftest import IsolatedPlan, context_of
from tests.integration.reports.test_rollup import NARRATIVE

from giamsat.audit.service import recent
from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.reports.rollup import latest_submissions
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.submissions import draft_report, submit, submitted_report
from giamsat.web.i18n import Translator


async def test_unanswered_mandatory_sections_are_refused_and_nothing_is_saved(
    db, isolated: IsolatedPlan
) -> None:
    # given a commune that leaves "proposals" blank
    ctx = await context_of("00008")
    narrative = {**NARRATIVE, "proposals": "   "}
    # when it submits
    with pytest.raises(InvalidInput) as refused:
        await submit(
            ctx,
            isolated.plan,
            isolated.period.id,
            SubmitRequest(narrative=narrative),
            isolated.before_deadline,
        )
    # then the message names the unanswered section, in each reader's language alone, and no
    # submission exists
    exc = refused.value
    vietnamese = Translator("vi").gettext(exc.template, **exc.params)
    english = Translator("en").gettext(exc.template, **exc.params)
    assert "Đề xuất, kiến nghị" in vietnamese and "Proposals and recommendations" in english
    assert "Đề xuất" not in english
    async with system_scope():
        assert await latest_submissions(ctx.path, isolated.period.id) == {}


async def test_a_period_the_plan_does_not_define_is_refused(db, isolated: IsolatedPlan) -> None:
    ctx = await context_of("00008")
    with pytest.raises(InvalidInput) as refused:
        await submit(
            ctx,
            isolated.plan,
            "2031-q9",
            SubmitRequest(narrative=NARRATIVE),
            isolated.before_deadline,
        )
    assert "2031-q9" in refused.value.message and isolated.period.id in refused.value.message


async def test_resubmitting_needs_a_reason_and_makes_a_new_version(
    db, isolated: IsolatedPlan
) -> None:
    # given a submitted commune report
    ctx = await context_of("00010")
    plan, period = isolated.plan, isolated.period.id
    first = await submit(
        ctx, plan, period, SubmitRequest(narrative=NARRATIVE), isolated.before_deadline
    )
    # when it submits again without a reason, then with one
    with pytest.raises(Conflict) as refused:
        await submit(
            ctx, plan, period, SubmitRequest(narrative=NARRATIVE), isolated.before_deadline
        )
    second = await submit(
        ctx,
        plan,
        period,
        SubmitRequest(narrative=NARRATIVE, reason="Bổ sung số liệu tháng 11"),
        isolated.after_deadline,
    )
    # then the first try is refused, the second is version 2, late, and both are audited
    assert "needs a reason" in refused.value.message  # the English id; pages translate it
    assert (first.version, second.version, second.late) == (1, 2, True)
    async with system_scope():
        entries = await recent("00010", limit=10)
    assert sum(e.action == "report.submitted" for e in entries) >= 2


async def test_partner_reports_enter_the_committee_at_their_level(
    db, isolated: IsolatedPlan
) -> None:
    # given the district's labour federation reports its workplace channel
    ctx = await context_of("005", role="partner_officer")
    plan, period = isolated.plan, isolated.period.id
    await submit(
        ctx,
        plan,
        period,
        SubmitRequest(kind="ldld", figures={"cadres_supervised": 120, "signals_received": 4}),
        isolated.before_deadline,
    )
    # when the district looks at its draft, and a partner sends an unknown figure
    view = await draft_report(await context_of("005"), plan, period, isolated.before_deadline)
    with pytest.raises(InvalidInput) as unknown:
        await submit(
            ctx,
            plan,
            period,
            SubmitRequest(kind="phu_nu", figures={"salary": 1}),
            isolated.before_deadline,
        )
    # then the federation's figures are part of the district's report
    assert view.figures["partners.ldld.cadres_supervised"] == 120
    assert view.figures["partners.ldld.signals_received"] == 4
    # and the refusal names what a partner's report counts by name, in either language
    refused = unknown.value
    assert refused.message == (
        "A partner organisation's report counts only cadres supervised, signals received, "
        "recommendations made, recommendations answered."
    )
    assert Translator("vi").gettext(refused.template, **refused.params) == (
        "Báo cáo của tổ chức thành viên chỉ gồm các số liệu: cán bộ, đảng viên được giám sát, "
        "phản ánh tiếp nhận, kiến nghị đã gửi, kiến nghị đã được trả lời."
    )


async def test_another_district_cannot_read_a_commune_report(db, isolated: IsolatedPlan) -> None:
    # given Ba Đình's commune Quán Thánh submitted
    await submit(
        await context_of("00013"),
        isolated.plan,
        isolated.period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.before_deadline,
    )
    parent = await submitted_report(
        await context_of("001"),
        isolated.plan,
        isolated.period.id,
        "00013",
        isolated.before_deadline,
    )
    # when Hoàn Kiếm asks for it
    with pytest.raises(NotFound):
        await submitted_report(
            await context_of("002"),
            isolated.plan,
            isolated.period.id,
            "00013",
            isolated.before_deadline,
        )
    # then only the parent got the (suppressed) report
    assert parent.suppressed and parent.narrative["strengths"] == NARRATIVE["strengths"]
