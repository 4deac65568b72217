"""The names of the manifestations and duties (DD1…, NCT1…) for pages: the catalogue of the
pack in force for the committee. Display only: the case workflow never looks at it."""

from __future__ import annotations

import datetime as dt

from giamsat.plans.service import active_pack


async def indicator_names(committee_path: str, on: dt.date) -> dict[str, tuple[str, str]]:
    """Code → (Vietnamese, English) text; empty when no pack is in force."""
    pack = await active_pack(committee_path, on)
    if pack is None:
        return {}
    return {i.code: (i.text_vi, i.text_en) for i in pack.pack().indicators}
