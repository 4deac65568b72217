"""The served OpenAPI document passes Redocly's and Spectral's recommended rules (no errors)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.contract.conftest import Served

HERE = Path(__file__).parent
BIN = HERE / "node_modules" / ".bin"


def _tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed: run `make contract-tools` (needs npm)")
    return path


def _document(served: Served, tmp_path: Path) -> Path:
    spec = httpx.get(f"{served.base_url}/api/v1/schema/openapi.json", timeout=30)
    spec.raise_for_status()
    path = tmp_path / "openapi.json"
    path.write_bytes(spec.content)
    return path


def test_redocly_finds_no_error(served: Served, tmp_path: Path) -> None:
    # given the served document, when Redocly lints it with its recommended rules
    document = _document(served, tmp_path)
    command = [str(_tool("redocly")), "lint", str(document), "--format=json"]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, cwd=HERE
    )
    report = json.loads(done.stdout)
    # then it reports no error
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [], json.dumps(errors, indent=1)[:4000]


def test_spectral_finds_no_error(served: Served, tmp_path: Path) -> None:
    # given the served document, when Spectral lints it with its OpenAPI rules
    document = _document(served, tmp_path)
    out = tmp_path / "spectral.json"
    subprocess.run([str(_tool("spectral")), "lint", str(document), "--ruleset",
                    str(HERE / ".spectral.yaml"), "-f", "json", "-o", str(out), "--quiet"],
                   capture_output=True, text=True, timeout=300, check=False, cwd=HERE)  # fmt: skip
    problems = json.loads(out.read_text() or "[]")
    # then it reports no error (severity 0)
    errors = [p for p in problems if p["severity"] == 0]
    assert errors == [], json.dumps(errors, indent=1)[:4000]
