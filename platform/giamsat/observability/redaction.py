"""Removing personal data and secrets from log text before it is written anywhere.

Logs leave the platform (log collectors, support tickets), reporters' identities must not. The
rules are deliberately broad: a redacted case number costs little, a leaked reporter a lot.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "***"

#: Field names whose values are never logged (compared in lower case, ``-`` as ``_``).
SENSITIVE_KEYS = frozenset({
    "password", "passwd", "new_password", "current_password", "password_hash", "token",
    "access_token", "session_token", "csrf_token", "_csrf_token", "authorization", "cookie",
    "secret", "secret_key", "identity_key", "smtp_password", "api_key", "receipt",
    "receipt_code", "reporter", "reporter_name", "reporter_phone", "reporter_email",
    "reporter_address", "reporter_identity", "reporter_id_number", "identity", "full_name",
    "phone", "email", "address", "id_number", "cccd", "cmnd",
})  # fmt: skip

_KEY_ALTERNATION = "|".join(sorted((re.escape(k) for k in SENSITIVE_KEYS), key=len, reverse=True))
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # key=value, key: value, "key": "value" (quoted or not), as in repr()s and query strings
    (re.compile(rf"""(?i)(["']?\b(?:{_KEY_ALTERNATION})\b["']?\s*[=:]\s*)(?:"[^"]*"|'[^']*'|[^\s,;&}}\]]+)"""),
     rf"\1{MASK}"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {MASK}"),
    # credentials inside URLs: scheme://user:password@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@"), rf"\1{MASK}@"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), MASK),  # e-mail addresses
    # Vietnamese phone numbers: 0 or +84 then nine digits, optional separators
    (re.compile(r"(?<![\w+])(?:\+84|0084|0)(?:[ .-]?\d){9}(?!\d)"), MASK),
    # citizen identity numbers (CCCD: 12 digits; old CMND: 9 digits)
    (re.compile(r"(?<![\w.])(?:\d{12}|\d{9})(?![\w.])"), MASK),
    # receipt codes handed to reporters look like GS-XXXX-XXXX (letters and digits)
    (re.compile(r"\b[A-Z]{2,4}-[A-Z0-9]{4}-[A-Z0-9]{4,}\b"), MASK),
    # the portal's receipt codes: four groups of five base32 characters (see portal.receipts)
    (re.compile(r"(?i)\b[A-Z2-7]{5}(?:[ -]?[A-Z2-7]{5}){3}\b"), MASK),
)  # fmt: skip


def redact_text(text: str) -> str:
    """``text`` with every personal-data or secret pattern replaced by ``***``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def is_sensitive_key(key: str) -> bool:
    return key.lower().replace("-", "_") in SENSITIVE_KEYS


def redact_value(key: str, value: Any) -> Any:
    """A structured field's value, masked when its name is sensitive, scrubbed when text."""
    if is_sensitive_key(key):
        return MASK
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {str(k): redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value("", v) for v in value]
    return value
