"""The words people read for the codes the platform stores (kênh, loại thông tin, cấp quản lý …).

One vocabulary for pages, the plan editor, workbooks and reports: each table maps a stored code
(``workplace``, ``key_official``) to its English message id; the Vietnamese is the catalogue's
translation (``locale/vi/LC_MESSAGES/messages.po``). :func:`word` shows a code in a language,
:func:`code_for` reads a word back (either language, or the code itself). Channels installed by
partners have no entry here: pages call them a partner channel.
"""

from __future__ import annotations

from typing import Final

from giamsat.web.i18n import DEFAULT_LANGUAGE, N_, Translator

Words = dict[str, str]

CHANNELS: Final[Words] = {
    "workplace": N_("Workplace (trade union)"),
    "residence": N_("Residence (Front work committee)"),
    "citizen": N_("Citizens' reports"),
    "press": N_("Press"),
    "suggestion_box": N_("Suggestion box"),
    "survey": N_("Survey form"),
    "organisation": N_("Member organisations"),
    "feedback_q99": N_("Feedback under Decision 99"),
    "staff_entry": N_("Entered by Front staff"),
}

SIGNAL_KINDS: Final[Words] = {
    "report": N_("Report"),
    "complaint": N_("Complaint"),
    "denunciation": N_("Denunciation"),
    "feedback": N_("Feedback"),
    "survey": N_("Survey"),
    "assessment": N_("Assessment"),
}

FLAGS: Final[Words] = {
    "corruption": N_("Corruption"),
    "press": N_("In the press"),
    "anonymous": N_("Unsigned (anonymous)"),
    "complex": N_("Complex case"),
}

MANAGING_LEVELS: Final[Words] = {
    "central": N_("Centrally managed"),
    "province": N_("Province-managed"),
    "district": N_("District-managed"),
    "commune": N_("Commune-managed"),
    "residence_party_cell": N_("Residence party cell"),
}

POSITIONS: Final[Words] = {
    "head": N_("Head"),
    "key_official": N_("Key official"),
    "cadre": N_("Cadre"),
    "party_member": N_("Party member"),
}

PRIORITIES: Final[Words] = {
    "low": N_("Low"),
    "normal": N_("Normal"),
    "high": N_("High"),
}

ON_OVERDUE: Final[Words] = {
    "escalate_to_parent": N_("Escalate to the parent committee"),
    "remind": N_("Remind only"),
}

YES_NO: Final[Words] = {"true": N_("Yes"), "false": N_("No")}

GROUP_BY: Final[Words] = {
    "indicator": N_("Manifestation"),
    "channel": N_("Channel"),
    "kind": N_("Kind"),
    "level": N_("Level"),
}

#: The register's unit types, stored in its own Vietnamese words (``vn-admin-units-*.csv``); not
#: in :data:`TABLES`, whose codes must never reach a page: these are words of the language.
UNIT_TYPES: Final[Words] = {
    "thành phố trung ương": N_("centrally-run city"),
    "tỉnh": N_("province"),
    "quận": N_("urban district"),
    "huyện": N_("rural district"),
    "thị xã": N_("town"),
    "thành phố": N_("provincial city"),
    "phường": N_("ward"),
    "xã": N_("commune"),
    "thị trấn": N_("township"),
    "đặc khu": N_("special zone"),
}

#: Every table by the name workbooks and templates use for it.
TABLES: Final[dict[str, Words]] = {
    "channels": CHANNELS,
    "kinds": SIGNAL_KINDS,
    "flags": FLAGS,
    "managing_levels": MANAGING_LEVELS,
    "positions": POSITIONS,
    "priorities": PRIORITIES,
    "on_overdue": ON_OVERDUE,
    "yes_no": YES_NO,
    "group_by": GROUP_BY,
}


def word(words: Words, code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The word for ``code`` in ``language`` (the code itself when there is none)."""
    message = words.get(code)
    return Translator(language).gettext(message) if message else code


def words_of(words: Words, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Every word of a table in ``language``, in the table's order (a workbook's drop-down)."""
    return [word(words, code, language) for code in words]


def channel_name(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A channel by its name; a partner's own channel, which has none here, as such."""
    message = CHANNELS.get(code, N_("Partner channel"))
    return Translator(language).gettext(message)


def code_for(words: Words, text: str) -> str | None:
    """The code a word stands for, in either language or as the code itself; else None."""
    wanted = " ".join(text.split()).casefold()
    vietnamese = Translator("vi")
    for code, message in words.items():
        if wanted in (code.casefold(), message.casefold(), vietnamese.gettext(message).casefold()):
            return code
    return None
