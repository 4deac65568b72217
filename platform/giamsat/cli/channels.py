"""``giamsat channels``: plugin status, and enabling a channel for a committee."""

from __future__ import annotations

import click
import msgspec

from giamsat.channels import ChannelRegistry, build_registry
from giamsat.cli._common import async_command, settings, with_database
from giamsat.intake.channels_service import channel_overview, set_channel
from giamsat.intake.context import operator_context as committee_context
from giamsat.intake.plugin_states import reenable, stored_states
from giamsat.intake.settings_repo import ConfigValue
from giamsat.tenancy.context import TenantContext


@click.group("channels")
def group() -> None:
    """Kênh tiếp nhận (channel plugins): status, enable, disable."""


async def _shared_registry() -> ChannelRegistry:
    """The installed plugins as the servers see them: in the state every replica shares."""
    registry = build_registry()
    registry.apply_states(await stored_states())
    return registry


@group.command("status")
@async_command
async def status_command() -> None:
    """List every installed channel plugin: active, blocked (with why and since when, as every
    replica sees it) or shadowed."""

    async def work() -> None:
        for status in (await _shared_registry()).statuses():
            line = f"{status.plugin}\t{status.channel or '-'}\t{status.state}"
            line += f"\t{status.distribution}"
            if status.blocked_at:
                line += f"\tsince {status.blocked_at:%Y-%m-%d %H:%M:%S} UTC"
            if status.reason:
                line += f"\t{status.reason}"
            if status.state == "active" and status.reenabled_by:
                line += f"\tre-enabled by {status.reenabled_by}"
            click.echo(line)

    await with_database(settings().database_url, work)


@group.command("reenable")
@click.argument("plugin")
@async_command
async def reenable_command(plugin: str) -> None:
    """Lift PLUGIN's block on every replica after a fix (no restart needed)."""
    from giamsat.channels import ChannelError

    async def work() -> None:
        registry = await _shared_registry()
        try:
            await reenable(_operator(), registry, plugin)
        except ChannelError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{plugin}: re-enabled")

    await with_database(settings().database_url, work)


@group.command("list")
@click.argument("committee")
@async_command
async def list_command(committee: str) -> None:
    """Show COMMITTEE's choice for every channel."""

    async def work() -> None:
        for row in await channel_overview(await committee_context(committee), build_registry()):
            click.echo(
                f"{row.channel or row.plugin}\t{row.state}\t"
                f"{'enabled' if row.enabled else 'disabled'}"
            )

    await with_database(settings().database_url, work)


@group.command("enable")
@click.argument("committee")
@click.argument("channel")
@click.option("--config", "config_json", default=None, help="Flat JSON object, e.g. '{\"a\": 1}'.")
@async_command
async def enable_command(committee: str, channel: str, config_json: str | None) -> None:
    """Enable CHANNEL for COMMITTEE (optionally replacing its config)."""
    config = None
    if config_json is not None:
        try:
            config = msgspec.json.decode(config_json.encode(), type=dict[str, ConfigValue])
        except msgspec.DecodeError as exc:
            raise click.BadParameter(f"not a flat JSON object: {exc}") from None
    await _set(committee, channel, True, config)


@group.command("disable")
@click.argument("committee")
@click.argument("channel")
@async_command
async def disable_command(committee: str, channel: str) -> None:
    """Disable CHANNEL for COMMITTEE: it then accepts nothing there."""
    await _set(committee, channel, False, None)


async def _set(
    committee: str, channel: str, enabled: bool, config: dict[str, ConfigValue] | None
) -> None:
    from giamsat.channels import ChannelError

    async def work() -> None:
        try:
            row = await set_channel(
                await committee_context(committee),
                build_registry(),
                channel,
                enabled=enabled,
                config=config,
            )
        except ChannelError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{channel}: {'enabled' if row.enabled else 'disabled'} for {committee}")

    await with_database(settings().database_url, work)


def _operator() -> TenantContext:
    """The operator acting from the CLI (no committee, no user)."""
    return TenantContext(
        committee_id=0,
        committee_code="",
        committee_name="",
        committee_level="",
        path="",
        username="operator",
        role="admin",
    )
