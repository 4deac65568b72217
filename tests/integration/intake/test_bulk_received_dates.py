"""Bulk sheets honour their received-date column (the channel's bulk format names it): each row
is received on its own date and decided by the plan in force then; a date in the future, not a
date, or before the plan refuses the sheet, every bad row listed by line and column, nothing
kept (a clerk corrects the register and sends it again whole). Through the page and the API, in
the 2026 tree at the turn of the year: a letter of 30 December goes by the 2026 plan, one of 4
January by the 2027 plan."""

from __future__ import annotations

import datetime as dt
import re

from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.plans.service import history, publish
from giamsat.signals.tables import Signal
from tests.conftest import Database
from tests.factories import Factory, csrf
from tests.integration.calendar.conftest import frozen_on
from tests.integration.decisions.conftest import Tree
from tests.integration.intake.conftest import enable, new_cadre
from tests.packs import city_pack_for
from tests.tree2026 import CITY, OTHER_COMMUNE, SIBLING, WARD

TODAY = dt.date(2027, 1, 5)
HEADER = "ngay_ghi_tren_don,ngay_tiep_nhan,nguoi_gui,ma_can_bo,bieu_hien,noi_dung\n"
API = "/api/v1/intake/staff/bulk/letter-register"
PAGE = f"/c/{WARD}/intake/staff/bulk/letter-register"


def _sheet(*rows: tuple[str, str]) -> bytes:
    """A letter register: (received date cell, cadre code) per row."""
    lines = [f"2026-12-20,{received},,{cadre},DD3,Kê khai tài sản không trung thực\n"
             for received, cadre in rows]  # fmt: skip
    return (HEADER + "".join(lines)).encode("utf-8")


async def _ward_signals() -> list[dict[str, object]]:
    async with system_scope():
        return list(await Signal.select(Signal.id, Signal.received_on, Signal.case_id).where(
            Signal.channel == "staff").order_by(Signal.id))  # fmt: skip


async def _the_2027_plan_too() -> None:
    if not any("2027" in v.version for v in await history(CITY)):
        await publish(city_pack_for(2027), CITY, dt.date(2027, 1, 1))


async def test_the_api_reads_each_rows_received_date(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    factory = Factory(tree2026)
    with frozen_on(TODAY):
        # given the ward's letter register, the 2026 plan and the city's 2027 plan
        await _the_2027_plan_too()
        ward = await Tree.context(_tree(tree2026), WARD)
        await enable(ward, registry, "staff")
        first, second = await new_cadre(ward), await new_cadre(ward)
        officer, _ = await factory.api_client(WARD)
        formats = (await officer.get("/api/v1/channels/staff/bulk-formats")).json()["items"]
        assert [f["received_column"] for f in formats] == ["ngay_tiep_nhan"]
        before = await _ward_signals()
        # when a sheet with a good row, then one in the future, one not a date and one before
        # the plan is sent
        bad = _sheet(("2026-12-30", first), ("2027-01-06", first), ("hôm qua", first),
                     ("31/12/2025", second))  # fmt: skip
        refused = await officer.post(API, files={"file": ("so.csv", bad, "text/csv")})
        # then the whole sheet is refused, each bad row named by its line and the column
        assert refused.status_code == 422, refused.text
        body = refused.json()
        # (in the caller's language: Vietnamese by default)
        assert "không dòng nào được lưu" in body["message"]
        wrong = {r["line"]: r["errors"] for r in body["rows"] if not r["ok"]}
        assert sorted(wrong) == [3, 4, 5]
        assert all(e[0]["field"] == "ngay_tiep_nhan" for e in wrong.values())
        assert "in the future" in wrong[3][0]["message_en"]
        assert "not a received date" in wrong[4][0]["message_en"]
        assert "before the plan" in wrong[5][0]["message_en"]
        assert [r["ok"] for r in body["rows"]] == [True, False, False, False]
        assert await _ward_signals() == before
        # when the corrected register is sent: one letter of 30 December, one of 4 January
        sent = await officer.post(API, files={"file": ("so.csv", _sheet(
            ("2026-12-30", first), ("04/01/2027", second)), "text/csv")})  # fmt: skip
        # then both are kept, each received on its own date
        assert sent.status_code == 201, sent.text
        rows = (await _ward_signals())[len(before) :]
        assert [r["received_on"] for r in rows] == [dt.date(2026, 12, 30), dt.date(2027, 1, 4)]
        # and each is decided by the plan in force on its received date
        async with system_scope():
            cases = {
                r["id"]: r["pack_version"]
                for r in await Case.select(Case.id, Case.pack_version).where(
                    Case.id.is_in([int(str(r["case_id"])) for r in rows])
                )
            }
        versions = [cases[int(str(r["case_id"]))] for r in rows]
        assert "2026" in versions[0] and "2027" in versions[1], versions
        # and a sibling ward and a commune of another province see none of them
        for code in (SIBLING, OTHER_COMMUNE):
            other, _ = await factory.api_client(code)
            for r in rows:
                assert (await other.get(f"/api/v1/cases/{r['case_id']}")).status_code == 404


async def test_the_page_lists_the_bad_dates_and_keeps_nothing(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    factory = Factory(tree2026)
    with frozen_on(TODAY):
        await _the_2027_plan_too()
        ward = await Tree.context(_tree(tree2026), WARD)
        await enable(ward, registry, "staff")
        cadre = await new_cadre(ward)
        client, _ = await factory.page_client(WARD)
        shown = await client.get(PAGE)
        assert shown.status_code == 200 and "ngay_tiep_nhan" in shown.text
        before = await _ward_signals()
        # when a register with a date in the future on its second row is uploaded
        resp = await client.post(
            PAGE,
            data={"_csrf_token": csrf(client)},
            files={
                "file": ("so.csv", _sheet(("2027-01-04", cadre), ("2027-02-01", cadre)), "text/csv")
            },
        )
        # then the page says nothing was kept and lists line 3, column ngay_tiep_nhan
        assert resp.status_code == 422
        table = resp.text.split('id="row-errors"', 1)[1].split("</table>", 1)[0]
        assert re.findall(r'data-label="Dòng">(\d+)</td>', table) == ["3"]
        assert "ngay_tiep_nhan" in table and "01/02/2027" in table
        assert await _ward_signals() == before
        # when the corrected register is uploaded, both letters are kept with their dates
        ok = await client.post(
            PAGE,
            data={"_csrf_token": csrf(client)},
            files={
                "file": ("so.csv", _sheet(("2027-01-04", cadre), ("2027-01-05", cadre)), "text/csv")
            },
        )
        assert ok.status_code == 201 and "govuk-notification-banner--success" in ok.text
        rows = (await _ward_signals())[len(before) :]
        assert [r["received_on"] for r in rows] == [dt.date(2027, 1, 4), dt.date(2027, 1, 5)]
        # and another ward's user cannot open the ward's page
        other, _ = await factory.page_client(SIBLING)
        assert (await other.get(PAGE)).status_code == 403


def _tree(db: Database) -> Tree:
    return Tree(name="2026", db=db, today=TODAY, plan_from=dt.date(2026, 1, 1), ward=WARD,
                sibling=SIBLING, parent=CITY, lower_level="commune", press_desk=WARD,
                outsider=OTHER_COMMUNE)  # fmt: skip
