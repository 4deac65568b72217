"""The case list page's rows, ready to show: every word, date and tag of a row made in Python.

A page shows 50 rows of six cells. Placed by jinja, each row was some twenty escapes and
attribute lookups through the template's generators (two thirds of the page's rendering); here
each row is one string: the page's words (column names, the statuses' names, the notes) are
looked up and escaped once per page, the deadline tags once per distinct due date, and a row's
own values (number, title, committee, dates) are escaped as they are placed. The template
places the rows' markup (:func:`rows_markup`) where its table body is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from html import escape

from markupsafe import Markup

from giamsat.calendar.working_calendar import WorkingCalendar
from giamsat.cases.schemas import CaseListItem
from giamsat.cases.statuses import STATUS_LABELS
from giamsat.web.i18n import Translator
from giamsat.web.list_pages import DeadlineTag, deadline, deadline_tag

#: How the lists write a date.
DATE_FORMAT = "%d/%m/%Y"


def status_names(tr: Translator) -> dict[str, str]:
    """Each status's name in ``tr``'s language, by its stored value."""
    return {status.value: tr.gettext(label) for status, label in STATUS_LABELS.items()}


def _tag_markup(tag: DeadlineTag | None) -> str:
    if tag is None:
        return ""
    element = escape(tag.element)
    return f'<{element} class="{escape(tag.css)}">{escape(tag.text)}</{element}>'


def rows_markup(
    items: Iterable[CaseListItem],
    tr: Translator,
    *,
    case_href: str,
    calendar: WorkingCalendar,
    today: dt.date,
    open_statuses: Collection[str],
) -> Markup:
    """The table rows of ``items``, in their order, in ``tr``'s language, each cell with its
    column's name as ``data-label`` (the phone layout shows it beside the value); a case's
    link is ``case_href`` and its id. Empty without items (the template says so)."""
    l_case, l_title, l_committee, l_status, l_received, l_due = (
        escape(tr.gettext(name))
        for name in ("Case", "Title", "Committee handling it", "Status", "Received", "Answer due")
    )
    href = escape(case_href)
    seen_status_only = escape(tr.gettext("Referred up: you see its status only"))
    status_only = f'<span class="gs-muted">{seen_status_only}</span>'
    complex_case = escape(tr.gettext("Complex case"))
    complex_tag = f' <strong class="govuk-tag govuk-tag--purple">{complex_case}</strong>'
    names = {value: escape(name) for value, name in status_names(tr).items()}
    tags: dict[dt.date, str] = {}  # rows of a page share few due dates, and days
    days: dict[dt.date, str] = {}

    def day(on: dt.date) -> str:
        if on not in days:
            days[on] = on.strftime(DATE_FORMAT)
        return days[on]

    def tag_of(item: CaseListItem) -> str:
        due_on = item.due_on
        if due_on is None or item.status not in open_statuses:
            return ""
        if due_on not in tags:
            tags[due_on] = _tag_markup(deadline_tag(tr, deadline(calendar, today, due_on)))
        return tags[due_on]

    def row(item: CaseListItem) -> str:
        title = status_only if item.access == "status" else escape(item.title)
        flag = complex_tag if item.complex_case else ""
        status = names.get(item.status) or escape(item.status or "—")
        due = day(item.due_on) if item.due_on else "—"
        return (
            '\n    <tr class="govuk-table__row">'
            f'\n      <td class="govuk-table__cell gs-nowrap" data-label="{l_case}">'
            f'<a class="govuk-link" href="{href}{item.id}">{escape(item.number)}</a></td>'
            f'\n      <td class="govuk-table__cell" data-label="{l_title}">{title}{flag}</td>'
            f'\n      <td class="govuk-table__cell" data-label="{l_committee}">'
            f"{escape(item.committee_name)}</td>"
            f'\n      <td class="govuk-table__cell" data-label="{l_status}">{status}</td>'
            f'\n      <td class="govuk-table__cell gs-nowrap" data-label="{l_received}">'
            f"{day(item.received_on)}</td>"
            f'\n      <td class="govuk-table__cell" data-label="{l_due}">{due} {tag_of(item)}</td>'
            "\n    </tr>\n  "
        )

    # every value placed is escaped: the page's words above, a row's own values in row()
    return Markup("".join(row(item) for item in items))  # noqa: S704
