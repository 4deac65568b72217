"""Receipt codes (mã tra cứu): shown to the reporter once, stored only as a SHA-256 hash.

A code is 20 characters of RFC 4648 base32 in four groups of five (100 bits of randomness), so
a plain SHA-256 is enough: nobody can enumerate 2^100 codes, and there is no password to stretch.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

GROUPS = 4
GROUP_LENGTH = 5
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
#: Characters people confuse with base32 letters when copying a code by hand.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code() -> str:
    """A fresh receipt code like ``K7QJX-2MFRA-P4ZTB-W6NCE``."""
    raw = base64.b32encode(secrets.token_bytes(GROUPS * GROUP_LENGTH * 5 // 8)).decode("ascii")
    body = raw[: GROUPS * GROUP_LENGTH]
    return "-".join(body[i : i + GROUP_LENGTH] for i in range(0, len(body), GROUP_LENGTH))


def normalise(code: str) -> str | None:
    """The code's 20 significant characters, upper-case; None when it cannot be a code."""
    text = "".join(ch for ch in code.upper() if ch not in " -_.").translate(_LOOKALIKES)
    if len(text) != GROUPS * GROUP_LENGTH or not set(text) <= _ALPHABET:
        return None
    return text


def code_hash(code: str) -> str | None:
    """The stored form of a code (hex SHA-256 of its normalised text), None if malformed."""
    text = normalise(code)
    return None if text is None else hashlib.sha256(text.encode("ascii")).hexdigest()
