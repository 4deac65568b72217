"""One language at a time: gettext catalogues through babel, Vietnamese by default.

Message ids are English (``_("Cases")``); the Vietnamese catalogue lives in
``giamsat/locale/vi/LC_MESSAGES/messages.po`` and is compiled to ``messages.mo`` by
``make install`` (``make i18n`` extracts new messages into it). English needs no catalogue: a
message id is its own English text.

Templates call ``_()`` / ``gettext`` / ``ngettext`` and ``{% trans %}`` (jinja2.ext.i18n); the
language is the template context's ``lang``, so macros must be imported ``with context``.
Python code takes a :class:`Translator` from ``giamsat.web.rendering.translator(request)`` and
marks module-level texts with :func:`N_` so that extraction finds them.
"""

from __future__ import annotations

import gettext as _gettext
import logging
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark a module-level text for extraction; translate it where it is shown."""
    return message


class Word(str):
    """A message id given as a parameter of another message (``Word(N_("the answer date"))``):
    it is translated with the message, so "Enter %(what)s." reads whole in either language."""


class Words(tuple[str, ...]):
    """Several message ids given as one parameter (the statuses a case may move to): each is
    translated with the message, put in quotation marks (a name may hold a comma itself:
    "Overdue, reported to the level above") and joined with ", "; ``str`` gives the English."""

    def __str__(self) -> str:
        return quoted_list(self)


def quoted_list(names: Iterable[str]) -> str:
    """“a”, “b”, “c”: names joined so that a comma inside one does not split it."""
    return ", ".join(f"\u201c{name}\u201d" for name in names)


class InBoth(str):
    """A parameter already worded in each language, that no one message id holds (a list of
    names, a rule pack's problems): the string is the English, ``vi`` the Vietnamese."""

    vi: str

    def __new__(cls, vi: str, en: str) -> InBoth:
        made = super().__new__(cls, en)
        made.vi = vi
        return made

    @classmethod
    def joined(cls, messages: list[str], separator: str = ", ") -> InBoth:
        """Message ids (``N_``) joined, each translated: "signals received, cases opened"."""
        vi, en = Translator("vi"), Translator("en")
        return cls(
            separator.join(vi.gettext(m) for m in messages),
            separator.join(en.gettext(m) for m in messages),
        )


def catalogue_path(language: str, suffix: str = ".mo") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def catalogue(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language``; English (the message ids) needs none."""
    if language not in LANGUAGES or language == "en":
        return NullTranslations()
    mo = catalogue_path(language)
    if not mo.exists():
        # A source checkout where `make install` has not compiled yet: compile in memory so
        # that pages still speak Vietnamese (the structure test insists on the built file).
        po = catalogue_path(language, ".po")
        log.warning("catalogue %s not compiled; reading %s", mo, po)
        import io

        with po.open("rb") as handle:
            parsed = read_po(handle, locale=language, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, parsed)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    with mo.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


class Translator:
    """The texts of one language, for Python code (flash messages, errors, documents)."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._catalogue = catalogue(self.language)

    def gettext(self, message: str, **variables: Any) -> str:
        text = self._catalogue.gettext(message)
        if not variables:
            return text
        return text % {name: self._param(value) for name, value in variables.items()}

    def _param(self, value: Any) -> Any:
        if isinstance(value, Word):
            return self._catalogue.gettext(value)
        if isinstance(value, Words):
            return quoted_list(self._catalogue.gettext(word) for word in value)
        if isinstance(value, InBoth):
            return value.vi if self.language == "vi" else str(value)
        return value

    def knows(self, message: str) -> bool:
        """True when ``message`` is one of the catalogue's texts (an English id)."""
        if self.language == "en":
            return message in catalogue("vi")._catalog  # type: ignore[attr-defined]
        return message in self._catalogue._catalog  # type: ignore[attr-defined]

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> str:
        text = self._catalogue.ngettext(singular, plural, n)
        return text % {"num": n, **variables}

    def pgettext(self, context: str, message: str) -> str:
        return self._catalogue.pgettext(context, message)


def translator(language: str) -> Translator:
    return Translator(language)


def in_both(message: str, **params: object) -> tuple[str, str]:
    """(Vietnamese, English) of a catalogue message, for a struct that carries both languages
    (a sheet row's problem, a refused cell): ``message`` is its English id (``N_``)."""
    return Translator("vi").gettext(message, **params), Translator("en").gettext(message, **params)


def _context_language(context: Context) -> str:
    lang = context.get("lang")
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE


@pass_context
def _template_gettext(context: Context, message: str) -> str:
    return catalogue(_context_language(context)).gettext(message)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return catalogue(_context_language(context)).ngettext(singular, plural, n)


@pass_context
def _template_pgettext(context: Context, ctx: str, message: str) -> str:
    return catalogue(_context_language(context)).pgettext(ctx, message)


@pass_context
def _template_npgettext(context: Context, ctx: str, singular: str, plural: str, n: int) -> str:
    return catalogue(_context_language(context)).npgettext(ctx, singular, plural, n)


def install(environment: Environment) -> None:
    """Give a jinja environment ``_``, ``gettext``, ``ngettext`` and ``{% trans %}``."""
    environment.add_extension("jinja2.ext.i18n")
    environment.add_extension("jinja2.ext.do")
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        newstyle=True,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )


#: How many texts without variables :func:`page_texts` keeps made, per language.
_PLAIN_TEXTS = 4096


@cache
def page_texts(language: str) -> dict[str, Callable[..., Markup]]:
    """``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` of ``language``, for a
    page's context (``giamsat.web.rendering.page`` adds them).

    They say what the environment's own (:func:`install`) say, as jinja's new-style gettext
    does for an autoescaping page (the text is markup, ``%`` fills and escapes its variables),
    but the language is bound once per page: the environment's read it from the context at each
    call, through jinja's context-passing call, which copies the whole context for a call
    inside a loop or a block. A template imported without context still uses the environment's.
    """
    texts = catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE)

    def trusted(text: str) -> Markup:
        # the catalogue's texts are the project's own, markup as jinja's gettext takes them
        return Markup(text)  # noqa: S704 - our catalogue, not user input

    # a page asks dozens of texts without variables: each is made once per process (at most
    # the catalogue's texts; a template passing other strings stops adding at the bound)
    plain: dict[str, Markup] = {}

    def gettext(__string: str, **variables: Any) -> Markup:
        text = plain.get(__string) if not variables else None
        if text is None:
            text = trusted(texts.gettext(__string)) % variables
            if not variables and len(plain) < _PLAIN_TEXTS:
                plain[__string] = text
        return text

    def ngettext(__singular: str, __plural: str, __num: int, **variables: Any) -> Markup:
        variables.setdefault("num", __num)
        return trusted(texts.ngettext(__singular, __plural, __num)) % variables

    def pgettext(__context: str, __string: str, **variables: Any) -> Markup:
        return trusted(texts.pgettext(__context, __string)) % variables

    def npgettext(
        __context: str, __singular: str, __plural: str, __num: int, **variables: Any
    ) -> Markup:
        variables.setdefault("num", __num)
        return trusted(texts.npgettext(__context, __singular, __plural, __num)) % variables

    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "pgettext": pgettext,
        "npgettext": npgettext,
    }


def pick_language(
    requested: str | None, accept: str | None, default: str = DEFAULT_LANGUAGE
) -> str:
    if requested in LANGUAGES:
        return requested
    if accept and accept.lower().startswith("en"):
        return "en"
    return default
