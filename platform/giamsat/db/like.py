"""Substring search with LIKE that treats the searched text literally, on both backends.

``%`` and ``_`` typed by a user must match themselves: ``q=%`` finds names containing a percent
sign, not every row. Piccolo's ``like`` has no ESCAPE clause, so the condition is written raw,
with the pattern bound as a parameter.
"""

from __future__ import annotations

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw


def contains(column: Column, text: str) -> WhereRaw:
    """``column`` contains ``text`` (already folded by the caller), wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name = f'"{column._meta.table._meta.tablename}"."{column._meta.db_column_name}"'
    return WhereRaw(f"{name} LIKE {{}} ESCAPE '\\'", f"%{escaped}%")


def contains_words(column: Column, text: str) -> WhereRaw:
    """``column`` contains ``text`` whatever the letter case, wildcards taken literally.

    The comparison lowers both sides in SQL (PostgreSQL lowers every letter; SQLite's ``LIKE``
    ignores the case of ASCII letters only).
    """
    lowered = text.lower()
    escaped = lowered.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name = f'"{column._meta.table._meta.tablename}"."{column._meta.db_column_name}"'
    return WhereRaw(f"lower({name}) LIKE {{}} ESCAPE '\\'", f"%{escaped}%")
