"""What a city's staff read when a pack is refused: schema problems in plain words.

msgspec reports ``Expected `int`, got `str` - at `$.year``` or ``Invalid RFC3339 encoded date``;
staff who write a yearly plan need "năm phải là số" and "ngày phải viết dạng 2024-11-20".
Each function returns the message in Vietnamese and in English, worded in the catalogue
(English message ids, Vietnamese in ``messages.po``).
"""

from __future__ import annotations

import datetime as dt
import re

from giamsat.web.i18n import N_, Translator, in_both

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")

_TYPES = {
    "int": N_("a whole number"),
    "str": N_("a text"),
    "bool": N_("true or false"),
    "array": N_("a list"),
    "object": N_("an entry with fields"),
    "float": N_("a number"),
    "null": N_("left empty"),
    "date": N_("a date (year-month-day)"),
}


def date_message(value: object) -> tuple[str, dict[str, object]]:
    """Why ``value`` is not a date the pack accepts: a catalogue id and its parameters."""
    text = str(value)
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return (
                N_("'%(text)s' is not a real date; write dates as year-month-day, e.g. 2024-11-20"),
                {"text": text},
            )
        return (
            N_("write the date as %(iso)s (year-month-day), not %(text)s"),
            {"iso": iso, "text": text},
        )
    ymd = _YMD.match(text)
    if ymd:
        year, month, day = (int(g) for g in ymd.groups())
        if not 1 <= month <= 12:
            return (
                N_("'%(text)s' is not a real date: there is no month %(month)s"),
                {"text": text, "month": month},
            )
        return (
            N_("'%(text)s' is not a real date: month %(month)s has no day %(day)s"),
            {"text": text, "month": month, "day": day},
        )
    return (
        N_("'%(text)s' is not a date; write dates as year-month-day, e.g. 2024-11-20"),
        {"text": text},
    )


def date_problem(value: object) -> tuple[str, str]:
    """Explain, in Vietnamese and in English, why ``value`` is not a date the pack accepts."""
    message, params = date_message(value)
    return in_both(message, **params)


_EXPECTED = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`")
_MISSING = re.compile(r"^Object missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]+)`")
_INVALID_ENUM = re.compile(r"^Invalid enum value (.+)$")


def _types(name: str, tr: Translator) -> str:
    parts = [p.strip() for p in name.split("|")]
    either = f" {tr.gettext(N_('or'))} "
    return either.join(tr.gettext(_TYPES[p]) if p in _TYPES else p for p in parts)


def schema_problem(message: str, value: object) -> tuple[str, str]:
    """Plain Vietnamese and English for a msgspec validation message (its path removed)."""
    if "RFC3339" in message and "date" in message:
        return date_problem(value)
    if found := _EXPECTED.match(message):
        wanted, got = found.groups()
        vi, en = Translator("vi"), Translator("en")
        expected = N_("must be %(wanted)s, found %(got)s")
        return (
            vi.gettext(expected, wanted=_types(wanted, vi), got=_types(got, vi)),
            en.gettext(expected, wanted=_types(wanted, en), got=_types(got, en)),
        )
    if found := _MISSING.match(message):
        return in_both(N_("required field `%(field)s` is missing"), field=found.group(1))
    if found := _UNKNOWN.match(message):
        return in_both(
            N_("unknown field `%(field)s` (a misspelt name?)"),
            field=found.group(1),
        )
    if found := _INVALID_ENUM.match(message):
        return in_both(N_("%(value)s is not one of the allowed values"), value=found.group(1))
    return in_both(N_("not in the expected format: %(problem)s"), problem=message)
