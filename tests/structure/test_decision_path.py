"""The decision path reads top to bottom: signals know nothing of packs, cases never reach back
into plans, and nothing is handed over through lists filled as a side effect."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "platform" / "giamsat"


def _imports(area: str) -> set[str]:
    found: set[str] = set()
    for path in (PACKAGE / area).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def _reaches(imports: set[str], *areas: str) -> list[str]:
    return sorted(m for m in imports for a in areas if m == a or m.startswith(a + "."))


def test_signals_know_nothing_of_packs_or_decisions() -> None:
    # given the modules of signals/, then none imports plans, rule packs, decisions or cases
    imports = _imports("signals")
    assert _reaches(imports, "giamsat.plans", "giamsat.rulepacks", "giamsat.decisions") == []
    assert "giamsat.signals.tables" in _imports("decisions")


def test_cases_never_import_plans_or_decisions() -> None:
    # given every module of cases/, its pages and API included (indicator names reach the case
    # page through a dependency the plans area provides), then none imports plans/ or the
    # decision step
    assert _reaches(_imports("cases"), "giamsat.plans", "giamsat.decisions") == []


def test_intake_and_portal_call_the_decision_step_by_name() -> None:
    # given intake and the portal, then both hand their commits to decisions by name
    for area in ("intake", "portal"):
        assert "giamsat.decisions.service" in _imports(area), area


def test_no_module_level_hook_lists() -> None:
    # given every module, when looking for module-level lists of callables filled elsewhere
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                name = node.target.id
                if name.endswith(("_HANDLERS", "_POLICIES", "_HOOKS")):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{name}")
    # then there is none
    assert offenders == []
