"""Demo step: the city's 2022 plan in force from 2022-01-01, and a demo plan for this year.

A pack applies only up to its plan's ``effective_to``, so a demo run after 2023 would leave
every signal taken in today without a decision ("no plan in force for this date"). The demo
therefore also issues the latest pack in ``rules/`` again for the current year, marked as a
demo (plan id ``hn-demo-<year>-…``, name prefixed "(Demo)"), the way a city issues each
year's plan in January. Both steps are skipped when already published.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from giamsat.errors import Conflict
from giamsat.plans.files import read_folder
from giamsat.plans.service import history, publish

RULES = Path(__file__).resolve().parents[3] / "rules"
PACK_2022 = RULES / "2022-ha-noi"
LATEST = RULES / "2023-ha-noi"
LATEST_YEAR = 2023


def current_year_files(year: int) -> dict[str, str]:
    """The latest pack's files re-issued as a demo plan for ``year`` (1 January–31 December)."""
    files = read_folder(LATEST)
    text = files["pack.yaml"]
    for old, new in (
        (f"id: hn-{LATEST_YEAR}-", f"id: hn-demo-{year}-"),
        (f"year: {LATEST_YEAR}", f"year: {year}"),
        (f"effective_from: {LATEST_YEAR}-01-01", f"effective_from: {year}-01-01"),
        (f"effective_to: {LATEST_YEAR}-12-31", f"effective_to: {year}-12-31"),
        ("    vi: ", "    vi: (Demo) "),
        ("    en: ", "    en: (Demo) "),
    ):
        if old not in text:
            raise ValueError(f"{LATEST}/pack.yaml: expected {old!r} to re-date it for the demo")
        text = text.replace(old, new, 1)
    return {**files, "pack.yaml": text}


async def plans_demo() -> None:
    """Publish ``rules/2022-ha-noi`` for committee 01 (and this year's demo plan after 2023)."""
    from giamsat.rulepacks import load_pack

    published = {v.version for v in await history("01")}
    if load_pack(PACK_2022).version not in published:
        await publish(PACK_2022, "01", dt.date(2022, 1, 1), username="demo")
    year = dt.date.today().year
    if year <= LATEST_YEAR:
        return
    with contextlib.suppress(Conflict):  # already published by an earlier demo run
        await publish(current_year_files(year), "01", dt.date(year, 1, 1), username="demo")
