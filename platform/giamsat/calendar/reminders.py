"""Reminding administrators, from 1 October, to confirm next year's calendar.

Each committee with an active administrator is reminded once per year: the reminder row's
unique key (``year:committee``) is claimed first, so a second sweep, the same day or later,
sends nothing. Once the year is confirmed (or shipped as checked data) nobody is reminded.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.accounts.roles import Role
from giamsat.accounts.tables import User
from giamsat.calendar.overrides_store import CalendarReminder, working_calendar
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.tenancy.tables import Committee

#: The reminders start on this day of each year (month, day).
REMIND_FROM = (10, 1)


class ReminderReport(msgspec.Struct, kw_only=True):
    year: int
    committees: int = 0
    skipped: str = ""

    def describe(self) -> str:
        if self.skipped:
            return f"{self.year}: {self.skipped}"
        return f"{self.year}: {self.committees} committees reminded to confirm the calendar"


async def remind_to_confirm(today: dt.date) -> ReminderReport:
    """Remind each committee's administrators to confirm ``today.year + 1``, once a year."""
    year = today.year + 1
    report = ReminderReport(year=year)
    if (today.month, today.day) < REMIND_FROM:
        report.skipped = f"reminders start on {REMIND_FROM[1]}/{REMIND_FROM[0]}"
        return report
    async with system_scope():
        calendar = await working_calendar()
        if not calendar.is_provisional(year):
            report.skipped = "already confirmed"
            return report
        rows = await User.select(User.committee).where(
            (User.role == Role.ADMIN.value) & (User.active == True)  # noqa: E712
        )
        committee_ids = sorted({r["committee"] for r in rows})
        committees = (
            await Committee.select(
                Committee._meta.primary_key, Committee.code, Committee.path
            ).where(Committee._meta.primary_key.is_in(committee_ids))
            if committee_ids
            else []
        )
    for committee in committees:
        async with tenant_scope(committee["path"]):
            claimed = (
                await CalendarReminder.insert(
                    CalendarReminder(
                        key=f"{year}:{committee['id']}", year=year, committee=committee["id"]
                    )
                )
                .on_conflict(target=CalendarReminder.key, action="DO NOTHING")
                .returning(CalendarReminder.id)
            )
            if not claimed:
                continue
            await notify(
                committee["id"],
                [Role.ADMIN.value],
                "calendar.confirm_year",
                Title(
                    vi=f"Lịch nghỉ năm {year} chưa được xác nhận: hãy nhập thông báo chính thức",
                    en=f"The {year} holiday calendar is not confirmed: enter the announcement",
                ),
                link=f"/c/{committee['code']}/calendar/",
            )
            report.committees += 1
    return report
