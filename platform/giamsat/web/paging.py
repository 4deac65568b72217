"""The query parameters every list takes, with their bounds (a value outside is a clear 400).

Every list of the API answers one shape, :class:`giamsat.db.paging.Page`: ``items``, ``limit``,
``offset`` and ``total``; it takes ``limit`` (1–500, 50 by default) and ``offset``.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from giamsat.db.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page, PageRequest
from giamsat.errors import InvalidQuery
from giamsat.web.i18n import N_

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
#: A page number as a list page's links carry it (``?page=3``).
PageNumber = Annotated[str, Parameter(query="page", required=False, max_length=12)]
#: What a page says of a page number its links never carry.
NO_SUCH_PAGE = N_("There is no such page of the list: its pages are numbered from 1.")


def page_number(raw: str, size: int = PAGE_SIZE) -> PageRequest:
    """The rows of page ``raw`` (1-based; empty: page 1) of a staff list. A page past the end
    stays empty; anything but a whole number from 1 (``-1``, ``0``, ``x``) is a 400."""
    text = raw.strip()
    if not text:
        return PageRequest(limit=size)
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise InvalidQuery(NO_SUCH_PAGE, field="page")
    offset = (int(text) - 1) * size
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidQuery(NO_SUCH_PAGE, field="page")
    return PageRequest(limit=size, offset=offset)
