"""Vietnamese text handling: NFC on input, diacritic-free folding for search."""

from __future__ import annotations

import unicodedata


def nfc(value: str) -> str:
    """Normalise to NFC and trim: the only form that reaches storage or the rule engine."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Lower-case and strip diacritics so that "hoan kiem" matches "Hoàn Kiếm"."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
