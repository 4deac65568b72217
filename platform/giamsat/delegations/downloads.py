"""A rendered delegation document ready for download (naming lives in ``web.downloads``)."""

from __future__ import annotations

import msgspec

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentFile(msgspec.Struct, frozen=True, kw_only=True):
    """One rendered document: its display name (UTF-8), an ASCII fallback, and the bytes."""

    name: str
    ascii_name: str
    content: bytes
    media_type: str = DOCX
