"""``giamsat users``: accounts of a committee's staff."""

from __future__ import annotations

import sys

import click

from giamsat.accounts import passwords
from giamsat.accounts.roles import Role
from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user
from giamsat.cli._common import async_command, settings, with_database


@click.group("users")
def group() -> None:
    """Tài khoản (accounts) of a committee."""


@group.command("create")
@click.option("--committee", "committee_code", required=True, help="Committee code, e.g. 01.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--username", required=True)
@click.option("--full-name", default="")
@click.option("--email", default="")
@click.option(
    "--organisation",
    default="",
    help="A partner officer's organisation code (e.g. union), as channels list it.",
)
@async_command
async def create_command(
    committee_code: str, role: str, username: str, full_name: str, email: str, organisation: str
) -> None:
    """Create a user. The password is read from standard input, or generated and printed once."""
    typed = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read().strip()
    password = typed or passwords.generate_password()
    try:
        data = UserCreate(
            username=username.strip().lower(),
            role=role,
            password=password,
            full_name=full_name,
            email=email,
            organisation=organisation.strip(),
        )
        import msgspec

        data = msgspec.convert(msgspec.to_builtins(data), UserCreate)
    except msgspec.ValidationError as exc:
        # the operator's command line, in its own (English) words: no page or API call gets here
        raise click.ClickException(f"invalid user: {exc}") from exc
    user = await with_database(settings().database_url, lambda: create_user(committee_code, data))
    click.echo(f"created {user.username} ({user.role}) in committee {user.committee_code}")
    if not typed:
        click.echo(f"password: {password}")
