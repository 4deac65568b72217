"""Demo step: a realistic spread of 2022 activity in Ba Đình and Hoàn Kiếm, and some submissions.

Ba Đình's communes show every status: Phúc Xá submitted on time, Trúc Bạch late, the rest missing;
at city level Hoàn Kiếm submitted, Tây Hồ late and Ba Đình still drafting. Re-running adds nothing.
"""

from __future__ import annotations

from datetime import date

from giamsat.db.scope import system_scope
from giamsat.reports.plan import COMMITTEE_KIND, load_plan
from giamsat.reports.sampledata import generate_activity
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.submissions import submit
from giamsat.reports.tables import ReportSubmission
from giamsat.tenancy.context import TenantContext, context_for_committee

ACTIVITY = {
    "001": 40,
    "00001": 60,
    "00004": 35,
    "00006": 25,
    "00007": 2,
    "002": 30,
    "00037": 45,
    "003": 20,
}
#: (committee, submitted on): before the 25/11/2022 deadline is on time, after it late.
SUBMISSIONS = (
    ("00001", date(2022, 11, 20)),
    ("00004", date(2022, 11, 30)),
    ("00037", date(2022, 11, 18)),
    ("002", date(2022, 11, 24)),
    ("003", date(2022, 12, 2)),
)
NARRATIVE = {
    "strengths": "Ban Thường trực đã triển khai kế hoạch giám sát đến các Ban công tác Mặt trận.",
    "shortcomings": "Một số khu dân cư chưa tổ chức lấy phiếu khảo sát đúng thời gian.",
    "proposals": "Đề nghị cấp trên tổ chức tập huấn nghiệp vụ giám sát cho cán bộ cơ sở.",
}


async def _context(code: str) -> TenantContext:
    return await context_for_committee(code, username="demo", role="democracy_law")


async def reports_demo() -> None:
    """Generate activity and submissions once (skipped when the demo already has them)."""
    async with system_scope():
        done = await ReportSubmission.exists().where(
            (ReportSubmission.period_id == "2022") & (ReportSubmission.kind == COMMITTEE_KIND)
        )
        if done:
            return
        for seed, (code, count) in enumerate(ACTIVITY.items()):
            await generate_activity(
                code,
                signals=count,
                cases=max(count // 8, 1),
                cadres=6,
                seed=seed,
                start=date(2022, 1, 5),
                days=310,
            )
    plan = load_plan()
    for code, on in SUBMISSIONS:
        await submit(await _context(code), plan, "2022", SubmitRequest(narrative=NARRATIVE), on)
