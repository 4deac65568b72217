"""One way to read a page of a list, for the API and the pages alike.

A list is read as a :class:`Page`: at most ``limit`` items from ``offset``, with the ``total``
of items that match. :func:`fetch_page` reads the rows and a ``COUNT`` with the very same
conditions (the caller's scope among them) in one statement, the count a scalar subquery of
the rows' query, so the total costs what the conditions' index gives and never a second
round trip; only a page past the end of the list (no row to carry the count) asks it alone.
:func:`page_of` cuts a page from a short list that is computed rather than stored (a channel's
forms, a registry's plugins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.query import OrderByRaw
from piccolo.querystring import QueryString
from piccolo.table import Table

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: The largest offset (a signed 32-bit integer, as every id).
MAX_OFFSET = 2**31 - 1

#: One ordering term: a column or a raw SQL expression, and whether it ascends.
Order = tuple[Column | OrderByRaw, bool]


class PageRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Which part of a list to read."""

    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, msgspec.Meta(ge=0, le=MAX_OFFSET)] = 0

    @classmethod
    def checked(cls, limit: int = DEFAULT_LIMIT, offset: int = 0) -> PageRequest:
        """The request with both values brought inside their bounds (pages' own links)."""
        return cls(limit=min(max(limit, 1), MAX_LIMIT), offset=min(max(offset, 0), MAX_OFFSET))


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """A page of a list: ``items`` from ``offset`` (at most ``limit``), of ``total`` in all."""

    items: list[T]
    limit: int
    offset: int
    total: int

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with every item converted."""
        return Page(
            items=[convert(i) for i in self.items],
            limit=self.limit,
            offset=self.offset,
            total=self.total,
        )

    @property
    def first(self) -> int:
        """The 1-based position of the first item shown (0 for an empty page)."""
        return self.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.items)


def _ordered(select: Any, order: Sequence[Order]) -> Any:
    for term, ascending in order:
        select = select.order_by(term, ascending=ascending)
    return select


def _where(query: Any, conditions: Iterable[Combinable]) -> Any:
    for condition in conditions:
        query = query.where(condition)
    return query


async def fetch_page(
    table: type[Table],
    columns: Sequence[Any],
    where: Sequence[Combinable],
    order: Sequence[Order],
    request: PageRequest,
) -> Page[dict[str, Any]]:
    """Rows of ``table`` that meet every condition of ``where``, ordered, one page of them.

    Call inside the caller's scope, with the scope's condition among ``where``: the count is
    taken with the same conditions, so it never counts a row the caller cannot see.
    """
    count = _where(table.count(), where)
    total_column = QueryString("({})", count.querystrings[0]).as_alias(_TOTAL)
    select = _ordered(_where(table.select(*columns, total_column), where), order)
    rows = await select.limit(request.limit).offset(request.offset)
    if rows:
        total = int(rows[0][_TOTAL])
    elif request.offset == 0:
        total = 0
    else:  # past the end: no row carries the count
        total = int(await count)
    items = [dict(r) for r in rows]
    for item in items:
        del item[_TOTAL]
    return Page(items=items, limit=request.limit, offset=request.offset, total=total)


#: The rows' column that carries the list's total (dropped from the items).
_TOTAL = "giamsat_list_total"


async def fetch_all(
    table: type[Table], columns: Sequence[Any], where: Sequence[Combinable], order: Sequence[Order]
) -> list[dict[str, Any]]:
    """Every row that :func:`fetch_page` would page through (an export of the list)."""
    return [dict(r) for r in await _ordered(_where(table.select(*columns), where), order)]


def page_of(items: Sequence[T], request: PageRequest) -> Page[T]:
    """A page cut from a short list computed in memory."""
    return Page(
        items=list(items[request.offset : request.offset + request.limit]),
        limit=request.limit,
        offset=request.offset,
        total=len(items),
    )
