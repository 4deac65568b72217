"""Errors raised while building or rendering documents (văn bản)."""

from __future__ import annotations


class DocumentError(ValueError):
    """A document cannot be built: the input is incomplete or contradicts the procedure.

    Subclasses ``ValueError`` so that msgspec turns it into a ``ValidationError`` when
    raised from a Struct's ``__post_init__`` during decoding; the message always names
    the offending field in plain words so a clerk can fix the input.
    """


class TemplateError(DocumentError):
    """An editable wording template is missing, malformed or uses an unknown placeholder."""
