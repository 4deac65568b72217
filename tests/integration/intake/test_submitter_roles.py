"""``ChannelInfo.submitter_roles`` holds on forms, sheets and the API: a partner's officer submits
only on the channels that name their organisation; the committee's staff on every enabled one."""

from __future__ import annotations

from giamsat.channels import ChannelRegistry
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre

REPORT = {"indicator": "DD1", "union": "CĐ quận", "content": "Nội dung"}
SHEET = "ma_can_bo,don_vi,cong_doan,nam,ky,ngay_danh_gia\n"


async def test_only_listed_organisations_submit_on_a_channel(
    factory: Factory, registry: ChannelRegistry
) -> None:
    # given Ba Đình accepts the trade unions' workplace channel, and officers of the trade union,
    # of the women's union, and a staff member of the committee
    ba_dinh = await context_for("001")
    await enable(ba_dinh, registry, "workplace")
    cadre = await new_cadre(ba_dinh)
    union, _ = await factory.api_client("001", "partner_officer", organisation="union")
    women, _ = await factory.api_client("001", "partner_officer", organisation="women")
    staff, _ = await factory.api_client("001", "office")
    women_page, _ = await factory.page_client("001", "partner_officer", organisation="women")
    body = REPORT | {"cadre": cadre}
    # when each submits a workplace report through the API
    answers = [
        (await c.post("/api/v1/intake/workplace/report", json=body)).status_code
        for c in (union, women, staff)
    ]
    # then the union's officer and the staff are accepted, the women's union's officer is not
    assert answers == [201, 404, 201]
    # and the women's union's officer cannot open the form, the sheet, or post either
    assert (await women_page.get("/c/001/intake/workplace/report")).status_code == 404
    sheet = await women_page.get("/c/001/intake/workplace/bulk/assessment-sheet")
    assert sheet.status_code == 404
    posted = await women_page.post(
        "/c/001/intake/workplace/bulk/assessment-sheet",
        data={"_csrf_token": csrf(women_page)},
        files={"file": ("s.csv", SHEET.encode(), "text/csv")},
    )
    assert posted.status_code == 404
    # and their intake page does not offer the channel, while the union officer's does
    assert "/intake/workplace/" not in (await women_page.get("/c/001/intake")).text
    union_page, _ = await factory.page_client("001", "partner_officer", organisation="union")
    assert "/intake/workplace/report" in (await union_page.get("/c/001/intake")).text
