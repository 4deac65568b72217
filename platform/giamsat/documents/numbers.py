"""Numbers as Vietnamese (and English) readers write them: 1.234 and 12,5 % / 1,234 and 12.5 %.

Shared by the Word tables, the pages and the charts, so a figure reads the same everywhere; the
Excel workbook keeps real numbers with number formats instead (Excel applies the reader's locale).
"""

from __future__ import annotations

from giamsat.documents.model import ColumnKind, Withheld

#: Between a percentage and its sign, a space that never breaks the line.
NBSP = "\u00a0"


def _grouped(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_number(value: object, kind: ColumnKind = ColumnKind.INTEGER, lang: str = "vi") -> str:
    """``value`` worded for a reader: thousands grouped, the language's decimal mark."""
    if value is None:
        return ""
    if isinstance(value, Withheld):
        return value.text
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == ColumnKind.PERCENT:
        return f"{_grouped(value * 100, 1, lang)}{NBSP}%"
    if kind == ColumnKind.DECIMAL or (kind == ColumnKind.TEXT and isinstance(value, float)):
        return _grouped(float(value), 2, lang)
    return _grouped(round(value), 0, lang)
