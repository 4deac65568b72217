"""The indicator codes a channel may name until a published rule pack supplies its own catalogue.

DD1–DD9 and DD-CV (workplace, NQ TW4 khóa XII and public-service ethics), NCT1–NCT7 (duties at
the place of residence, QĐ 213), CT1–CT9 and TDB1–TDB9 (the rest of the 27 manifestations).
"""

from __future__ import annotations

DEFAULT_INDICATOR_CODES: frozenset[str] = frozenset(
    [f"DD{i}" for i in range(1, 10)]
    + ["DD-CV"]
    + [f"NCT{i}" for i in range(1, 8)]
    + [f"CT{i}" for i in range(1, 10)]
    + [f"TDB{i}" for i in range(1, 10)]
)
