"""Building a ChannelRegistry: default channels, then installed entry points, one by one.

pluggy's ``load_setuptools_entrypoints`` stops at the first plugin that fails to
import and leaves the rest unregistered, so entry points are loaded here one at a
time, each import under a time limit and inside try/except; a failure is recorded as
a blocked plugin with its reason and loading continues.
"""

from __future__ import annotations

from importlib import metadata

from giamsat.channels import default_citizen
from giamsat.channels.guard import PluginFault, call_with_limit
from giamsat.channels.hookspecs import ENTRY_POINT_GROUP
from giamsat.channels.registry import ChannelRegistry

DEFAULT_PLUGINS = {"giamsat.citizen": default_citizen}


def build_registry(
    *,
    group: str = ENTRY_POINT_GROUP,
    defaults: bool = True,
    entry_points: bool = True,
    timeout: float = 5.0,
    import_timeout: float = 30.0,
) -> ChannelRegistry:
    """Return a new registry with the default channels and every installed channel plugin.

    ``timeout`` limits each hook call; ``import_timeout`` each plugin import. Call it
    once per process (in the app factory), never at import time.
    """
    registry = ChannelRegistry(timeout=timeout)
    if defaults:
        for name, module in DEFAULT_PLUGINS.items():
            registry.add(name, module, distribution="giamsat")
    if entry_points:
        load_entry_points(registry, group=group, import_timeout=import_timeout)
    return registry


def load_entry_points(
    registry: ChannelRegistry, *, group: str = ENTRY_POINT_GROUP, import_timeout: float = 30.0
) -> None:
    """Load every entry point of ``group`` into the registry, recording failures."""
    seen: set[str] = set()
    for entry_point in sorted(metadata.entry_points(group=group), key=lambda ep: ep.name):
        dist = entry_point.dist
        dist_name = dist.name if dist is not None else ""
        version = dist.version if dist is not None else ""
        if entry_point.name in seen:
            # The same distribution found twice on sys.path: the first one wins, as
            # it does for imports.
            continue
        seen.add(entry_point.name)
        try:
            obj = call_with_limit(
                entry_point.load, {}, import_timeout, f"{entry_point.name} import"
            )
        except PluginFault as fault:
            registry.record_failure(
                entry_point.name, fault.reason, distribution=dist_name, version=version
            )
            continue
        except Exception as exc:
            reason = f"import of {entry_point.value} failed: {type(exc).__name__}: {exc}"
            registry.record_failure(
                entry_point.name, reason, distribution=dist_name, version=version
            )
            continue
        registry.add(entry_point.name, obj, distribution=dist_name, version=version)
