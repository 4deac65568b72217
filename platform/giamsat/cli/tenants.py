"""``giamsat tenants``: the committee tree (import the register, show, search, merge, split)."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from giamsat.cli._common import async_command, settings, with_database
from giamsat.tenancy.levels import Level
from giamsat.tenancy.plan_text import print_plan
from giamsat.tenancy.register import RegisterRowError, read_register, register_named
from giamsat.tenancy.reorganising import apply, parse_overrides, preview
from giamsat.tenancy.repository import CommitteeRepository, last_holder
from giamsat.tenancy.schemas import CommitteeView, SuccessionRequest
from giamsat.tenancy.service import create_committee, import_units, record_succession


@click.group("tenants")
def group() -> None:
    """Cây ủy ban (committee tree): import, show, search, merge, split."""


@group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--province", help="Import one province (2-digit code, e.g. 01 for Hà Nội).")
@async_command
async def import_command(path: Path, province: str | None) -> None:
    """Import the official register CSV; without --province, the whole country under TW."""
    try:
        units = read_register(path, province)
    except RegisterRowError as exc:
        raise click.ClickException(f"{path}:{exc.message}") from exc
    report = await with_database(
        settings().database_url, lambda: import_units(units, with_central=province is None)
    )
    click.echo(report.summary())


def _describe(view: CommitteeView) -> str:
    parent = f"{view.parent_code} {view.parent_name}" if view.parent_code else "-"
    since = view.valid_from.isoformat() if view.valid_from else "-"
    lines = [
        f"code: {view.code}",
        f"name: {view.title}",
        f"unit: {view.name} ({view.unit_type})",
        f"level: {view.level}",
        f"parent: {parent}",
        f"in force: {since} → {view.valid_to.isoformat() if view.valid_to else 'now'}",
        f"children: {view.children}",
        f"path: {view.path}",
    ]
    if view.valid_to:
        lines.append(f"ended: {view.valid_to.isoformat()} → {view.successor_code or 'split'}")
    return "\n".join(lines)


ON_OPTION = click.option(
    "--on",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The date the code is read on (codes are reused across registers); default today.",
)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@group.command("show")
@click.argument("code")
@ON_OPTION
@async_command
async def show_command(code: str, on: datetime | None) -> None:
    """Print a committee: code, full Vietnamese name, level, parent, number of children."""

    async def work() -> tuple[CommitteeView | None, dict[str, Any] | None]:
        view = await CommitteeRepository().by_code(code, _day(on))
        return view, None if view else await last_holder(code, _day(on))

    view, ended = await with_database(settings().database_url, work)
    if view is None:
        when = f" on {_day(on)}" if on else ""
        hint = ""
        if ended is not None:
            hint = (f": {ended['name']} held it until {ended['valid_to']} (successor "
                    f"{ended['successor.code'] or '-'}); try --on {ended['valid_to']}")  # fmt: skip
        # the operator's command line, in its own (English) words: no page or API call gets here
        raise click.ClickException(f"unknown committee code {code!r}{when}{hint}")
    click.echo(_describe(view))


@group.command("search")
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@ON_OPTION
@async_command
async def search_command(query: str, limit: int, on: datetime | None) -> None:
    """Find committees by name, ignoring diacritics ("hoan kiem" finds "Hoàn Kiếm")."""
    found = await with_database(
        settings().database_url,
        lambda: CommitteeRepository().search(query, limit=limit, on=_day(on)),
    )
    for view in found:
        click.echo(f"{view.code}\t{view.level}\t{view.name}")
    if not found:
        raise click.ClickException(f"no committee matches {query!r}")


@group.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True, help="Unit name, e.g. 'Phường Hoàn Kiếm'.")
@click.option("--unit-type", required=True, help="phường / xã / quận / …")
@click.option("--parent", "parent_code", required=True)
@click.option("--level", type=click.Choice([lv.value for lv in Level]), required=True)
@async_command
async def create_command(
    code: str, name: str, unit_type: str, parent_code: str, level: str
) -> None:
    """Add a committee (for example the unit a merge creates)."""
    view = await with_database(
        settings().database_url,
        lambda: create_committee(code, name, unit_type, parent_code, Level(level)),
    )
    click.echo(_describe(view))


def _succession_command(kind: str) -> click.Command:
    @click.command(kind)
    @click.argument("codes", nargs=-1, required=True)
    @click.option("--into", "successors", multiple=True, required=True)
    @click.option("--effective", type=click.DateTime(["%Y-%m-%d"]), required=True)
    @click.option("--note", default="")
    @async_command
    async def command(
        codes: tuple[str, ...], successors: tuple[str, ...], effective: date, note: str
    ) -> None:
        request = SuccessionRequest(
            kind=kind,
            predecessors=list(codes),
            successors=list(successors),
            effective_on=effective.date() if hasattr(effective, "date") else effective,
            note=note,
        )
        ended = await with_database(settings().database_url, lambda: record_succession(request))
        for view in ended:
            click.echo(f"{view.code} ends {view.valid_to} → {', '.join(successors)}")

    command.help = (
        "Merge committees into one successor (sáp nhập); their open cases move to it."
        if kind == "merge"
        else "Split a committee toward several successors (chia tách); open cases go to the "
        "first successor named."
    )
    return command


group.add_command(_succession_command("merge"))
group.add_command(_succession_command("split"))


@group.command("reorganise")
@click.option(
    "--register", "register_id", required=True, help="The register to move to: 2025-01 or 2025-07."
)
@click.option(
    "--effective",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="First day of the new tree.",
)
@click.option("--province", help="One province (its code in the new register, e.g. 01).")
@click.option(
    "--successor",
    "successors",
    multiple=True,
    metavar="OLD=NEW",
    help="Name a successor (overrides the shipped tables; districts default to the province).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print what would end, start and move; change nothing."
)
@async_command
async def reorganise_command(
    register_id: str, effective: datetime, province: str | None, successors: tuple[str, ...],
    dry_run: bool,
) -> None:  # fmt: skip
    """Sắp xếp đơn vị hành chính: move provinces to a new register on a date, with their work."""
    register = register_named(register_id)
    overrides = parse_overrides(successors)
    day = effective.date()
    url = settings().database_url

    async def work() -> None:
        if dry_run:
            for plan in await preview(register, day, province, overrides):
                await print_plan(plan)
            return
        started = time.monotonic()
        outcomes = await apply(register, day, province, overrides, "operator",
                               on_province=lambda o: click.echo(o.message))  # fmt: skip
        changed = sum(1 for o in outcomes if o.applied)
        click.echo(f"{changed} of {len(outcomes)} provinces reorganised in "
                   f"{time.monotonic() - started:.1f} s"
                   + ("" if changed else "; nothing changed"))  # fmt: skip

    await with_database(url, work)
