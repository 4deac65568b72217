"""``giamsat audit``: verify the hash chains and show a committee's audit log."""

from __future__ import annotations

import click
import msgspec

from giamsat.audit.service import recent, verify_chains
from giamsat.cli._common import async_command, settings, with_database


@click.group("audit")
def group() -> None:
    """Nhật ký kiểm tra (audit log): verify the chains, show entries."""


@group.command("verify")
@click.option("--committee", "code", help="Verify one committee's chain only (its code).")
@async_command
async def verify_command(code: str | None) -> None:
    """Check every chain; exit 1 naming the first broken entry of each broken chain."""
    report = await with_database(settings().database_url, lambda: verify_chains(code))
    if report.ok:
        click.echo(f"ok: {report.entries} entries in {report.chains} chains")
        return
    for chain_break in report.breaks:
        click.echo(f"broken: {chain_break.describe()}", err=True)
    raise click.ClickException(
        f"{len(report.breaks)} of {report.chains} chains broken ({report.entries} entries read)"
    )


@group.command("show")
@click.argument("code")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@async_command
async def show_command(code: str, limit: int) -> None:
    """Print a committee's newest entries: seq, time, actor, action, subject, details."""
    entries = await with_database(settings().database_url, lambda: recent(code, limit))
    for e in entries:
        details = msgspec.json.encode(e.details).decode()
        click.echo(f"{e.seq}\t{e.at:%Y-%m-%d %H:%M:%S}Z\t{e.actor_username}\t{e.action}\t"
                   f"{e.subject_type}:{e.subject_id}\t{details}")  # fmt: skip
    if not entries:
        click.echo(f"no audit entries for {code}")
