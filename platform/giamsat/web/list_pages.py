"""What a staff list page needs around its rows: page links, sortable headers, deadline tags.

Links keep the list's filters: every href is the page's own query with one value changed, so
moving to page 3 keeps the status filter and the order, and sorting by another column keeps
the filters and goes back to page 1. A list page reads its rows through the same repository
paging primitive as the API (:func:`giamsat.db.paging.fetch_page`), and reads what it was asked
for (page, order, the query its links keep) in one place, :func:`list_request`: a value its
links never carry (``page=-1``, an unknown order) is a clear 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Literal
from urllib.parse import urlencode

import msgspec
from litestar import Request

from giamsat.calendar.working_calendar import WorkingCalendar
from giamsat.db.paging import Page, PageRequest
from giamsat.errors import InvalidQuery
from giamsat.web.i18n import N_, Translator
from giamsat.web.paging import PAGE_SIZE, page_number

#: Days left (working days) under which an open item is tagged "due soon".
DUE_SOON_WORKING_DAYS = 3


class PageLink(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the GOV.UK pagination list: a page number, or an ellipsis (``number`` 0)."""

    number: int
    href: str = ""
    current: bool = False


class Pagination(msgspec.Struct, frozen=True, kw_only=True):
    first: int
    last: int
    total: int
    pages: int
    previous: str | None
    next: str | None
    links: list[PageLink]


class SortHeader(msgspec.Struct, frozen=True, kw_only=True):
    """A sortable column's link and its ``aria-sort`` state."""

    href: str
    state: Literal["ascending", "descending", "none"]


class Deadline(msgspec.Struct, frozen=True, kw_only=True):
    """How an open item's due date stands today, in working days of the official calendar:
    ``days`` left (0: due today), or overdue by ``-days``."""

    days: int
    overdue: bool
    soon: bool


class ListRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What a staff list page was asked for: which rows, in which order, and its own query."""

    page: PageRequest
    #: One of the list's orders (a column, ``-`` first for descending).
    sort: str
    #: The page's query, one value per key (what its links keep).
    query: dict[str, str]


#: What a page says of an order its column headers never offer.
NO_SUCH_ORDER = N_("The list cannot be sorted that way: use its column headers.")


def list_request(
    request: Request[Any, Any, Any],
    *,
    sorts: Collection[str] = (),
    default_sort: str = "",
    size: int = PAGE_SIZE,
) -> ListRequest:
    """The page (``?page=``, 1-based) and order (``?sort=``, one of ``sorts``; empty: the
    default) a list page was asked for, with its query; anything else is a 400."""
    query = query_of(request)
    return ListRequest(
        page=page_number(query.get("page", ""), size),
        sort=sort_of(query.get("sort", ""), sorts, default_sort),
        query=query,
    )


def sort_of(raw: str, sorts: Collection[str], default: str) -> str:
    """``raw`` when it is one of the list's orders, the default when empty, else a 400."""
    if not raw:
        return default
    if raw not in sorts:
        raise InvalidQuery(NO_SUCH_ORDER, field="sort")
    return raw


class DeadlineTag(msgspec.Struct, frozen=True, kw_only=True):
    """What a list shows beside an open item's due date, in the page's language: a coloured
    tag (``strong``) when it is overdue, due today or due soon, else a muted note (``span``)."""

    element: Literal["strong", "span"]
    css: str
    text: str


def deadline_tag(
    tr: Translator, d: Deadline | Mapping[str, Any] | None, closed: object = False
) -> DeadlineTag | None:
    """The tag of ``d`` (a :class:`Deadline`, or a mapping with its three fields); None without
    a deadline or for a finished item. The ``deadline_tag`` macro of ``_lists.html`` shows it."""
    if d is None or closed:
        return None
    if isinstance(d, Mapping):
        days, overdue, soon = int(d["days"]), bool(d["overdue"]), bool(d["soon"])
    else:
        days, overdue, soon = d.days, d.overdue, d.soon
    if overdue:
        text = (
            tr.ngettext("Overdue by %(num)d working day", "Overdue by %(num)d working days", -days)
            if days < 0
            else tr.gettext("Overdue")
        )
        return DeadlineTag(element="strong", css="govuk-tag govuk-tag--red", text=text)
    if days == 0:
        return DeadlineTag(
            element="strong", css="govuk-tag govuk-tag--orange", text=tr.gettext("Due today")
        )
    left = tr.ngettext("%(num)d working day left", "%(num)d working days left", days)
    if soon:
        return DeadlineTag(element="strong", css="govuk-tag govuk-tag--yellow", text=left)
    return DeadlineTag(element="span", css="gs-muted", text=left)


def query_of(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The page's query, one value per key (what its links must keep)."""
    return {k: v for k, v in request.query_params.items() if isinstance(v, str)}


def href(query: Mapping[str, str], **changes: str | int | None) -> str:
    """The list's own address with some query values changed (``None`` or "" removes one)."""
    merged: dict[str, str] = dict(query)
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return "?" + urlencode(sorted(merged.items())) if merged else "?"


def pagination(query: Mapping[str, str], listed: Page[Any]) -> Pagination:
    """The GOV.UK pagination of ``listed``: previous, next, the first, last and nearby pages."""
    size = max(listed.limit, 1)
    pages = max((listed.total + size - 1) // size, 1)
    current = listed.offset // size + 1

    def link(number: int) -> str:
        return href(query, page=number if number > 1 else None)

    shown = sorted({1, pages, *range(max(current - 1, 1), min(current + 1, pages) + 1)})
    links = [PageLink(number=n, href=link(n), current=n == current) for n in shown]
    return Pagination(
        first=listed.first,
        last=listed.last,
        total=listed.total,
        pages=pages,
        previous=link(current - 1) if current > 1 else None,
        next=link(current + 1) if current < pages else None,
        links=_with_ellipses(links),
    )


def _with_ellipses(links: list[PageLink]) -> list[PageLink]:
    result: list[PageLink] = []
    previous = 0
    for item in links:
        if previous and item.number - previous > 1:
            result.append(PageLink(number=0))
        result.append(item)
        previous = item.number
    return result


def sort_headers(
    query: Mapping[str, str], current: str, columns: Iterable[str]
) -> dict[str, SortHeader]:
    """For each sortable column: the link that sorts by it (ascending first, then toggling)
    from page 1 with the filters kept, and whether the list is sorted by it now."""
    headers: dict[str, SortHeader] = {}
    for column in columns:
        if current == column:
            headers[column] = SortHeader(
                href=href(query, sort=f"-{column}", page=None), state="ascending"
            )
        elif current == f"-{column}":
            headers[column] = SortHeader(
                href=href(query, sort=column, page=None), state="descending"
            )
        else:
            headers[column] = SortHeader(href=href(query, sort=column, page=None), state="none")
    return headers


def deadline(calendar: WorkingCalendar, today: dt.date, due_on: dt.date | None) -> Deadline | None:
    """How ``due_on`` stands on ``today`` in working days; None without a due date."""
    if due_on is None:
        return None
    if due_on >= today:
        days = calendar.working_days_between(today, due_on)
    else:
        days = -calendar.working_days_between(due_on, today)
    return Deadline(
        days=days, overdue=due_on < today, soon=today <= due_on and days <= DUE_SOON_WORKING_DAYS
    )
