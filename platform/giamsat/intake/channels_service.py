"""Which channels a committee accepts signals through, and their per-committee configuration.

A channel accepts a committee's signals only when (a) its plugin is active in this process's
registry, (b) it serves the committee's level, and (c) the committee enabled it. Built-in
channels (the public ``citizen`` portal, distribution ``giamsat``) are enabled until a committee
turns them off; partner plugins stay off until a committee turns them on.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from giamsat.accounts.roles import Role
from giamsat.audit.service import record
from giamsat.channels import ChannelBlocked, ChannelInfo, ChannelRegistry, UnknownChannel
from giamsat.db.scope import tenant_scope
from giamsat.intake.context import bare_context
from giamsat.intake.errors import ChannelDisabled, ChannelNotForLevel
from giamsat.intake.settings_repo import ConfigValue, own_settings, save_setting
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_

BUILTIN_DISTRIBUTION = "giamsat"


class ChannelRow(msgspec.Struct, frozen=True, kw_only=True):
    """One plugin as a committee's admin sees it: status, whether enabled here, config."""

    plugin: str
    channel: str | None
    label_vi: str
    label_en: str
    state: str
    reason: str
    distribution: str
    version: str
    serves_level: bool
    builtin: bool
    enabled: bool
    config: dict[str, ConfigValue]
    #: When a running plugin was blocked (as every replica sees it), and its last re-enabling.
    blocked_at: datetime | None = None
    reenabled_by: str = ""
    reenabled_at: datetime | None = None


def _builtin(registry: ChannelRegistry) -> set[str]:
    return {
        s.channel
        for s in registry.statuses()
        if s.channel and s.distribution == BUILTIN_DISTRIBUTION and s.state == "active"
    }


def _serves(info: ChannelInfo | None, ctx: TenantContext) -> bool:
    return info is not None and ctx.committee_level in info.levels


async def channel_overview(ctx: TenantContext, registry: ChannelRegistry) -> list[ChannelRow]:
    """Every loaded or failed plugin, with this committee's choice for its channel."""
    infos = {info.name: info for info in registry.channels()}
    builtin = _builtin(registry)
    async with tenant_scope(ctx.path):
        settings = await own_settings(ctx)
    rows = []
    for status in registry.statuses():
        info = infos.get(status.channel or "")
        own = settings.get(status.channel or "")
        default = status.channel in builtin
        enabled = (own.enabled if own else default) and status.state == "active"
        rows.append(
            ChannelRow(
                plugin=status.plugin,
                channel=status.channel,
                label_vi=info.label_vi if info else "",
                label_en=info.label_en if info else "",
                state=status.state,
                reason=status.reason,
                distribution=status.distribution,
                version=status.version,
                serves_level=_serves(info, ctx),
                builtin=default,
                enabled=enabled and _serves(info, ctx),
                config=own.config if own else {},
                blocked_at=status.blocked_at,
                reenabled_by=status.reenabled_by,
                reenabled_at=status.reenabled_at,
            )
        )
    return rows


async def set_channel(
    ctx: TenantContext,
    registry: ChannelRegistry,
    channel: str,
    *,
    enabled: bool,
    config: dict[str, ConfigValue] | None = None,
) -> ChannelRow:
    """Enable or disable ``channel`` for the committee (and replace its config if given)."""
    infos = {info.name: info for info in registry.channels()}
    known = {s.channel for s in registry.statuses() if s.channel}
    if channel not in known:
        raise UnknownChannel(channel)
    info = infos.get(channel)
    if enabled and info is None:
        blocked = next(s for s in registry.statuses() if s.channel == channel and s.reason)
        raise ChannelBlocked(channel, blocked.reason)
    if enabled and not _serves(info, ctx):
        raise ChannelNotForLevel(
            N_("This channel does not serve committees of this level."), field="channel"
        )
    async with tenant_scope(ctx.path):
        current = (await own_settings(ctx)).get(channel)
        new_config = config if config is not None else (current.config if current else {})
        await save_setting(ctx, channel, enabled=enabled, config=new_config)
        await record(
            ctx,
            "channel.enabled" if enabled else "channel.disabled",
            "channel",
            channel,
            {"config_keys": sorted(new_config)},
        )
    rows = await channel_overview(ctx, registry)
    return next(row for row in rows if row.channel == channel and row.state != "shadowed")


async def require_enabled(
    ctx: TenantContext, registry: ChannelRegistry, channel: str
) -> tuple[ChannelInfo, dict[str, ConfigValue]]:
    """The channel's info and this committee's config; raise if it accepts nothing here.

    Call inside the committee's scope. Raises UnknownChannel or ChannelBlocked (from the
    registry) or ChannelDisabled.
    """
    infos = {info.name: info for info in registry.channels()}
    if channel not in infos:
        registry.forms(channel, bare_context(ctx))  # raises ChannelBlocked / UnknownChannel
        raise UnknownChannel(channel)
    info = infos[channel]
    own = (await own_settings(ctx)).get(channel)
    enabled = own.enabled if own else channel in _builtin(registry)
    if not enabled or not _serves(info, ctx):
        raise ChannelDisabled(channel, ctx.committee_code)
    if not may_submit(ctx, info):
        raise UnknownChannel(channel)  # a partner's officer does not learn of other channels
    return info, own.config if own else {}


def may_submit(ctx: TenantContext, info: ChannelInfo) -> bool:
    """Whether the caller may bring signals in through the channel.

    The committee's own staff may, on every enabled channel (they enter paper reports on the
    partners' behalf); a partner organisation's officer only where ``submitter_roles`` names their
    organisation; a read-only account never.
    """
    if ctx.role == Role.PARTNER_OFFICER:
        return bool(ctx.organisation) and ctx.organisation in info.submitter_roles
    return ctx.role != Role.READ_ONLY


async def enabled_for_reports(
    ctx: TenantContext, registry: ChannelRegistry
) -> list[tuple[ChannelInfo, dict[str, ConfigValue]]]:
    """The channels the committee enabled, by name, with its config: blocked ones included, so
    that a report can say why their part is missing."""
    builtin = {s.channel for s in registry.statuses() if s.distribution == BUILTIN_DISTRIBUTION}
    async with tenant_scope(ctx.path):
        settings = await own_settings(ctx)
    result = []
    for info in registry.known_channels():
        own = settings.get(info.name)
        if (own.enabled if own else info.name in builtin) and _serves(info, ctx):
            result.append((info, own.config if own else {}))
    return result


async def enabled_channels(ctx: TenantContext, registry: ChannelRegistry) -> list[ChannelInfo]:
    """The channels this committee currently accepts signals through."""
    rows = await channel_overview(ctx, registry)
    on = {row.channel for row in rows if row.enabled}
    return [info for info in registry.channels() if info.name in on and may_submit(ctx, info)]
