"""``giamsat cases``: the deadline sweep on demand (catching up, or checking a day)."""

from __future__ import annotations

import datetime as dt

import click

from giamsat.cases.committees import by_code
from giamsat.cases.deadlines import sweep_deadlines, today_in_vietnam
from giamsat.cli._common import async_command, settings, with_database


@click.group("cases")
def group() -> None:
    """Vụ việc (cases): deadline reminders and escalation of overdue cases."""


@group.command("sweep")
@click.option(
    "--today",
    "today_text",
    default="",
    help="Day to sweep for (YYYY-MM-DD); default today in Vietnam.",
)
@click.option("--within", default="", help="Committee code: sweep only its subtree.")
@async_command
async def sweep_command(today_text: str, within: str) -> None:
    """Remind before and at due dates; escalate overdue cases once."""
    try:
        today = dt.date.fromisoformat(today_text) if today_text else today_in_vietnam()
    except ValueError:
        raise click.BadParameter(f"{today_text!r} is not a date in YYYY-MM-DD form") from None

    async def work() -> str:
        path = (await by_code(within)).path if within else "/"
        return (await sweep_deadlines(today, within=path)).describe()

    click.echo(await with_database(settings().database_url, work))
