"""Demo step: the city's 2022 plan in force from 2022-01-01 (skipped when already published)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from giamsat.plans import install
from giamsat.plans.service import history, publish

PACK_2022 = Path(__file__).resolve().parents[3] / "rules" / "2022-ha-noi"


async def plans_demo() -> None:
    """Publish ``rules/2022-ha-noi`` for committee 01 and hook evaluation into intake."""
    install()
    from giamsat.rulepacks import load_pack

    version = load_pack(PACK_2022).version
    if any(v.version == version for v in await history("01")):
        return
    await publish(PACK_2022, "01", dt.date(2022, 1, 1), username="demo")
