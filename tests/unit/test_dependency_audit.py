"""The dependency audit's fallback: PyPI's project document when per-release data is missing."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "audit_dependencies.py"


@pytest.fixture
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _document(version: str, vulns: list[dict[str, Any]]) -> dict[str, Any]:
    return {"info": {"version": version}, "vulnerabilities": vulns}


ADVISORY = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fixed_in": ["2.0.1"]}


def test_the_latest_release_is_audited_with_its_advisories(
    tool: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given PyPI's project document of a package installed at its latest release, with an advisory
    monkeypatch.setattr(tool, "_project_document", lambda name: _document("2.0.0", [ADVISORY]))
    # when the fallback audits it
    dep = tool._from_project_document("example", "2.0.0")
    # then the advisory is reported as pip-audit would, with its fixed version
    assert dep == {"name": "example", "version": "2.0.0",
                   "vulns": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"],
                              "fix_versions": ["2.0.1"]}]}  # fmt: skip


def test_an_older_release_is_reported_as_not_audited(
    tool: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a package installed below its latest release (the document speaks of the latest only)
    monkeypatch.setattr(tool, "_project_document", lambda name: _document("3.0.0", []))
    # when the fallback looks at it
    dep = tool._from_project_document("example", "2.0.0")
    # then it is not counted as audited, and says why
    assert "vulns" not in dep
    assert dep["skip_reason"].startswith("installed 2.0.0, latest 3.0.0")


def test_an_advisory_not_allow_listed_fails_and_a_listed_one_passes(tool: ModuleType) -> None:
    # given the shipped allow-list, read on a date
    ids, problems = tool.allowed(dt.date(2026, 12, 2))
    # then every entry it holds has a reason and a recent date
    assert problems == []
    # and an unknown advisory is not accepted
    assert "PYSEC-2099-1" not in ids
