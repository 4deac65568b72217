"""Errors raised while building or rendering documents (văn bản)."""

from __future__ import annotations

from collections.abc import Mapping


class DocumentError(ValueError):
    """A document cannot be built: the input is incomplete or contradicts the procedure.

    Subclasses ``ValueError`` so that msgspec turns it into a ``ValidationError`` when
    raised from a Struct's ``__post_init__`` during decoding; the message always names
    the offending field in plain words so a clerk can fix the input.

    Like the platform's errors, ``message`` is an English id of the catalogue (``N_``) with
    ``%(name)s`` placeholders filled from ``params``: whoever shows it (a delegation's page,
    the CLI) reads it in its reader's language from ``template`` and ``params``.
    """

    def __init__(self, message: str, *, params: Mapping[str, object] | None = None) -> None:
        self.template = message
        self.params = dict(params or {})
        self.message = message % self.params if self.params else message
        super().__init__(self.message)


class TemplateError(DocumentError):
    """An editable wording template is missing, malformed or uses an unknown placeholder."""
