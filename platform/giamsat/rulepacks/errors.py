"""Errors raised while loading, validating, compiling or evaluating a rule pack."""

from __future__ import annotations

import msgspec

from giamsat.web.i18n import Translator


class PackError(msgspec.Struct, frozen=True, kw_only=True):
    """One problem found in a pack, located so that a city's staff can fix it.

    ``rule_id`` is the rule, example, indicator or section the problem belongs to
    (``-`` when it belongs to the file as a whole).
    """

    file: str
    line: int
    rule_id: str
    message: str
    #: The same problem in Vietnamese, from the catalogue, where it has been worded for staff.
    message_vi: str = ""
    #: A warning is worth a look but does not stop publication.
    warning: bool = False

    @classmethod
    def worded(
        cls, *, file: str, line: int, rule_id: str, message: str, **params: object
    ) -> PackError:
        """A problem worded in the catalogue: ``message`` is its English id (``N_``) with
        ``%(name)s`` placeholders; the Vietnamese is the catalogue's translation."""
        vi, en = Translator("vi"), Translator("en")
        return cls(
            file=file,
            line=line,
            rule_id=rule_id,
            message=en.gettext(message, **params),
            message_vi=vi.gettext(message, **params) if vi.knows(message) else "",
        )

    def text(self, language: str = "vi") -> str:
        """The message in ``language`` (Vietnamese falls back to English where not worded)."""
        return self.message_vi or self.message if language == "vi" else self.message

    def render(self, language: str = "en") -> str:
        """Return the ``file:line: rule-id: message`` form printed by the CLI."""
        return f"{self.file}:{self.line}: {self.rule_id}: {self.text(language)}"


class PackInvalid(Exception):
    """A pack failed validation; ``errors`` holds every problem found, not just the first."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))


class RuleEngineError(RuntimeError):
    """durable_rules reported a failure (an action raised, or the ruleset was rejected)."""


class FactsInvalid(ValueError):
    """The facts handed to an evaluator break the boundary contract (e.g. no signals)."""
