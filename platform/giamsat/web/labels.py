"""Names people read for the codes of the platform's enumerations (levels, roles, statuses).

Pages, documents and spreadsheets show these names, never the stored values. Templates get
``level_name``, ``role_name`` and ``status_name`` as globals that follow the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from giamsat.accounts.roles import ROLE_LABELS
from giamsat.cases.statuses import STATUS_LABELS
from giamsat.rulepacks import vocabulary
from giamsat.tenancy.levels import LEVEL_LABELS
from giamsat.web.i18n import DEFAULT_LANGUAGE, N_, Translator
from giamsat.web.list_pages import DeadlineTag, deadline_tag

Labels = Mapping[StrEnum, str]


def _name(table: Labels, value: object, language: str) -> str:
    for member, message in table.items():
        if member.value == value:
            return Translator(language).gettext(message)
    return str(value) if value else "—"


def _language(who: Translator | str) -> str:
    return who.language if isinstance(who, Translator) else who


def level_name(value: object, language: Translator | str = DEFAULT_LANGUAGE) -> str:
    return _name(LEVEL_LABELS, value, _language(language))  # type: ignore[arg-type]


def role_name(value: object, language: Translator | str = DEFAULT_LANGUAGE) -> str:
    return _name(ROLE_LABELS, value, _language(language))  # type: ignore[arg-type]


def status_name(value: object, language: Translator | str = DEFAULT_LANGUAGE) -> str:
    return _name(STATUS_LABELS, value, _language(language))  # type: ignore[arg-type]


#: What each entry of a case's history says happened (the stored action codes never show).
HISTORY_ACTIONS: dict[str, str] = {
    "opened": N_("Case opened"),
    "signal_attached": N_("Signal added to the case"),
    "status_changed": N_("Status changed"),
    "transferred": N_("Transferred to another committee"),
    "forwarded": N_("Sent up to the level above"),
    "merged": N_("Merged into another case"),
    "complexity_changed": N_("Complexity changed"),
    "clock_paused": N_("Clock paused"),
    "clock_resumed": N_("Clock resumed"),
    "assigned": N_("Assigned"),
    "escalated": N_("Overdue: reported to the level above"),
    "moved_by_succession": N_("Moved to the successor committee"),
}


#: The steps of a supervision delegation, a recommendation and a feedback item, as people call
#: them.
STEPS: dict[str, str] = {
    "planned": N_("Planned"),
    "decided": N_("Decision signed"),
    "notified": N_("Notice sent"),
    "report_received": N_("Report received"),
    "in_session": N_("Working session"),
    "minutes_recorded": N_("Minutes recorded"),
    "reported": N_("Results reported"),
    "results_reported": N_("Results reported"),
    "recommended": N_("Recommendations sent"),
    "answered": N_("Answered"),
    "awaiting_answer": N_("Awaiting answer"),
    "in_progress": N_("Being carried out"),
    "implemented": N_("Carried out"),
    "escalated": N_("Escalated to the Front committee above"),
    # a feedback item (góp ý) of Decision 99
    "received": N_("Newly received"),
    "sent": N_("Sent to the recipient"),
    "taken_in": N_("Taken into account"),
    "explained": N_("Explained"),
    "closed": N_("Closed"),
}


#: A delegation member's part in it.
MEMBER_ROLES: dict[str, str] = {
    "head": N_("Head of the delegation"),
    "deputy": N_("Deputy head"),
    "secretary": N_("Secretary"),
    "member": N_("Member"),
}


def member_role(value: str, language: Translator | str = DEFAULT_LANGUAGE) -> str:
    tr = language if isinstance(language, Translator) else Translator(language)
    known = MEMBER_ROLES.get(value)
    return tr.gettext(known) if known else "—"


def step_name(value: str, language: Translator | str = DEFAULT_LANGUAGE) -> str:
    tr = language if isinstance(language, Translator) else Translator(language)
    known = STEPS.get(value)
    return tr.gettext(known) if known else tr.gettext(N_("In progress"))


def action_name(value: str, language: Translator | str = DEFAULT_LANGUAGE) -> str:
    tr = language if isinstance(language, Translator) else Translator(language)
    known = HISTORY_ACTIONS.get(value)
    return tr.gettext(known) if known else tr.gettext(N_("Other change"))


#: The design system's tag colour for each status a page shows as a tag.
TAG_CLASSES = {
    "submitted": "govuk-tag--green",
    "late": "govuk-tag--orange",
    "missing": "govuk-tag--red",
    "pending": "govuk-tag--grey",
    "draft": "govuk-tag--grey",
}


def tag_class(status: str) -> str:
    return TAG_CLASSES.get(status, "govuk-tag--blue")


def number(value: object, language: str = DEFAULT_LANGUAGE) -> str:
    """A count the Vietnamese way (1.234) or the English way (1,234); text stays as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return _integer(value, language == "en")
    return format_decimal(value, locale="en" if language == "en" else "vi")


@lru_cache(maxsize=4096)
def _integer(value: int, english: bool) -> str:
    # babel reads the locale's patterns at each call (~20 µs); a list page shows a few counts
    return format_decimal(value, locale="en" if english else "vi")


def _lang(context: Context) -> str:
    lang = context.get("lang")
    return lang if isinstance(lang, str) else DEFAULT_LANGUAGE


@pass_context
def _level(context: Context, value: object) -> str:
    return level_name(value, _lang(context))


@pass_context
def _role(context: Context, value: object) -> str:
    return role_name(value, _lang(context))


@pass_context
def _status(context: Context, value: object) -> str:
    return status_name(value, _lang(context))


@pass_context
def _action(context: Context, value: str) -> str:
    return action_name(value, _lang(context))


#: How a case came to its successor committee, by the reorganisation's kind.
_SUCCESSION = {
    "merge": N_("Merged by the administrative reorganisation: %(old)s → %(new)s"),
    "split": N_("Split by the administrative reorganisation: %(old)s → %(new)s"),
}


@pass_context
def _event_reason(context: Context, action: str, reason: str, details: Mapping[str, Any]) -> str:
    """A history line's note in the page's language: a move to a successor committee is worded
    from its details (the committees by name); any other note is the words someone wrote."""
    kind, old, new = (details.get(k) for k in ("kind", "from_name", "to_name"))
    if action == "moved_by_succession" and kind in _SUCCESSION and old and new:
        return Translator(_lang(context)).gettext(_SUCCESSION[str(kind)], old=old, new=new)
    return reason


@pass_context
def _portal_status(context: Context, value: str) -> str:
    """A portal report's status in the words its reporter reads (the portal's stages)."""
    from giamsat.portal.stages import stage_of

    return Translator(_lang(context)).gettext(stage_of(value).text)


@pass_context
def _pick(context: Context, vi: str, en: str | None = None) -> str | Markup:
    """Text a partner or a plan gives in its own words (a plugin's labels, a rule's title, a
    legal basis): the page's language; on an English page without English, the Vietnamese
    marked as such (``lang="vi"``), so that a screen reader reads it as Vietnamese."""
    if _lang(context) != "en":
        return vi
    if en:
        return en
    return Markup('<span lang="vi">%s</span>') % vi if vi else vi


@pass_context
def _step(context: Context, value: str) -> str:
    return step_name(value, _lang(context))


@pass_context
def _member_role(context: Context, value: str) -> str:
    return member_role(value, _lang(context))


@pass_context
def _channel(context: Context, value: str) -> str:
    return vocabulary.channel_name(value, _lang(context))


@pass_context
def _word(context: Context, table: str, value: str) -> str:
    """A stored code by its word: ``word("positions", "key_official")``."""
    return vocabulary.word(vocabulary.TABLES[table], value, _lang(context))


@pass_context
def _unit_type(context: Context, value: str) -> str:
    """A committee's unit type as the register stores it (``phường``), in the page's language."""
    return vocabulary.word(vocabulary.UNIT_TYPES, value, _lang(context))


@pass_context
def _report_status(context: Context, value: str) -> str:
    from giamsat.reports.labels import status_label

    return status_label(value, _lang(context))


@pass_context
def _number(context: Context, value: object) -> str:
    return number(value, _lang(context))


@pass_context
def _deadline_tag(context: Context, d: Any, closed: object = False) -> DeadlineTag | None:
    return deadline_tag(Translator(_lang(context)), d, closed)


def install(environment: Environment) -> None:
    environment.globals.update(
        tag_class=tag_class,
        number=_number,
        report_status_name=_report_status,
        level_name=_level,
        role_name=_role,
        status_name=_status,
        action_name=_action,
        event_reason=_event_reason,
        channel_name=_channel,
        word=_word,
        unit_type_name=_unit_type,
        step_name=_step,
        member_role=_member_role,
        portal_status=_portal_status,
        pick=_pick,
        deadline_tag_of=_deadline_tag,
    )
