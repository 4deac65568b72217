"""The cadre register: create, search without diacritics, import all-or-nothing, tenant privacy."""

from __future__ import annotations

import itertools
import uuid

import pytest

from giamsat.cadres import service
from giamsat.cadres.schemas import CadreCreate, CadreUpdate
from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, InvalidInput
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for

_n = itertools.count(1)


def code() -> str:
    return f"T{uuid.uuid4().hex[:8].upper()}"


async def test_search_finds_a_name_typed_without_diacritics(db: object) -> None:
    # given a cadre of Phường Phúc Xá with a fully accented name
    ctx = await context_for("00001")
    cadre_code = code()
    surname = f"Nguyễn Thị Hường {next(_n)}{uuid.uuid4().hex[:4]}"
    await service.create_cadre(
        ctx,
        CadreCreate(
            code=cadre_code,
            full_name=surname,
            managing_level="commune",
            managing_committee="00001",
            residence_commune="00001",
        ),
    )
    # when staff search without diacritics and in upper case
    found = await service.search_cadres(
        ctx, surname.replace("Nguyễn Thị Hường", "NGUYEN THI HUONG")
    )
    # then the cadre is found, with the committee codes resolved
    assert [(c.code, c.full_name, c.managing_committee) for c in found] == [
        (cadre_code, surname, "00001")
    ]
    # and another commune (Trúc Bạch, 00004) sees nothing of it
    other = await context_for("00004")
    assert await service.search_cadres(other, cadre_code) == []
    # and the district above sees it (its subtree)
    assert [c.code for c in await service.search_cadres(await context_for("001"), cadre_code)] == [
        cadre_code
    ]


async def test_create_refuses_a_duplicate_code_and_a_mismatched_managing_committee(
    db: object,
) -> None:
    # given a cadre already in the register
    ctx = await context_for("00001")
    cadre_code = code()
    await service.create_cadre(
        ctx, CadreCreate(code=cadre_code, full_name="Lê Văn Tám", managing_level="commune")
    )
    # when the same code is added again, or a district-managed cadre names a commune
    with pytest.raises(Conflict) as duplicate:
        await service.create_cadre(
            ctx, CadreCreate(code=cadre_code, full_name="X", managing_level="commune")
        )
    with pytest.raises(InvalidInput) as mismatch:
        await service.create_cadre(
            ctx,
            CadreCreate(
                code=code(), full_name="Y", managing_level="district", managing_committee="00001"
            ),
        )
    # then each error names its field
    assert duplicate.value.field == "code"
    assert mismatch.value.field == "managing_committee"


async def test_update_changes_position_and_keeps_the_rest(db: object) -> None:
    ctx = await context_for("00001")
    cadre_code = code()
    await service.create_cadre(
        ctx,
        CadreCreate(
            code=cadre_code,
            full_name="Phạm Văn Đồng",
            position="Chuyên viên",
            managing_level="commune",
        ),
    )
    # when the position changes
    view = await service.update_cadre(ctx, cadre_code, CadreUpdate(position="Trưởng phòng"))
    # then only the position changed
    assert (view.position, view.full_name, view.managing_level) == (
        "Trưởng phòng",
        "Phạm Văn Đồng",
        "commune",
    )


def _sheet(rows: list[str]) -> bytes:
    header = "Mã,Họ tên,Chức vụ,Loại,Nơi công tác,Xã cư trú,Cấp quản lý,Đơn vị quản lý,Đảng viên"
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


async def test_import_with_bad_rows_keeps_nothing_and_names_every_bad_row(db: object) -> None:
    # given a sheet with two good rows and three bad ones (unknown level, unknown commune,
    # repeated code)
    ctx = await context_for("00001")
    good1, good2, bad = code(), code(), code()
    data = _sheet(
        [
            f"{good1},Trần Văn Một,Chủ tịch,người đứng đầu,UBND phường,00001,xã/phường,00001,có",
            f"{bad},Trần Văn Hai,,cán bộ,,00001,cấp vũ trụ,,có",
            f"{good2},Trần Văn Ba,,cán bộ,,99999,quận/huyện,,không",
            f"{good1},Trần Văn Bốn,,cán bộ,,,tỉnh,,có",
        ]
    )
    # when it is imported
    report = await service.import_cadres(ctx, "can_bo.csv", data)
    # then nothing is kept, and each bad row is named by its line and column
    assert report.accepted is False
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "managing_level"),
        (4, "residence_commune"),
        (5, "code"),
    ]
    async with system_scope():
        kept = await Cadre.count().where(Cadre.code.is_in([good1, good2, bad]))
    assert kept == 0


async def test_import_of_a_good_sheet_keeps_every_row_and_updates_existing_codes(
    db: object,
) -> None:
    ctx = await context_for("00001")
    first, second = code(), code()
    await service.create_cadre(
        ctx, CadreCreate(code=first, full_name="Cũ", managing_level="commune")
    )
    data = _sheet(
        [
            f"{first},Đỗ Thị Mới,Phó Chủ tịch,cán bộ chủ chốt,UBND phường,00001,xã/phường,00001,có",
            f"{second},Vũ Văn Hai,,đảng viên,,00001,nơi cư trú,00001,có",
        ]
    )
    # when it is imported
    report = await service.import_cadres(ctx, "can_bo.csv", data)
    # then one row is new and one updated
    assert (report.accepted, report.created, report.updated) == (True, 1, 1)
    views = {c.code: c for c in await service.search_cadres(ctx, "do thi moi")}
    assert views[first].position_kind == "key_official"
    assert (await service.get_cadre(ctx, second)).managing_level == "residence"
    # and a sibling commune sees neither
    sibling = await service.search_cadres(await context_for("00004"), "vu van hai")
    assert second not in [c.code for c in sibling]


async def test_api_import_reports_rows_and_page_search_works(factory: Factory) -> None:
    # given a staff client of Phúc Xá
    client, _ = await factory.api_client("00001")
    bad = code()
    data = _sheet([f"{bad},Ngô Văn Lỗi,,cán bộ,,,không rõ,,có"])
    # when a bad sheet is posted to the API
    resp = await client.post("/api/v1/cadres/import", files={"file": ("ds.csv", data, "text/csv")})
    # then it is refused with the row named, and nothing is kept
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["line"] == 2
    assert (await client.get(f"/api/v1/cadres/{bad}")).status_code == 404
    # and a JSON create + diacritic-free search work through the API
    good = code()
    created = await client.post(
        "/api/v1/cadres",
        json={"code": good, "full_name": "Hoàng Minh Đức", "managing_level": "commune"},
    )
    assert created.status_code == 201, created.text
    found = await client.get("/api/v1/cadres", params={"q": "hoang minh duc"})
    assert good in [c["code"] for c in found.json()["items"]]
    # and another commune's user cannot read it
    other, _ = await factory.api_client("00004")
    assert (await other.get(f"/api/v1/cadres/{good}")).status_code == 404
    # and the register page lists it
    page, _ = await factory.page_client("00001")
    html = (await page.get("/c/00001/cadres/", params={"q": "hoang minh"})).text
    assert good in html
    form = await page.post(
        "/c/00001/cadres/new",
        data={
            "_csrf_token": csrf(page),
            "code": code(),
            "full_name": "Bùi Thị Xuân",
            "managing_level": "commune",
            "position_kind": "cadre",
        },
    )
    assert form.status_code in (302, 303), form.text
