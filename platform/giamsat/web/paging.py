"""The query parameters every list takes, with their bounds (a value outside is a clear 400)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

MAX_ID = 2**31 - 1

Limit = Annotated[int, Parameter(ge=1, le=500, description="How many items at most (1–500).")]
Offset = Annotated[
    int, Parameter(ge=0, le=MAX_ID, description="How many items to skip, for the next page.")
]
#: An optional calendar year (the bounds must sit outside the ``| None``, or litestar drops them).
Year = Annotated[
    int | None, Parameter(ge=1900, le=2200, description="A calendar year (1900–2200).")
]
#: An optional row id given as a query parameter.
Id = Annotated[int | None, Parameter(ge=1, le=MAX_ID, description="A row id.")]
Depth = Annotated[int, Parameter(ge=1, le=10, description="How many levels below (1–10).")]
