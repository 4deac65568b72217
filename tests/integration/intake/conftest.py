"""Helpers of the intake tests: a registry, register entries, enabled channels."""

from __future__ import annotations

import uuid

import pytest

from giamsat.cadres.schemas import CadreCreate
from giamsat.cadres.service import create_cadre
from giamsat.channels import ChannelRegistry, build_registry
from giamsat.intake.channels_service import set_channel
from giamsat.tenancy.context import TenantContext


@pytest.fixture(scope="session")
def registry() -> ChannelRegistry:
    """The registry as the app builds it from the installed distributions."""
    return build_registry(timeout=5.0)


async def new_cadre(ctx: TenantContext, name: str = "Nguyễn Văn Kiểm") -> str:
    code = f"C{uuid.uuid4().hex[:8].upper()}"
    await create_cadre(ctx, CadreCreate(code=code, full_name=name, managing_level="commune"))
    return code


async def enable(
    ctx: TenantContext, registry: ChannelRegistry, channel: str, on: bool = True
) -> None:
    await set_channel(ctx, registry, channel, enabled=on)
