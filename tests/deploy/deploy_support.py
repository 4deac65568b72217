"""Shared pieces of the deployment tests, which render the chart with Helm's own engine.

helm-python-sdk binds Helm's Go SDK, so no helm binary and no cluster are needed. Scenarios
are the two ways an operator installs: chart defaults plus the few values the chart
requires, and ``deploy/values-production.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CHART_DIR = REPO / "helm" / "giamsat"
PRODUCTION_VALUES = REPO / "deploy" / "values-production.yaml"
RELEASE = "giamsat"
NAMESPACE = "giamsat"

# The least an operator must give when the chart creates the Secret itself.
MINIMAL_VALUES: dict[str, Any] = {
    "database": {"host": "pg.example.internal"},
    "secrets": {
        "databasePassword": "app-password",
        "secretKey": "session-signing-key",
        "identityKey": "identity-encryption-key",
    },
}

Manifest = dict[str, Any]
Render = Callable[[dict[str, Any] | None], list[Manifest]]


def production_values() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PRODUCTION_VALUES.read_text(encoding="utf-8"))
    return loaded


SCENARIOS: dict[str, Callable[[], dict[str, Any]]] = {
    "default": lambda: MINIMAL_VALUES,
    "production": production_values,
}


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def one(manifests: list[Manifest], kind: str, name: str | None = None) -> Manifest:
    found = [m for m in of_kind(manifests, kind) if name is None or m["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name or ''}, got {len(found)}"
    return found[0]


def pod_specs(manifests: list[Manifest]) -> dict[str, Manifest]:
    """Every pod template the chart renders, keyed by ``Kind/name``."""
    specs: dict[str, Manifest] = {}
    for m in manifests:
        key = f"{m['kind']}/{m['metadata']['name']}"
        if m["kind"] in ("Deployment", "Job"):
            specs[key] = m["spec"]["template"]["spec"]
        elif m["kind"] == "CronJob":
            specs[key] = m["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return specs
