"""``giamsat db``: schema migrations."""

from __future__ import annotations

import click

from giamsat.cli._common import async_command, settings
from giamsat.db.migrate import app_role_of, make_migration, migrate


@click.group("db")
def group() -> None:
    """Cơ sở dữ liệu (database): migrations."""


@group.command("migrate")
@async_command
async def migrate_command() -> None:
    """Bring the schema up to date (GIAMSAT_ADMIN_DATABASE_URL if set, else the main URL)."""
    conf = settings()
    for line in await migrate(
        conf.migration_url, app_role_of(conf.database_url, conf.migration_url)
    ):
        click.echo(line)


@group.command("makemigrations")
@click.option("--desc", default="", help="What the migration does.")
@async_command
async def makemigrations_command(desc: str) -> None:
    """Write a new migration from the difference between the tables and the migrations so far."""
    await make_migration(settings().migration_url, desc)
