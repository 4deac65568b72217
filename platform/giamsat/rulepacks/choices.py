"""A pack's catalogue as the forms offer it: in its groups, each with a name people read.

The 2026 pack has 64 entries in six groups (the 27 manifestations of Resolution 4 in three
groups, the residence duties of Regulation 213, the 19 prohibitions of Regulation 37, public
service ethics). A form that lists them flat is a page of checkboxes; in groups, the officer opens
the one the signal is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import msgspec

from giamsat.rulepacks.model import Indicator
from giamsat.rulepacks.vocabulary import Words
from giamsat.web.i18n import N_, Translator

#: The groups the shipped packs use; a group a city adds later is shown as the plan's other
#: contents until it has a name here.
INDICATOR_GROUPS: Final[Words] = {
    "nq4-dao-duc-loi-song": N_(
        "Degradation of ethics and lifestyle (Resolution 4 of the 12th Central Committee)"
    ),
    "dao-duc-cong-vu": N_("Public-service and professional ethics"),
    "qd213-noi-cu-tru": N_("Duties of party members at their residence (Regulation 213-QĐ/TW)"),
    "nq4-tu-tuong-chinh-tri": N_(
        "Degradation of political ideology (Resolution 4 of the 12th Central Committee)"
    ),
    "nq4-tu-dien-bien": N_(
        "“Self-evolution” and “self-transformation” (Resolution 4 of the 12th Central Committee)"
    ),
    "qd37-dieu-cam": N_("What party members must not do (Regulation 37-QĐ/TW)"),
}
OTHER_GROUP: Final = N_("Other contents of the plan")


class IndicatorGroup(msgspec.Struct, frozen=True):
    """One group of a form's picker: its name and its (code, text) entries, in pack order."""

    title: str
    items: list[tuple[str, str]]


def grouped(indicators: Iterable[Indicator], lang: str) -> list[IndicatorGroup]:
    """The catalogue in its groups, in the order the pack first names each group."""
    tr = Translator(lang)
    items: dict[str, list[tuple[str, str]]] = {}
    for indicator in indicators:
        text = indicator.text_en if lang == "en" else indicator.text_vi
        items.setdefault(indicator.group, []).append((indicator.code, text))
    return [
        IndicatorGroup(title=tr.gettext(INDICATOR_GROUPS.get(group, OTHER_GROUP)), items=entries)
        for group, entries in items.items()
    ]


def ungrouped(entries: list[tuple[str, str]]) -> list[IndicatorGroup]:
    """A catalogue known only by its names: one group without a title."""
    return [IndicatorGroup(title="", items=entries)] if entries else []
