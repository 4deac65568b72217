"""The bulk-import page of a channel and the cadre-register import page: a sheet with a bad row
comes back with the row errors listed and nothing kept; another commune cannot use them."""

from __future__ import annotations

import re
import uuid

from giamsat.cadres.tables import Cadre
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.signals.tables import Signal
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre
from tests.integration.intake.test_intake import _sheet as workplace_sheet

BULK = "/c/00001/intake/workplace/bulk/assessment-sheet"


async def _signals_of(path: str) -> int:
    async with tenant_scope(path):
        return int(
            await Signal.count().where(
                (Signal.tenant_path == path) & (Signal.form_id == "assessment-sheet")
            )
        )


async def test_bulk_page_lists_row_errors_and_keeps_nothing(
    factory: Factory, registry: ChannelRegistry
) -> None:
    # given Phúc Xá with the workplace channel on and a staff member on its bulk page
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.page_client("00001", "democracy_law")
    shown = await client.get(BULK)
    assert shown.status_code == 200 and "ma_can_bo" in shown.text
    before = await _signals_of(ctx.path)
    # when a sheet whose second data row names an unknown cadre is uploaded
    resp = await client.post(
        BULK,
        data={"_csrf_token": csrf(client)},
        files={"file": ("cd.csv", workplace_sheet(cadre, "KHONG-CO"), "text/csv")},
    )
    # then the page says nothing was kept and lists line 3 with its error
    assert resp.status_code == 422
    table = resp.text.split('id="row-errors"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-label="Dòng">(\d+)</td>', table) == ["3"]
    assert await _signals_of(ctx.path) == before
    # when the corrected sheet is uploaded, both rows are kept
    ok = await client.post(
        BULK,
        data={"_csrf_token": csrf(client)},
        files={"file": ("cd.csv", workplace_sheet(cadre, await new_cadre(ctx)), "text/csv")},
    )
    assert ok.status_code == 201 and "govuk-notification-banner--success" in ok.text
    assert await _signals_of(ctx.path) == before + 2
    # and a user of another commune can neither open Phúc Xá's page nor see its signals
    other, _ = await factory.page_client("00004", "democracy_law")
    assert (await other.get(BULK)).status_code == 403
    sibling = await context_for("00004")
    async with tenant_scope(sibling.path):
        seen = await Signal.count().where(
            (Signal.tenant_path == ctx.path) & Signal.tenant_path.like(sibling.path + "%")
        )
    assert seen == 0


def _register_sheet(rows: list[str]) -> bytes:
    header = "Mã,Họ tên,Chức vụ,Loại,Nơi công tác,Xã cư trú,Cấp quản lý,Đơn vị quản lý,Đảng viên"
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


async def test_cadre_import_page_lists_row_errors_and_keeps_nothing(factory: Factory) -> None:
    # given a staff member of Phúc Xá on the register import page
    client, _ = await factory.page_client("00001", "organisation")
    assert (await client.get("/c/00001/cadres/import")).status_code == 200
    good, bad = (f"PG{uuid.uuid4().hex[:8].upper()}" for _ in range(2))
    data = _register_sheet(
        [
            f"{good},Trần Văn Một,Chủ tịch,người đứng đầu,UBND phường,00001,xã/phường,00001,có",
            f"{bad},Trần Văn Hai,,cán bộ,,00001,cấp vũ trụ,,có",
        ]
    )
    # when the sheet with one bad row (an unknown managing level) is uploaded
    resp = await client.post(
        "/c/00001/cadres/import",
        data={"_csrf_token": csrf(client)},
        files={"file": ("can_bo.csv", data, "text/csv")},
    )
    # then the page lists line 3 as the bad row and neither row is kept
    assert resp.status_code == 422
    table = resp.text.split('id="row-errors"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-label="Dòng">(\d+)</td>', table) == ["3"]
    async with system_scope():
        assert await Cadre.count().where(Cadre.code.is_in([good, bad])) == 0
    # and another commune's staff cannot post to Phúc Xá's import page
    other, _ = await factory.page_client("00004", "organisation")
    refused = await other.post(
        "/c/00001/cadres/import",
        data={"_csrf_token": csrf(other)},
        files={"file": ("can_bo.csv", data, "text/csv")},
    )
    assert refused.status_code == 403
