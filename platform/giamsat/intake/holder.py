"""One ChannelRegistry per process, built on first use and kept on the app's state.

Building it imports every installed plugin, so it must not happen at import time; keeping it on
``app.state`` (not in a module global) means each app built by a test gets its own registry.
"""

from __future__ import annotations

import threading

from litestar.datastructures import State

from giamsat.channels import ChannelRegistry, build_registry

STATE_KEY = "channel_registry_holder"


class RegistryHolder:
    """Builds the registry once, under a lock, the first time someone asks for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._registry: ChannelRegistry | None = None

    def get(self) -> ChannelRegistry:
        with self._lock:
            if self._registry is None:
                self._registry = build_registry()
            return self._registry


def provide_channel_registry(state: State) -> ChannelRegistry:
    """Litestar dependency: the app's registry (built in a worker thread on first use)."""
    holder = state.get(STATE_KEY)
    if holder is None:
        holder = state.setdefault(STATE_KEY, RegistryHolder())
    assert isinstance(holder, RegistryHolder)
    return holder.get()
