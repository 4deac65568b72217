"""The hook contract is documented: in hookspecs docstrings and in plugins/README.md."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

import msgspec

from giamsat.channels import ChannelRegistry, hookspecs

README = Path(__file__).resolve().parents[3] / "plugins" / "README.md"


def _hook_callers() -> dict[str, object]:
    manager = ChannelRegistry().plugin_manager
    return {name: caller for name, caller in vars(manager.hook).items() if caller.spec}


def test_every_hook_has_a_docstring_saying_what_it_returns() -> None:
    # given the plugin manager of a fresh registry
    callers = _hook_callers()
    # when each hook's spec is inspected
    undocumented = [
        name
        for name, caller in callers.items()
        if not (caller.spec.function.__doc__ or "").strip().startswith("Return")
    ]
    # then every hook is there and its docstring starts by saying what it returns
    assert set(callers) >= {"channel_info", "channel_forms", "channel_signals"}
    assert undocumented == []


def test_every_hook_returns_one_struct_shape() -> None:
    # given every hook spec
    for name, caller in _hook_callers().items():
        # when its return annotation is resolved
        hints = typing.get_type_hints(caller.spec.function)
        shape = hints["return"]
        inner = typing.get_args(shape)[0] if typing.get_origin(shape) is list else shape
        # then it is a Struct or a list of one Struct type, never a union
        assert inspect.isclass(inner), name
        assert issubclass(inner, msgspec.Struct), name


def test_every_hook_is_described_in_the_plugin_guide() -> None:
    # given the partner-facing guide
    guide = README.read_text(encoding="utf-8")
    # when looking for each hook by name
    missing = [name for name in _hook_callers() if f"`{name}" not in guide]
    # then none is missing
    assert missing == []


def test_required_hooks_exist_as_specs() -> None:
    # given the list of hooks every channel must implement
    callers = _hook_callers()
    # then each one is a declared hook
    assert all(hook in callers for hook in hookspecs.REQUIRED_HOOKS)
