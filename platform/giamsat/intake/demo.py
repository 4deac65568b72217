"""Demo step: channels enabled for the Hà Nội demo committees, a few cadres, sample signals.

Everything goes through the real services; idempotency keys and existing codes make a re-run
add nothing.
"""

from __future__ import annotations

from datetime import date

from giamsat.cadres.schemas import CadreCreate
from giamsat.cadres.service import create_cadre
from giamsat.channels import build_registry
from giamsat.errors import Conflict
from giamsat.intake.channels_service import set_channel
from giamsat.intake.context import operator_context
from giamsat.intake.service import submit_form

#: (committee, code, name, position, kind, workplace, managing level, managing committee)
DEMO_CADRES = (
    (
        "01",
        "HN-TP-001",
        "Nguyễn Văn Thành",
        "Giám đốc Sở",
        "head",
        "Sở Xây dựng Hà Nội",
        "province",
        "01",
    ),
    (
        "001",
        "BD-001",
        "Trần Thị Hồng Nhung",
        "Trưởng phòng Tài nguyên và Môi trường",
        "key_official",
        "UBND quận Ba Đình",
        "district",
        "001",
    ),
    (
        "00001",
        "PX-001",
        "Lê Văn Hùng",
        "Phó Chủ tịch UBND phường",
        "key_official",
        "UBND phường Phúc Xá",
        "commune",
        "00001",
    ),
    (
        "00001",
        "PX-002",
        "Phạm Thị Lan",
        "Đảng viên sinh hoạt nơi cư trú",
        "party_member",
        "Trường THCS Phúc Xá",
        "residence",
        "00001",
    ),
)
DEMO_CHANNELS = ("workplace", "residence")


async def intake_demo() -> None:
    """Enable the shipped channels where their level fits, add cadres and two signals."""
    registry = build_registry()
    contexts = {code: await operator_context(code) for code in ("01", "001", "00001")}
    for ctx in contexts.values():
        for channel in DEMO_CHANNELS:
            info = next((i for i in registry.channels() if i.name == channel), None)
            if info is not None and ctx.committee_level in info.levels:
                await set_channel(ctx, registry, channel, enabled=True)
    for committee, code, name, position, kind, workplace, level, manager in DEMO_CADRES:
        try:
            await create_cadre(
                contexts[committee],
                CadreCreate(
                    code=code,
                    full_name=name,
                    position=position,
                    position_kind=kind,  # type: ignore[arg-type]
                    workplace=workplace,
                    managing_level=level,  # type: ignore[arg-type]
                    managing_committee=manager,
                    residence_commune="00001" if committee == "00001" else None,
                ),
            )
        except Conflict:
            continue
    phuc_xa = contexts["00001"]
    await submit_form(
        phuc_xa,
        registry,
        "workplace",
        "report",
        {
            "cadre": "PX-001",
            "indicator": "DD4",
            "union": "Công đoàn cơ quan UBND phường Phúc Xá",
            "occurred_on": "15/10/2022",
            "content": "Có biểu hiện chạy thành tích trong bình xét thi đua.",
        },
        idempotency_key="demo-workplace-report-1",
        received_on=date(2022, 10, 20),
    )
    await submit_form(
        contexts["001"],
        registry,
        "workplace",
        "report",
        {
            "cadre": "BD-001",
            "indicator": "DD7",
            "union": "Công đoàn cơ quan UBND quận Ba Đình",
            "content": "Phản ánh về việc gây phiền hà cho người dân khi giải quyết hồ sơ đất đai.",
        },
        idempotency_key="demo-workplace-report-2",
        received_on=date(2022, 11, 2),
    )
    await submit_form(
        phuc_xa,
        registry,
        "residence",
        "survey",
        {
            "residential_group": "Tổ dân phố số 12",
            "cadre": "PX-002",
            "surveyed_on": "25/10/2022",
            "nct1": "tot",
            "nct3": "chua_tot",
            "nct4": "chua_tot",
            "comment": "Ít tham gia sinh hoạt chi bộ và họp tổ dân phố.",
        },
        idempotency_key="demo-residence-survey-1",
        received_on=date(2022, 10, 28),
    )
