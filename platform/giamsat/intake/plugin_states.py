"""One plugin state for every replica, stored in the database (``plugin_state``).

A plugin that faults while running is blocked at once in the replica that saw it
(:class:`giamsat.channels.ChannelRegistry`); :func:`sync` then stores the block, with its reason
and time, and tells the administrators of every committee that enabled the channel (in-app and by
e-mail through the notifications outbox). Every replica's :func:`sync` reads the stored states at
most every :data:`REFRESH_SECONDS` and follows them, so a plugin blocked on one replica is blocked
on all within seconds, and :func:`reenable` (an administrator, after a fix) lifts the block
everywhere without a restart. The CLI reads the same rows, so it shows what the pages show.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from giamsat.audit.service import record
from giamsat.channels import ChannelRegistry, NewBlock, StoredState, UnknownChannel
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import PermissionDenied
from giamsat.intake.tables import ChannelSetting, PluginState
from giamsat.notifications.schemas import Title
from giamsat.notifications.service import notify
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_

#: How stale a replica's view of the shared states may be.
REFRESH_SECONDS = 2.0

_pulled: dict[int, float] = {}
_pulled_lock = threading.Lock()


async def stored_states() -> dict[str, StoredState]:
    """Every stored plugin state, by plugin name."""
    async with system_scope():
        rows = await PluginState.select()
    return {
        row["plugin"]: StoredState(
            plugin=row["plugin"],
            state="blocked" if row["state"] == "blocked" else "active",
            reason=row["reason"],
            blocked_at=row["blocked_at"],
            reenabled_by=row["reenabled_by"],
            reenabled_at=row["reenabled_at"],
        )
        for row in rows
    }


async def sync(registry: ChannelRegistry, *, refresh: float = REFRESH_SECONDS) -> None:
    """Store and announce this replica's new blocks, then follow the shared states (read at
    most every ``refresh`` seconds; 0 reads them now)."""
    for block in registry.take_new_blocks():
        if await _store_block(block):
            await _tell_admins(block)
    now = time.monotonic()
    with _pulled_lock:
        due = now - _pulled.get(id(registry), float("-inf")) >= refresh
        if due:
            _pulled[id(registry)] = now
    if due:
        registry.apply_states(await stored_states())


async def _store_block(block: NewBlock) -> bool:
    """Record the block; False when the plugin was already stored as blocked (by a replica)."""
    async with system_scope():
        row = await PluginState.select().where(PluginState.plugin == block.plugin).first()
        if row is not None and row["state"] == "blocked":
            return False
        values = {
            PluginState.channel: block.channel,
            PluginState.state: "blocked",
            PluginState.reason: block.reason[:2000],
            PluginState.blocked_at: block.at,
            PluginState.updated_at: datetime.now(UTC),
        }
        if row is None:
            await PluginState.insert(
                PluginState(
                    plugin=block.plugin,
                    channel=block.channel,
                    state="blocked",
                    reason=block.reason[:2000],
                    blocked_at=block.at,
                )
            ).on_conflict(target=PluginState.plugin, action="DO NOTHING")
        else:
            await PluginState.update(values).where(  # type: ignore[arg-type]
                (PluginState.plugin == block.plugin) & (PluginState.state != "blocked")
            )
    return True


async def _enabled_by(channel: str) -> list[dict[str, object]]:
    async with system_scope():
        ids = await ChannelSetting.select(ChannelSetting.committee).where(
            (ChannelSetting.channel == channel) & (ChannelSetting.enabled == True)  # noqa: E712
        )
        if not ids:
            return []
        return list(
            await Committee.select(Committee.id, Committee.code, Committee.path).where(
                Committee.id.is_in([row["committee"] for row in ids])
            )
        )


async def _tell_admins(block: NewBlock) -> None:
    """In-app notification and e-mail to the admins of every committee that enabled it."""
    title = Title(
        vi=f"Kênh {block.channel} tạm khóa do plugin {block.plugin} gặp lỗi",
        en=f"Channel {block.channel} is blocked: plugin {block.plugin} failed",
    )
    for committee in await _enabled_by(block.channel):
        async with tenant_scope(str(committee["path"])):
            await notify(
                int(str(committee["id"])),
                ["admin"],
                "channel.blocked",
                title,
                body=block.reason[:2000],
                link=f"/c/{committee['code']}/channels",
            )


async def reenable(ctx: TenantContext, registry: ChannelRegistry, plugin: str) -> StoredState:
    """Lift a plugin's block on every replica (an admin of a committee that enabled its channel,
    or an operator from the CLI); audited in the admin's committee."""
    status = next((s for s in registry.statuses() if s.plugin == plugin), None)
    if status is None or status.channel is None:
        raise UnknownChannel(plugin)
    if ctx.user_id is not None:
        enabled = {int(str(c["id"])) for c in await _enabled_by(status.channel)}
        if ctx.role != "admin" or ctx.committee_id not in enabled:
            raise PermissionDenied(
                N_(
                    "Only an administrator of a committee that turned this channel on may "
                    "unblock it."
                )
            )
    now, who = datetime.now(UTC), ctx.full_name or ctx.username or "operator"
    async with system_scope():
        await PluginState.insert(
            PluginState(plugin=plugin, channel=status.channel, reenabled_by=who, reenabled_at=now)
        ).on_conflict(
            target=PluginState.plugin,
            action="DO UPDATE",
            values=[PluginState.reenabled_by, PluginState.reenabled_at],
        )
        await PluginState.update(
            {PluginState.state: "active", PluginState.reason: "", PluginState.updated_at: now}
        ).where(PluginState.plugin == plugin)
    if ctx.user_id is not None:
        async with tenant_scope(ctx.path):
            await record(ctx, "channel.plugin_reenabled", "plugin", plugin, {"plugin": plugin})
    states = await stored_states()
    registry.apply_states(states)
    return states[plugin]
