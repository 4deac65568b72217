"""One ChannelRegistry per process, built on first use and kept on the app's state.

Building it imports every installed plugin, so it must not happen at import time; keeping it on
``app.state`` (not in a module global) means each app built by a test gets its own registry. Each
request that uses it first follows the plugin states every replica shares, and afterwards stores
any block it caused (:mod:`giamsat.intake.plugin_states`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator

from litestar.datastructures import State

from giamsat.channels import ChannelRegistry, build_registry
from giamsat.intake import plugin_states

STATE_KEY = "channel_registry_holder"


class RegistryHolder:
    """Builds the registry once, under a lock, the first time someone asks for it.

    ``refresh`` is how stale this process's view of the shared plugin states may be (seconds).
    """

    def __init__(
        self,
        registry: ChannelRegistry | None = None,
        *,
        refresh: float = plugin_states.REFRESH_SECONDS,
    ) -> None:
        self._lock = threading.Lock()
        self._registry = registry
        self.refresh = refresh

    def get(self) -> ChannelRegistry:
        with self._lock:
            if self._registry is None:
                self._registry = build_registry()
            return self._registry


async def provide_channel_registry(state: State) -> AsyncGenerator[ChannelRegistry, None]:
    """Litestar dependency: the app's registry (built in a worker thread on first use), in step
    with the shared plugin states before the handler and after it."""
    holder = state.get(STATE_KEY)
    if holder is None:
        holder = state.setdefault(STATE_KEY, RegistryHolder())
    assert isinstance(holder, RegistryHolder)
    registry = await asyncio.to_thread(holder.get)
    await plugin_states.sync(registry, refresh=holder.refresh)
    try:
        yield registry
    finally:
        await plugin_states.sync(registry, refresh=holder.refresh)
