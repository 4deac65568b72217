"""Downloads with file names a Vietnamese user recognises (tên tệp có dấu).

Browsers take the UTF-8 name from ``filename*`` (RFC 6266 with the RFC 5987 encoding); the plain
``filename`` is an ASCII fallback for old clients and for proxies that drop non-ASCII headers.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from giamsat.text import fold, nfc

#: Characters a file name may not carry on Windows, macOS or in a quoted header value.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(name: str) -> str:
    """The name in NFC with characters no file system accepts replaced by spaces."""
    return " ".join(_UNSAFE.sub(" ", nfc(name)).split())


def ascii_fallback(name: str) -> str:
    """The name without diacritics (đ → d), as hyphenated ASCII: ``quyet-dinh-….docx``."""
    stem, dot, ext = safe_name(name).rpartition(".")
    if not dot:
        stem, ext = safe_name(name), ""
    words = re.sub(r"[^a-z0-9]+", "-", fold(stem).lower()).strip("-") or "document"
    return f"{words}.{ext}" if ext else words


def content_disposition(name: str, fallback: str | None = None) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded`` for ``name``."""
    display = safe_name(name)
    plain = fallback or ascii_fallback(display)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(display, safe='')}"
