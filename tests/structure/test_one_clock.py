"""Product code reads today's date from ``giamsat.clock``, never from the machine.

``date.today()`` is the machine's local day (UTC on a server), one day behind Hà Nội every
evening from 17:00 UTC, and it cannot be told apart from the clock the tests freeze.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [ROOT / "platform" / "giamsat", ROOT / "plugins"]
ALLOWED = {ROOT / "platform" / "giamsat" / "clock.py"}


def _machine_dates(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "today"
            and isinstance(node.func.value, ast.Attribute | ast.Name)
            and ast.unparse(node.func.value).split(".")[-1] in {"date", "datetime"}
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_product_code_asks_the_machine_for_today():
    # Given every module of the platform and the shipped plugins
    modules = [p for base in PRODUCT for p in base.rglob("*.py") if p not in ALLOWED]
    assert len(modules) > 100
    # When their calls are read
    offenders = [hit for module in modules for hit in _machine_dates(module)]
    # Then none asks the machine for the date: they use giamsat.clock.today()
    assert offenders == []
