"""The demo's history and today: Hà Nội moves to the registers of 1 January and 1 July 2025,
then Phường Ba Đình (``00004`` from 1 July 2025) gets current work in the two-level tree."""

from __future__ import annotations

import datetime as dt

from giamsat import clock
from giamsat.cases.opening import open_case
from giamsat.cases.schemas import FiredRule, OpenCase
from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from giamsat.tenancy.register import REGISTERS
from giamsat.tenancy.reorganising import apply
from giamsat.tenancy.repository import code_on
from giamsat.tenancy.tables import Committee, Reorganisation

CITY = "01"
CURRENT_PACK = "demo-2026"


async def reorganised(province: str = CITY) -> bool:
    async with system_scope():
        return bool(
            await Reorganisation.exists().where(
                (Reorganisation.province == province) & (Reorganisation.register == "2025-07")
            )
        )


async def reorganise_demo() -> None:
    """Both 2025 reorganisations of Hà Nội (each applied once)."""
    for register, effective in (("2025-01", dt.date(2025, 1, 1)), ("2025-07", dt.date(2025, 7, 1))):
        await apply(REGISTERS[register], effective, CITY, {}, "demo")


async def current_work_demo() -> None:
    """Two cases received this month by Phường Ba Đình (00004) and one by the city."""
    async with system_scope():
        if await Case.exists().where(Case.pack_version == CURRENT_PACK):
            return
    today = clock.today()
    rule = FiredRule(id="demo.route.managing_level", title="Định tuyến theo diện cán bộ quản lý")
    for owner, title, days_ago, level in (
        ("00004", "Phản ánh về thái độ tiếp công dân tại bộ phận một cửa", 3, "commune"),
        ("00004", "Góp ý về việc công khai kê khai tài sản", 10, "commune"),
        (CITY, "Tố cáo về việc sử dụng xe công (2026)", 20, "province"),
    ):
        async with system_scope():
            owner_row = await Committee.select(Committee.id).where(code_on(owner)).first()
        assert owner_row is not None, owner
        await open_case(
            owner_row["id"],
            OpenCase(
                owner=owner, origin=owner, title=title,
                received_on=today - dt.timedelta(days=days_ago), managing_level=level,
                pack_version=CURRENT_PACK, fired_rules=[rule], findings=["DD5"],
                subject_name="Cán bộ (demo)",
            ),
        )  # fmt: skip
