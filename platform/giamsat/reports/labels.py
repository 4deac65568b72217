"""Names of the reports' figure keys and submission statuses, for pages, documents and sheets."""

from __future__ import annotations

from giamsat.rulepacks.vocabulary import channel_name
from giamsat.web.i18n import DEFAULT_LANGUAGE, N_, Translator

_FIXED: dict[str, str] = {
    "cadres.supervised": N_("Cadres supervised"),
    "cases.opened": N_("Cases opened"),
    "cases.answered": N_("Cases answered"),
    "cases.overdue": N_("Cases overdue"),
    "delegations.formed": N_("Delegations formed"),
    "recommendations.issued": N_("Recommendations issued"),
    "recommendations.answered": N_("Recommendations answered"),
}
#: Keys made of a prefix and a code: the words of the prefix, then the channel's name or the
#: code (a manifestation's or a partner's own code).
_PREFIXES: list[tuple[str, str]] = [
    ("signals.channel.", N_("Signals via channel")),
    ("signals.indicator.", N_("Signals on manifestation")),
    ("findings.", N_("Findings of manifestation")),
    ("residence_comments.", N_("Residence comments – result")),
    ("partners.", N_("Partner report")),
]


def figure_label(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    tr = Translator(lang)
    if key in _FIXED:
        return tr.gettext(_FIXED[key])
    for prefix, words in _PREFIXES:
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            named = channel_name(rest, lang) if prefix == "signals.channel." else rest
            return f"{tr.gettext(words)} {named}"
    return key


STATUS_LABELS: dict[str, str] = {
    "submitted": N_("Submitted"),
    "late": N_("Submitted late"),
    "missing": N_("Missing (overdue)"),
    "pending": N_("Not yet due"),
    "draft": N_("Draft"),
}


def status_label(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    message = STATUS_LABELS.get(status)
    return Translator(lang).gettext(message) if message else status
