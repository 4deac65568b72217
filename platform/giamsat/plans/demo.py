"""Demo step: the city's 2022 plan (the seed, and the history) and its 2026 plan (in force today).

A pack applies only up to its plan's ``effective_to``: the 2022 plan decides the sample work of
2022, and the 2026 plan, written for the two-level structure, decides what comes in now. Both
are the shipped folders of ``rules/``, published as an operator would; each step is skipped when
that version is already published.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from giamsat.plans.service import history, publish

RULES = Path(__file__).resolve().parents[3] / "rules"
PACK_2022 = RULES / "2022-ha-noi"
PACK_2026 = RULES / "2026-ha-noi"


async def plans_demo() -> None:
    """Publish ``rules/2022-ha-noi`` and ``rules/2026-ha-noi`` for committee 01."""
    from giamsat.rulepacks import load_pack

    published = {v.version for v in await history("01")}
    for folder, effective in ((PACK_2022, dt.date(2022, 1, 1)), (PACK_2026, dt.date(2026, 1, 1))):
        if load_pack(folder).version not in published:
            await publish(folder, "01", effective, username="demo")
