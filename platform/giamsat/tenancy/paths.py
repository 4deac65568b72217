"""Materialised committee paths (``/01/001/00001/``): the one place that takes them apart."""

from __future__ import annotations


def ancestor_paths(path: str, *, include_self: bool = True, include_root: bool = True) -> list[str]:
    """The paths above ``path``, nearest first: ``/01/001/00001/`` → (itself,) ``/01/001/``,
    ``/01/`` (, ``/``)."""
    parts = [p for p in path.split("/") if p]
    top = len(parts) if include_self else len(parts) - 1
    bottom = -1 if include_root else 0
    return ["/" + "".join(f"{p}/" for p in parts[:n]) for n in range(top, bottom, -1)]
