"""The cases list as an Excel workbook: every case the filters choose (all pages)."""

from __future__ import annotations

import datetime as dt

from giamsat.calendar.working_calendar import WorkingCalendar
from giamsat.cases.schemas import CaseListItem
from giamsat.documents.heading import made_on
from giamsat.web.i18n import N_, Translator
from giamsat.web.labels import status_name
from giamsat.web.list_pages import deadline
from giamsat.web.list_sheets import Cell, ListSheet, SheetColumn

#: The home page's work-queue views, as the title block names them.
VIEW_NAMES = {
    "overdue": N_("Overdue"),
    "due_soon": N_("Due within 3 working days"),
    "awaiting": N_("Awaiting the party committee's answer"),
}


def _deadline_text(
    tr: Translator, calendar: WorkingCalendar, today: dt.date, item: CaseListItem, open_: bool
) -> str:
    d = deadline(calendar, today, item.due_on) if open_ else None
    if d is None:
        return ""
    if d.overdue:
        return tr.ngettext(
            "Overdue by %(num)d working day", "Overdue by %(num)d working days", -d.days
        )
    if d.days == 0:
        return tr.gettext("Due today")
    return tr.ngettext("%(num)d working day left", "%(num)d working days left", d.days)


def cases_sheet(
    tr: Translator,
    *,
    issuer: str,
    items: list[CaseListItem],
    open_statuses: set[str],
    calendar: WorkingCalendar,
    today: dt.date,
    status: str,
    q: str,
    view: str,
) -> ListSheet:
    conditions = []
    if view in VIEW_NAMES:
        conditions.append(tr.gettext("List: %(name)s", name=tr.gettext(VIEW_NAMES[view])))
    if status:
        conditions.append(tr.gettext("Status: %(name)s", name=status_name(status, tr.language)))
    if q.strip():
        conditions.append(tr.gettext("Words in the title: %(words)s", words=q.strip()))
    if not conditions:
        conditions.append(tr.gettext("Every case the committee can see"))
    columns = [
        SheetColumn(header=tr.gettext("No."), kind="integer", width=6),
        SheetColumn(header=tr.gettext("Case number"), width=20),
        SheetColumn(header=tr.gettext("Title"), width=44),
        SheetColumn(header=tr.gettext("Committee handling it"), width=30),
        SheetColumn(header=tr.gettext("Status"), width=24),
        SheetColumn(header=tr.gettext("Received"), kind="date", width=13),
        SheetColumn(header=tr.gettext("Answer due"), kind="date", width=13),
        SheetColumn(header=tr.gettext("Deadline"), width=26),
        SheetColumn(header=tr.gettext("Complex case"), width=10),
    ]
    rows: list[list[Cell]] = []
    for n, item in enumerate(items, start=1):
        open_ = item.status in open_statuses
        title = (
            tr.gettext("Referred up: you see its status only")
            if item.access == "status"
            else item.title
        )
        rows.append([
            n, item.number, title, item.committee_name, status_name(item.status, tr.language),
            item.received_on, item.due_on,
            _deadline_text(tr, calendar, today, item, open_),
            tr.gettext("Yes") if item.complex_case else tr.gettext("No"),
        ])  # fmt: skip
    return ListSheet(
        sheet_name=tr.gettext("Cases"),
        issuer=issuer,
        title=tr.gettext("List of cases"),
        conditions=conditions,
        made_on=made_on(tr, today),
        columns=columns,
        rows=rows,
        note=tr.ngettext("%(num)d case in all.", "%(num)d cases in all.", len(items)),
    )
