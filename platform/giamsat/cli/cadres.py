"""``giamsat cadres``: import and search a committee's cadre register."""

from __future__ import annotations

from pathlib import Path

import click

from giamsat.cadres.service import import_cadres, search_cadres
from giamsat.cli._common import async_command, run, settings, with_database
from giamsat.intake.context import operator_context as committee_context


@click.group("cadres")
def group() -> None:
    """Danh sách cán bộ, đảng viên (cadre register): import a sheet, search."""


@group.command("import")
@click.argument("committee")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(committee: str, sheet: Path) -> None:
    """Import a .csv/.xlsx into COMMITTEE's register: all rows kept, or none (bad rows listed)."""
    run(_import(committee, sheet.name, sheet.read_bytes()))


async def _import(committee: str, filename: str, data: bytes) -> None:

    async def work() -> None:
        report = await import_cadres(await committee_context(committee), filename, data)
        if report.accepted:
            click.echo(f"ok: {report.created} created, {report.updated} updated")
            return
        for error in report.errors:
            click.echo(f"line {error.line}, column {error.column}: {error.message_vi}", err=True)
        raise click.ClickException(f"nothing imported: {len(report.errors)} bad row(s)")

    await with_database(settings().database_url, work)


@group.command("search")
@click.argument("committee")
@click.argument("query", default="")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500))
@async_command
async def search_command(committee: str, query: str, limit: int) -> None:
    """Search COMMITTEE's subtree by name (diacritics optional) or code."""

    async def work() -> None:
        for c in await search_cadres(await committee_context(committee), query, limit=limit):
            click.echo(f"{c.code}\t{c.full_name}\t{c.position}\t{c.managing_level}\t{c.committee}")

    await with_database(settings().database_url, work)
