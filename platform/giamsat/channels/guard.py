"""Calling untrusted plugin code with a time limit and a validated result.

Python cannot kill a thread, so a call that overruns its limit is abandoned in a
daemon thread (it can never keep the process alive at exit) and the caller blocks
the plugin so it is never called again. The result is round-tripped through
``msgspec.to_builtins`` and ``msgspec.convert`` because constructing a Struct does
not check its field types: only the round trip catches a ``SignalDraft(kind=42)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar

import msgspec

T = TypeVar("T")


#: Why a plugin was blocked, as a metric label (few values; the full reason is on the admin page).
FaultKind = Literal["import", "registration", "exception", "timeout", "invalid"]


class PluginFault(Exception):
    """A plugin broke its contract (raised, hung or returned garbage); it gets blocked."""

    def __init__(self, reason: str, kind: FaultKind = "registration") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind: FaultKind = kind


class _Outcome:
    """Where the worker thread leaves its result or its exception."""

    def __init__(self) -> None:
        self.value: Any = None
        self.error: BaseException | None = None


def call_with_limit(
    function: Callable[..., Any], kwargs: dict[str, Any], timeout: float, what: str
) -> Any:
    """Run ``function(**kwargs)`` in a daemon thread; raise PluginFault if it hangs.

    Exceptions from the function are re-raised unchanged so the caller can tell a
    deliberate rejection from a fault.
    """
    outcome = _Outcome()

    def run() -> None:
        try:
            outcome.value = function(**kwargs)
        except BaseException as exc:  # re-raised in the caller's thread below
            outcome.error = exc

    worker = threading.Thread(target=run, name=f"giamsat-plugin:{what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise PluginFault(f"{what} did not return within {timeout:g} s (hung)", "timeout")
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


def validated(value: Any, shape: type[T], what: str) -> T:
    """Return ``value`` re-validated as ``shape``; raise PluginFault if it does not fit."""
    try:
        plain = msgspec.to_builtins(value, builtin_types=(date, datetime))
        return msgspec.convert(plain, type=shape)
    except (msgspec.ValidationError, TypeError, ValueError) as exc:
        raise PluginFault(f"{what} returned an invalid value: {exc}", "invalid") from exc
