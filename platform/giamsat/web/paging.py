"""The query parameters every list takes, with their bounds (a value outside is a clear 400).

Every list of the API answers one shape, :class:`giamsat.db.paging.Page`: ``items``, ``limit``,
``offset`` and ``total``; it takes ``limit`` (1–500, 50 by default) and ``offset``.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from giamsat.db.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page, PageRequest

__all__ = [
    "DEFAULT_LIMIT", "PAGE_SIZE", "Depth", "Id", "Limit", "Offset", "Page", "PageNumber",
    "PageRequest", "Year", "page_number", "paging",
]  # fmt: skip

MAX_ID = 2**31 - 1

Limit = Annotated[
    int,
    Parameter(
        ge=1,
        le=MAX_LIMIT,
        description=f"How many items at most (1–{MAX_LIMIT}, {DEFAULT_LIMIT} by default).",
    ),
]
Offset = Annotated[
    int,
    Parameter(
        ge=0,
        le=MAX_OFFSET,
        description="How many items to skip: the next page starts at offset + limit, "
        "until it reaches total.",
    ),
]
#: An optional calendar year (the bounds must sit outside the ``| None``, or litestar drops them).
Year = Annotated[
    int | None, Parameter(ge=1900, le=2200, description="A calendar year (1900–2200).")
]
#: An optional row id given as a query parameter.
Id = Annotated[int | None, Parameter(ge=1, le=MAX_ID, description="A row id.")]
Depth = Annotated[int, Parameter(ge=1, le=10, description="How many levels below (1–10).")]


def paging(limit: int, offset: int) -> PageRequest:
    """The page a list handler was asked for (litestar has checked the bounds)."""
    return PageRequest(limit=limit, offset=offset)


#: Rows on one page of a staff list.
PAGE_SIZE = DEFAULT_LIMIT
#: A page number as a list page's links carry it (``?page=3``); anything else is page 1.
PageNumber = Annotated[str, Parameter(query="page", required=False, max_length=12)]


def page_number(raw: str, size: int = PAGE_SIZE) -> PageRequest:
    """The rows of page ``raw`` (1-based) of a staff list; a page past the end stays empty."""
    number = int(raw) if raw.strip().isdigit() else 1
    return PageRequest.checked(limit=size, offset=(max(number, 1) - 1) * size)
