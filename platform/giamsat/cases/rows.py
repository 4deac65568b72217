"""The case list page's rows, ready to show: every word and date of a row computed in Python.

A page shows 50 rows of six cells. Computed in the template, each cell's label, date format and
deadline words were function calls through jinja's context (a macro call and a gettext lookup per
row among them), about two thirds of the page's cost; here the words of the page's language are
looked up once per page (the statuses' names) or once per distinct due date (the deadline
tags), and the template only places the strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

import msgspec

from giamsat.calendar.working_calendar import WorkingCalendar
from giamsat.cases.schemas import CaseListItem
from giamsat.cases.statuses import STATUS_LABELS
from giamsat.web.i18n import Translator
from giamsat.web.list_pages import DeadlineTag, deadline, deadline_tag

#: How the lists write a date.
DATE_FORMAT = "%d/%m/%Y"


class CaseRow(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the case list in the page's language (the template escapes every text)."""

    id: int
    number: str
    #: Empty when the committee sees the case's status only (it was referred up).
    title: str
    status_only: bool
    complex_case: bool
    committee_name: str
    #: The status's name, never its code.
    status: str
    received: str
    #: The due date, or "—" without one.
    due: str
    #: How the due date stands today; None for a finished case or one without a due date.
    tag: DeadlineTag | None


def status_names(tr: Translator) -> dict[str, str]:
    """Each status's name in ``tr``'s language, by its stored value."""
    return {status.value: tr.gettext(label) for status, label in STATUS_LABELS.items()}


def case_rows(
    items: Iterable[CaseListItem],
    tr: Translator,
    *,
    calendar: WorkingCalendar,
    today: dt.date,
    open_statuses: Collection[str],
) -> list[CaseRow]:
    """The rows of ``items``, in their order."""
    names = status_names(tr)
    tags: dict[dt.date, DeadlineTag | None] = {}  # rows of a page share few due dates

    def tag_of(due_on: dt.date | None) -> DeadlineTag | None:
        if due_on is None:
            return None
        if due_on not in tags:
            tags[due_on] = deadline_tag(tr, deadline(calendar, today, due_on))
        return tags[due_on]

    return [
        CaseRow(
            id=item.id,
            number=item.number,
            title=item.title,
            status_only=item.access == "status",
            complex_case=item.complex_case,
            committee_name=item.committee_name,
            status=names.get(item.status, item.status or "—"),
            received=item.received_on.strftime(DATE_FORMAT),
            due=item.due_on.strftime(DATE_FORMAT) if item.due_on else "—",
            tag=tag_of(item.due_on) if item.status in open_statuses else None,
        )
        for item in items
    ]
