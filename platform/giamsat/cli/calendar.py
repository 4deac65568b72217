"""``giamsat calendar``: check due dates and a year's calendar from the command line.

Operators use it to answer "when is this answer due?" and to review a newly announced year
before entering it. It reads the same calendar as the pages and the API: the shipped data plus
the administrators' overrides stored in the database (``GIAMSAT_DATABASE_URL``); ``--overrides``
lets them try a year's entries from a YAML file on top of those first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import msgspec

from giamsat.calendar import CalendarError, CalendarOverride, WorkingCalendar
from giamsat.calendar.confirmations import ConfirmedDay, YearConfirmation, confirm_year
from giamsat.calendar.overrides_store import working_calendar
from giamsat.calendar.working_calendar import provisional_note, weekday_name
from giamsat.cli._common import run, said, settings, with_database

_OVERRIDES_HELP = (
    "YAML list of extra overrides (date, kind: holiday|working_day, reason), "
    "as an admin would enter them."
)


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _file_overrides(overrides: Path | None) -> list[CalendarOverride]:
    if overrides is None:
        return []
    try:
        return msgspec.yaml.decode(overrides.read_bytes(), type=list[CalendarOverride])
    except (OSError, msgspec.DecodeError) as exc:
        raise click.ClickException(f"cannot read overrides from {overrides}: {exc}") from exc


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:"):
        return None
    return Path(url.split("://", 1)[1].removeprefix("/") if "://" in url else url)


def _load_calendar(overrides: Path | None) -> WorkingCalendar:
    """The deployment's calendar (shipped data + stored overrides), with the file's on top.

    A machine without a database yet (no SQLite file, or one not migrated) has no stored
    overrides: the shipped calendar answers, and stderr says so.
    """
    extra = _file_overrides(overrides)
    url = settings().database_url
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        click.echo(f"no database at {path}: shipped calendar only", err=True)
        return WorkingCalendar(extra)
    try:
        return run(with_database(url, lambda: working_calendar(extra)))
    except click.ClickException as exc:
        if "no schema" not in exc.message:
            raise
        click.echo("the database has no schema yet: shipped calendar only", err=True)
        return WorkingCalendar(extra)


def _fail(error: CalendarError) -> click.ClickException:
    return click.ClickException(said(error))


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
    if result.provisional_years:
        vi, en = provisional_note(result.provisional_years)
        click.echo(f"{vi} / {en}")


@group.command(name="show")
@click.argument("year", type=int)
@click.option("--overrides", type=click.Path(path_type=Path, dir_okay=False), help=_OVERRIDES_HELP)
def show(year: int, overrides: Path | None) -> None:
    """List YEAR's weekdays off and its weekend days worked by swap."""
    calendar = _load_calendar(overrides)
    if calendar.is_provisional(year):
        vi, en = provisional_note((year,))
        click.echo(f"{vi} / {en}")
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


def _confirmed_days(values: tuple[str, ...]) -> list[ConfirmedDay]:
    days = []
    for value in values:
        head, _, reason = value.partition("=")
        days.append(ConfirmedDay(date=_parse_date(head.strip()), reason=reason.strip()))
    return days


@group.command(name="confirm")
@click.argument("year", type=int)
@click.option("--source", required=True, help="The official announcement the year follows.")
@click.option("--day-off", "days_off", multiple=True, metavar="DATE[=REASON]",
              help="A weekday offices close (repeatable).")  # fmt: skip
@click.option("--working-day", "working_days", multiple=True, metavar="DATE[=REASON]",
              help="A weekend day worked by swap (repeatable).")  # fmt: skip
def confirm(
    year: int, source: str, days_off: tuple[str, ...], working_days: tuple[str, ...]
) -> None:
    """Confirm YEAR's official calendar: store its announced days, recompute its open clocks.

    Until a year is confirmed (or shipped as checked data) its holidays are computed and
    every due date that counts in it is provisional.
    """
    data = YearConfirmation(
        year=year,
        source=source,
        days_off=_confirmed_days(days_off),
        working_days=_confirmed_days(working_days),
    )
    result = run(with_database(settings().database_url, lambda: confirm_year(data)))
    click.echo(
        f"{result.year}: đã xác nhận / confirmed ({result.source}); "
        f"{result.days_stored} days stored, {result.clocks_recomputed} open clocks recomputed, "
        f"{result.due_dates_moved} due dates moved"
    )
