"""``giamsat calendar``: check due dates and a year's calendar from the command line.

Operators use it to answer "when is this answer due?" and to review a newly announced year
before entering it; ``--overrides`` lets them try a year's entries from a YAML file first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import msgspec

from giamsat.calendar import CalendarError, CalendarOverride, WorkingCalendar
from giamsat.calendar.working_calendar import weekday_name

_OVERRIDES_HELP = (
    "YAML list of extra overrides (date, kind: holiday|working_day, reason), "
    "as an admin would enter them."
)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _load_calendar(overrides: Path | None) -> WorkingCalendar:
    if overrides is None:
        return WorkingCalendar()
    try:
        entries = msgspec.yaml.decode(overrides.read_bytes(), type=list[CalendarOverride])
    except (OSError, msgspec.DecodeError) as exc:
        raise click.ClickException(f"cannot read overrides from {overrides}: {exc}") from exc
    return WorkingCalendar(entries)


def _fail(error: CalendarError) -> click.ClickException:
    return click.ClickException(error.message)


@click.group(name="calendar")
def group() -> None:
    """Lịch làm việc chính thức: working-day due dates on the public-sector calendar."""


@group.command(name="due")
@click.argument("received")
@click.argument("days", type=int)
@click.option("--overrides", type=click.Path(path_type=Path, dir_okay=False), help=_OVERRIDES_HELP)
def due(received: str, days: int, overrides: Path | None) -> None:
    """Print the day DAYS working days after RECEIVED (YYYY-MM-DD), then the days skipped.

    The day of receipt is not counted (Civil Code 2015 art. 147).
    """
    start = _parse_date(received)
    calendar = _load_calendar(overrides)
    try:
        result = calendar.add_working_days(start, days)
    except CalendarError as exc:
        raise _fail(exc) from exc
    click.echo(result.due.isoformat())
    for day in result.skipped:
        click.echo(f"{day.date.isoformat()}  {day.reason} / {day.reason_en}")


@group.command(name="show")
@click.argument("year", type=int)
@click.option("--overrides", type=click.Path(path_type=Path, dir_okay=False), help=_OVERRIDES_HELP)
def show(year: int, overrides: Path | None) -> None:
    """List YEAR's weekdays off and its weekend days worked by swap."""
    calendar = _load_calendar(overrides)
    try:
        days = calendar.year_days(year)
    except CalendarError as exc:
        raise _fail(exc) from exc
    for day in days:
        status = "làm việc / working" if day.working else "nghỉ / day off"
        name_vi, _ = weekday_name(day.date)
        click.echo(
            f"{day.date.isoformat()}  {name_vi:<8}  {status:<18}  {day.reason} / {day.reason_en}"
        )
