"""A committee's subtree as a range of paths.

Paths are digits and '/', each ending in '/'. Every path under ``path`` sorts byte-wise at or
after ``path`` and before ``path`` with its last '/' turned into '0' (the next byte), so
"starts with ``path``" is the range ``[path, upper)``. The row-level-security policy
(:mod:`giamsat.db.rls`) is the same range, so the repositories' own wall and PostgreSQL's are one
condition: the planner merges the two into one estimate and one index condition, where a
``LIKE`` beside the policy was estimated as if it were a second, independent filter (a district's
769 cases were planned as 20, and read through a nested loop). The path columns of
tenant-owned tables compare byte-wise on both backends (``COLLATE "C"`` on PostgreSQL, SQLite's
own ``BINARY``).
"""

from __future__ import annotations

from typing import Any

from piccolo.custom_types import Combinable


def subtree_bounds(path: str) -> tuple[str, str]:
    """``[lower, upper)``: the paths of ``path``'s subtree, ``path`` itself included."""
    if not path.startswith("/") or not path.endswith("/"):
        raise ValueError(f"not a committee path: {path!r}")
    return path, path[:-1] + "0"


def path_within(column: Any, path: str) -> Combinable:
    """``column`` (a tenant-owned table's path column) lies in ``path``'s subtree."""
    lower, upper = subtree_bounds(path)
    result: Combinable = (column >= lower) & (column < upper)
    return result
