"""The indicator catalogue a channel may name: the one of the rule pack in force for the committee.

A city (or district) publishes a yearly rule pack with its own catalogue (``indicators.yaml``);
the codes a form accepts and offers come from that pack, so a new year's indicator needs no code
change. Only when no pack is published for the committee or any of its ancestors does intake fall
back to the built-in list below, and an error about an indicator code says so.

Built-in list: DD1–DD9 and DD-CV (workplace, NQ TW4 khóa XII and public-service ethics), NCT1–NCT7
(duties at the place of residence, QĐ 213), CT1–CT9 and TDB1–TDB9 (the rest of the 27
manifestations).
"""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.channels import CatalogueEntry
from giamsat.plans.service import active_pack

DEFAULT_INDICATOR_CODES: frozenset[str] = frozenset(
    [f"DD{i}" for i in range(1, 10)]
    + ["DD-CV"]
    + [f"NCT{i}" for i in range(1, 8)]
    + [f"CT{i}" for i in range(1, 10)]
    + [f"TDB{i}" for i in range(1, 10)]
)

BUILT_IN_SOURCE = (
    "chưa ban hành kế hoạch giám sát: dùng danh mục mặc định / "
    "no rule pack published: built-in catalogue"
)


class IndicatorCatalogue(msgspec.Struct, frozen=True, kw_only=True):
    """The codes in force for one committee on one day, their wording, and where they came from."""

    codes: frozenset[str]
    #: code → Vietnamese wording (empty for the built-in list, which has no wording of its own).
    labels: dict[str, str] = {}
    #: code → English wording, where the pack gives one.
    labels_en: dict[str, str] = {}
    #: The codes in the pack's order (sorted for the built-in list).
    order: tuple[str, ...] = ()
    #: The pack version in force, or "" when the built-in list is used.
    pack_version: str = ""

    @property
    def source(self) -> str:
        """A short bilingual note for error messages."""
        if not self.pack_version:
            return BUILT_IN_SOURCE
        return f"kế hoạch giám sát {self.pack_version} / rule pack in force"

    def entries(self) -> tuple[CatalogueEntry, ...]:
        """The catalogue's entries with their texts, for the plugin's context."""
        return tuple(
            CatalogueEntry(
                code=code, text_vi=self.labels.get(code, ""), text_en=self.labels_en.get(code, "")
            )
            for code in self.order or sorted(self.codes)
        )


BUILT_IN = IndicatorCatalogue(codes=DEFAULT_INDICATOR_CODES)


class IndicatorItem(msgspec.Struct, frozen=True, kw_only=True):
    """One indicator (tiêu chí) a signal may name."""

    code: str
    label_vi: str


class IndicatorList(msgspec.Struct, frozen=True, kw_only=True):
    """The catalogue in force for the caller's committee today, as the API lists it."""

    pack_version: str
    source: str
    items: list[IndicatorItem]


def listed(catalogue: IndicatorCatalogue) -> IndicatorList:
    items = [IndicatorItem(code=c, label_vi=catalogue.labels.get(c, "")) for c in catalogue.codes]
    return IndicatorList(
        pack_version=catalogue.pack_version,
        source=catalogue.source,
        items=sorted(items, key=lambda item: item.code),
    )


async def catalogue_in_force(committee_path: str, on_date: dt.date) -> IndicatorCatalogue:
    """The catalogue of the pack in force for the committee (nearest issuer among it and its
    ancestors), or the built-in list when none is published. Packs are not tenant data."""
    published = await active_pack(committee_path, on_date)
    if published is None:
        return BUILT_IN
    indicators = published.pack().indicators
    return IndicatorCatalogue(
        codes=frozenset(item.code for item in indicators),
        labels={item.code: item.text_vi for item in indicators},
        labels_en={item.code: item.text_en for item in indicators if item.text_en},
        order=tuple(item.code for item in indicators),
        pack_version=published.version,
    )
