"""Per-committee channel settings (enabled, config): read and written inside a tenant scope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from giamsat.intake.tables import ChannelSetting
from giamsat.tenancy.context import TenantContext

ConfigValue = str | int | bool


class ChannelSettingView(msgspec.Struct, frozen=True, kw_only=True):
    """A committee's own row for one channel, if it has one."""

    channel: str
    enabled: bool
    config: dict[str, ConfigValue]


def _key(ctx: TenantContext, channel: str) -> str:
    return f"{ctx.committee_id}:{channel}"


def _config(raw: Any) -> dict[str, ConfigValue]:
    value = msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw
    return msgspec.convert(value or {}, dict[str, ConfigValue])


async def own_settings(ctx: TenantContext) -> dict[str, ChannelSettingView]:
    """Every channel row of the committee itself (not of its subtree)."""
    rows = await ChannelSetting.select().where(ChannelSetting.committee == ctx.committee_id)
    return {
        row["channel"]: ChannelSettingView(
            channel=row["channel"], enabled=row["enabled"], config=_config(row["config"])
        )
        for row in rows
    }


async def save_setting(
    ctx: TenantContext, channel: str, *, enabled: bool, config: dict[str, ConfigValue]
) -> None:
    """Insert or update the committee's row for ``channel``."""
    key = _key(ctx, channel)
    existing = (
        await ChannelSetting.select(ChannelSetting.id)
        .where(ChannelSetting.setting_key == key)
        .first()
    )
    if existing is None:
        await ChannelSetting(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            channel=channel,
            setting_key=key,
            enabled=enabled,
            config=config,
            updated_by=ctx.user_id,
        ).save()
        return
    await ChannelSetting.update(
        {
            ChannelSetting.enabled: enabled,
            ChannelSetting.config: config,
            ChannelSetting.updated_by: ctx.user_id,
            ChannelSetting.updated_at: datetime.now(UTC),
        }
    ).where(ChannelSetting.id == existing["id"])
