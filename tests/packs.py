"""Test data: the city's 2026 pack issued again for another year (a new year is a copied folder).

Tests at frozen dates after 2026 need a plan in force then; the city would publish that year's
plan as ``rules/<year>-ha-noi``. Here the 2026 folder stands in for it, its dates moved.
"""

from __future__ import annotations

from pathlib import Path

from giamsat.plans.files import read_folder

RULES = Path(__file__).resolve().parents[1] / "rules"
PACK_2026 = RULES / "2026-ha-noi"


def shipped_pack(folder: str, issuer: str) -> dict[str, str]:
    """The files of ``rules/<folder>`` with ``issuer`` as the issuing committee."""
    files = read_folder(RULES / folder)
    files["pack.yaml"] = files["pack.yaml"].replace(
        'issuing_committee: "01"', f'issuing_committee: "{issuer}"'
    )
    return files


def city_pack_for(year: int, issuer: str = "01") -> dict[str, str]:
    """``rules/2026-ha-noi`` re-dated to ``year`` (ids, names, plan dates, deadline, examples)."""
    files = read_folder(PACK_2026)
    moved = {name: text.replace("2026", str(year)) for name, text in files.items()}
    moved["pack.yaml"] = moved["pack.yaml"].replace(
        'issuing_committee: "01"', f'issuing_committee: "{issuer}"'
    )
    return moved
