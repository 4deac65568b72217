"""Fixtures of the deployment tests: the loaded chart and a renderer (see deploy_support)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import helm_python as helm
import pytest
import yaml
from deploy_support import CHART_DIR, NAMESPACE, RELEASE, SCENARIOS, Manifest, Render


@pytest.fixture(scope="session")
def chart() -> Iterator[helm.Chart]:
    with helm.Chart.load(CHART_DIR) as loaded:
        yield loaded


@pytest.fixture(scope="session")
def render(chart: helm.Chart) -> Render:
    """Render with ``values`` and return every Kubernetes object, in template order."""

    def _render(values: dict[str, Any] | None) -> list[Manifest]:
        rendered = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
        manifests: list[Manifest] = []
        for path in sorted(rendered):
            if not path.endswith(".yaml"):
                continue
            manifests.extend(doc for doc in yaml.safe_load_all(rendered[path]) if doc)
        return manifests

    return _render


@pytest.fixture(params=sorted(SCENARIOS))
def scenario(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    name: str = request.param
    return name, SCENARIOS[name]()
