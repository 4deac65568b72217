"""Names people read for figure keys and report statuses, in pages, documents and workbooks.

A figure key (``signals.indicator.DD1``, ``residence_comments.hoan_thanh``,
``partners.ldld.signals_received``) never reaches a reader: each part is named through the
message catalogue, an indicator by its text (the code only as a tag), an answer value by the
form's own wording. A withheld figure ("<3" once suppressed) is worded ("dưới 3"), and the
threshold is stated in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from giamsat.documents.model import Withheld
from giamsat.rulepacks.vocabulary import channel_name
from giamsat.web.i18n import DEFAULT_LANGUAGE, N_, Translator

#: Code → (Vietnamese, English) names known for this report: indicators of the pack in force,
#: answer values of the channels' forms, partner organisations.
Names = Mapping[str, tuple[str, str]]

_FIXED: dict[str, str] = {
    "cadres.supervised": N_("Cadres supervised"),
    "cases.opened": N_("Cases opened"),
    "cases.answered": N_("Cases answered"),
    "cases.overdue": N_("Cases overdue"),
    "delegations.formed": N_("Delegations formed"),
    "recommendations.issued": N_("Recommendations issued"),
    "recommendations.answered": N_("Recommendations answered"),
}
#: Keys made of a prefix and a code: the words of the prefix, then the code's name.
_PREFIXES: list[tuple[str, str]] = [
    ("signals.channel.", N_("Signals via channel")),
    ("signals.indicator.", N_("Signals on manifestation")),
    ("findings.", N_("Findings of manifestation")),
    ("residence_comments.", N_("Residence comments – result")),
    ("partners.", N_("Partner report")),
]
#: What a partner organisation's report counts (plan.partner_figures).
PARTNER_FIGURES: dict[str, str] = {
    "cadres_supervised": N_("cadres supervised"),
    "signals_received": N_("signals received"),
    "recommendations_made": N_("recommendations made"),
    "recommendations_answered": N_("recommendations answered"),
}
_INDICATOR_CODE = re.compile(r"^[A-ZĐ]{1,6}(\d{1,3}|-[A-Z0-9]{1,6})$")


def _pick(names: tuple[str, str], lang: str) -> str:
    return (names[1] or names[0]) if lang == "en" else names[0]


def _plain(code: str, lang: str) -> str:
    """An unknown code is never printed as it is stored: a snake_case or lower-case value is
    called what it is; an upper-case code (a manifestation's) stays."""
    if "_" in code or code.islower():
        return Translator(lang).gettext(N_("another value"))
    return code


def channel_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A channel by its name ("Nơi làm việc"), never its plugin name."""
    return channel_name(code, lang)


def indicator_name(code: str, lang: str = DEFAULT_LANGUAGE, names: Names | None = None) -> str:
    """ "Cá nhân chủ nghĩa, sống ích kỷ … (DD1)": the indicator's text, its code in brackets."""
    known = (names or {}).get(code)
    if known is None:
        return code
    return f"{_pick(known, lang)} ({code})"


def figure_label(key: str, lang: str = DEFAULT_LANGUAGE, names: Names | None = None) -> str:
    """The name of a figure key, in ``lang``; codes inside it named from ``names``."""
    tr = Translator(lang)
    names = names or {}
    if key in _FIXED:
        return tr.gettext(_FIXED[key])
    for prefix, words in _PREFIXES:
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix) :]
        lead = tr.gettext(words)
        if prefix == "signals.channel.":
            return f"{lead}: {channel_name(rest, lang)}"
        if prefix == "partners.":
            org, _, figure = rest.partition(".")
            who = _pick(names[org], lang) if org in names else _plain(org, lang)
            what = PARTNER_FIGURES.get(figure)
            return f"{lead} – {who}: {tr.gettext(what) if what else _plain(figure, lang)}"
        if rest in names:
            return f"{lead}: {indicator_name(rest, lang, names)}"
        if _INDICATOR_CODE.match(rest):
            return f"{lead} {rest}"
        return f"{lead}: {_plain(rest, lang)}"
    return _plain(key, lang)


def figure_code(key: str) -> str:
    """The indicator code a figure is about (``DD1`` for ``signals.indicator.DD1``), or ""."""
    for prefix in ("signals.indicator.", "findings."):
        if key.startswith(prefix) and _INDICATOR_CODE.match(key[len(prefix) :]):
            return key[len(prefix) :]
    return ""


_BELOW = re.compile(r"^<\s*(\d+)$")
_AT_LEAST = re.compile(r"^≥\s*(\d+)$")


def shown(value: object, lang: str = "vi") -> int | float | Withheld | str | None:
    """A figure as a reader sees it: a number stays a number; "<3" becomes "dưới 3" and
    "≥7" (a total with hidden parts) "ít nhất 7", as :class:`Withheld` so tables align it."""
    if isinstance(value, bool):
        return str(value)
    if value is None or isinstance(value, int | float | Withheld):
        return value
    text = str(value).strip()
    below = _BELOW.match(text)
    if below:
        n = below.group(1)
        return Withheld(text=f"fewer than {n}" if lang == "en" else f"dưới {n}")
    at_least = _AT_LEAST.match(text)
    if at_least:
        n = at_least.group(1)
        return Withheld(text=f"at least {n}" if lang == "en" else f"ít nhất {n}")
    return text


def threshold_sentence(threshold: int, lang: str = "vi") -> str:
    """The suppression rule in words, from the plan's actual threshold."""
    if lang == "en":
        return (
            f"Counts below {threshold} from people's reports are not published, to protect "
            "the people who reported; they are shown as “fewer than "
            f"{threshold}”."
        )
    return (
        f"Số liệu từ phản ánh của người dân dưới {threshold} trường hợp không công bố để bảo vệ "
        f"người phản ánh (ghi “dưới {threshold}”)."
    )


STATUS_LABELS: dict[str, str] = {
    "submitted": N_("Submitted"),
    "late": N_("Submitted late"),
    "missing": N_("Missing (overdue)"),
    "pending": N_("Not yet due"),
    "draft": N_("Draft"),
}


def status_label(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    message = STATUS_LABELS.get(status)
    return Translator(lang).gettext(message) if message else _plain(status, lang)
