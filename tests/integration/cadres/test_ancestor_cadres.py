"""A commune can name, in a signal, a cadre its district registered (code, name, position only);
a sibling commune's register stays invisible to it."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from giamsat.cadres.repository import CadreRepository
from giamsat.cadres.schemas import CadreCreate
from giamsat.cadres.service import create_cadre
from giamsat.channels import SubmissionInvalid, build_registry
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.intake.channels_service import set_channel
from giamsat.intake.service import submit_form
from giamsat.signals.tables import Signal
from giamsat.tenancy.tables import Committee
from tests.integration.audit.conftest import context_for

DISTRICT = "273"  # Đan Phượng: no other test registers cadres here


async def _two_communes(district: str) -> tuple[str, str]:
    async with system_scope():
        parent = await Committee.select(Committee.id).where(Committee.code == district).first()
        assert parent is not None
        rows = await Committee.select(Committee.code).where(
            Committee.parent == parent["id"]).order_by(Committee.code).limit(2)  # fmt: skip
    return rows[0]["code"], rows[1]["code"]


async def _register(code: str, level: str, name: str) -> str:
    cadre = f"AN{uuid.uuid4().hex[:8].upper()}"
    ctx = await context_for(code)
    await create_cadre(
        ctx,
        CadreCreate(
            code=cadre,
            full_name=name,
            position="Phó Chủ tịch UBND huyện",
            workplace="UBND huyện Đan Phượng",
            managing_level=level,  # type: ignore[arg-type]
        ),
    )
    return cadre


async def test_commune_names_a_district_cadre_but_not_a_siblings(db: object) -> None:
    # given a cadre registered by the district, and one registered by a sibling commune
    registry = build_registry()
    commune_code, sibling_code = await _two_communes(DISTRICT)
    commune, sibling = await context_for(commune_code), await context_for(sibling_code)
    district_cadre = await _register(DISTRICT, "district", "Lê Văn Huyện")
    sibling_cadre = await _register(sibling_code, "commune", "Phạm Thị Xã")
    await set_channel(commune, registry, "workplace", enabled=True)
    report = {"indicator": "DD4", "union": "CĐ xã", "content": "Phô trương thành tích"}
    # when the commune reports about the district's cadre
    result = await submit_form(
        commune, registry, "workplace", "report", report | {"cadre": district_cadre}
    )
    # then the signal is linked to that entry and named after it (the entry itself stays the
    # district's: only its nameplate is readable from the commune)
    async with tenant_scope(commune.path):
        row = await Signal.select(Signal.cadre, Signal.subject_text).where(
            Signal.id == result.signal_ids[0]).first()  # fmt: skip
        plates = await CadreRepository(commune).find_ancestor_registered_nameplates(
            [district_cadre, sibling_cadre]
        )
    assert list(plates) == [district_cadre]
    assert row == {"cadre": plates[district_cadre].id, "subject_text": "Lê Văn Huyện"}
    # and what the commune can learn of the entry is its code, name and position only
    assert msgspec.to_builtins(plates[district_cadre]) == {
        "id": plates[district_cadre].id,
        "code": district_cadre,
        "full_name": "Lê Văn Huyện",
        "position": "Phó Chủ tịch UBND huyện",
        "committee": DISTRICT,
    }
    # when it names the sibling commune's cadre
    with pytest.raises(SubmissionInvalid) as refused:
        await submit_form(
            commune, registry, "workplace", "report", report | {"cadre": sibling_cadre}
        )
    # then that cadre does not exist for it
    assert [e.field for e in refused.value.errors] == ["cadre"]
    # and the sibling commune sees nothing of the commune's signal
    async with tenant_scope(sibling.path):
        seen = await Signal.count().where(
            (Signal.id == result.signal_ids[0]) & Signal.tenant_path.like(sibling.path + "%")
        )
    assert seen == 0
    # and a commune of another district cannot name the district's cadre either
    elsewhere = await context_for("00001")
    await set_channel(elsewhere, registry, "workplace", enabled=True)
    with pytest.raises(SubmissionInvalid):
        await submit_form(
            elsewhere, registry, "workplace", "report", report | {"cadre": district_cadre}
        )
