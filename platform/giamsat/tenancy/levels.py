"""Committee levels (cấp) and their labels."""

from __future__ import annotations

from enum import StrEnum

from giamsat.web.i18n import N_


class Level(StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


LEVEL_LABELS: dict[Level, str] = {
    Level.CENTRAL: N_("Central"),
    Level.PROVINCE: N_("Province/City"),
    Level.DISTRICT: N_("District"),
    Level.COMMUNE: N_("Commune"),
}

CENTRAL_CODE = "TW"
CENTRAL_NAME = "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"


def committee_title(unit_name: str, level: str) -> str:
    """The committee's own name: "Ủy ban MTTQ Việt Nam" + the unit's name."""
    if level == Level.CENTRAL:
        return CENTRAL_NAME
    return f"Ủy ban MTTQ Việt Nam {unit_name}"
